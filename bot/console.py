"""The consoles: login and sessions, the agent and admin pages, and the read-only data only
the consoles need (active calls, the dashboard)."""

import html
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

from anyio import to_thread
from fastapi import APIRouter, Query, Request
from fastapi.responses import (
    FileResponse,
    HTMLResponse,
    JSONResponse,
    RedirectResponse,
    Response,
)
from pydantic import BaseModel, Field

from bot.auth import SESSION_COOKIE, Admin, Agent, authenticate
from bot.complaints.intake import mask_phone
from bot.exceptions import Unauthorized
from bot.services import Services
from bot.users import Principal

STATIC = Path(__file__).parent / "static"
REFUSED_PAGE = """<!DOCTYPE html><html lang="zh-CN"><meta charset="utf-8"><title>无权访问</title>
<body style="font-family:system-ui,sans-serif;padding:3em"><h1>无权访问</h1>
<p>{message}</p><p><a href="/login?next={next}">换一个账号登录</a></p></body></html>"""


class Credentials(BaseModel):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=256)


def services(request: Request) -> Services:
    found: Services = request.app.state.services
    return found


def session_json(principal: Principal) -> dict[str, Any]:
    return {"username": principal.name, "role": principal.role, "csrf_token": principal.csrf_token}


def create_router() -> APIRouter:
    router = APIRouter()

    @router.get("/login", include_in_schema=False)
    async def login_page() -> FileResponse:
        return FileResponse(STATIC / "login.html", media_type="text/html; charset=utf-8")

    async def page(request: Request, name: str, admin_only: bool) -> Response:
        try:
            principal = await authenticate(request)
        except Unauthorized:
            return RedirectResponse(f"/login?next={quote('/' + name)}", status_code=303)
        if admin_only and principal.role != "admin":
            message = f"“{html.escape(principal.name)}”是坐席账号，管理后台需要管理员账号。"
            return HTMLResponse(REFUSED_PAGE.format(message=message, next=name), status_code=403)
        return FileResponse(STATIC / f"{name}.html", media_type="text/html; charset=utf-8")

    @router.get("/admin", include_in_schema=False)
    async def admin_page(request: Request) -> Response:
        return await page(request, "admin", admin_only=True)

    @router.get("/agent", include_in_schema=False)
    async def agent_page(request: Request) -> Response:
        return await page(request, "agent", admin_only=False)

    @router.post("/api/login")
    async def log_in(request: Request, body: Credentials) -> Response:
        users = services(request).users
        address = request.client.host if request.client else ""
        login = await to_thread.run_sync(users.log_in, body.username, body.password, address)
        response = JSONResponse(session_json(login.principal))
        public = services(request).settings.public_url or ""
        response.set_cookie(
            SESSION_COOKIE,
            login.token,
            max_age=int(users.lifetime.total_seconds()),
            httponly=True,
            samesite="strict",
            secure=public.startswith("https://") or request.url.scheme == "https",
        )
        return response

    @router.get("/api/session")
    async def session(_: Request, user: Agent) -> dict[str, Any]:
        return session_json(user)

    @router.post("/api/logout", status_code=204)
    async def log_out(request: Request, _: Agent) -> Response:
        token = request.cookies.get(SESSION_COOKIE)
        if token:
            await to_thread.run_sync(services(request).users.log_out, token)
        response = Response(status_code=204)
        response.delete_cookie(SESSION_COOKIE, httponly=True, samesite="strict")
        return response

    @router.get("/api/calls")
    async def calls(request: Request, user: Agent) -> list[dict[str, Any]]:
        ongoing = await to_thread.run_sync(services(request).calls.ongoing)
        return [
            {
                "call_id": call.call_id,
                "caller": call.caller if user.role == "admin" else mask_phone(call.caller),
                "hotline": call.hotline,
                "agent_id": call.agent_id,
                "mode": call.mode,
                "started_at": call.started_at.isoformat(),
            }
            for call in ongoing
        ]

    @router.get("/api/dashboard")
    async def dashboard(
        request: Request, _: Admin, days: Annotated[int, Query(ge=1, le=366)] = 14
    ) -> dict[str, Any]:
        found = services(request)
        daily = await to_thread.run_sync(found.questions.daily, days)
        top = await to_thread.run_sync(found.questions.top_faqs, days)
        questions = await to_thread.run_sync(found.faqs.questions)
        complaints = await to_thread.run_sync(found.queue.statistics)
        total = sum(day["questions"] for day in daily)
        return {
            "days": daily,
            "rates": {
                decision: round(sum(day[decision] for day in daily) / total, 4) if total else None
                for decision in ("answer", "clarify", "none")
            },
            "top_faqs": [
                {"id": faq_id, "question": questions.get(faq_id, faq_id), "count": count}
                for faq_id, count in top
            ],
            "complaints": complaints,
        }

    return router
