"""The FastAPI application: channels, the action endpoint, health."""

import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from anyio import to_thread
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse
from sqlalchemy.exc import IntegrityError

import actions.deps
from bot.action_server import create_router as create_action_router
from bot.api import ImportRejected
from bot.api import create_router as create_api_router
from bot.assist import AssistHub
from bot.channel_routes import create_router as create_channel_router
from bot.complaints import categories
from bot.complaints.api import create_router as create_complaints_router
from bot.console import create_router as create_console_router
from bot.conversation import ConversationService
from bot.engine import EngineClient
from bot.exceptions import (
    Conflict,
    EngineUnavailable,
    Forbidden,
    HotlineError,
    InvalidInput,
    MalformedRequest,
    NotFound,
    PayloadTooLarge,
    TooManyRequests,
    Unauthorized,
)
from bot.logs import configure_logging, new_request_id, request_id_var
from bot.outbox import OutboxWorker
from bot.services import Services
from bot.settings import PROJECT_DIR, Settings, get_settings
from knowledge_base.importer import read_csv

log = logging.getLogger(__name__)
STATUS_OF: tuple[tuple[type[HotlineError], int], ...] = (
    (PayloadTooLarge, 413),
    (MalformedRequest, 400),
    (InvalidInput, 422),
    (Unauthorized, 401),
    (Forbidden, 403),
    (NotFound, 404),
    (Conflict, 409),
    (TooManyRequests, 429),
    (EngineUnavailable, 503),
)
DEMO_KB = PROJECT_DIR / "knowledge_base" / "demo" / "faq.csv"


def seed_demo_kb(services: Services) -> None:
    """An empty knowledge base gets the bundled demo FAQs (once, whichever process is first)."""
    if services.faqs.count() == 0 and DEMO_KB.exists():
        try:
            changed = services.faqs.upsert_many(read_csv(DEMO_KB), changed_by="demo-seed")
            log.info("seeded the demo knowledge base: %d FAQs", changed)
        except IntegrityError:
            log.info("another process seeded the demo knowledge base first")
        services.kb.sync()


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        configure_logging(settings.log_level)
        services = await to_thread.run_sync(Services.build, settings)
        await to_thread.run_sync(seed_demo_kb, services)
        services.watcher.start()
        threading.Thread(target=categories.warm_up, name="categories", daemon=True).start()
        actions.deps.configure(services)
        engine = EngineClient(
            settings.engine_url, token=settings.engine_token, timeout=settings.engine_timeout
        )
        app.state.services = services
        app.state.engine = engine
        app.state.conversation = ConversationService(
            engine=engine,
            messages=services.messages,
            kb=services.kb,
            questions=services.questions,
            outbox=services.outbox,
        )
        app.state.assist = AssistHub(engine, services.kb)
        worker = OutboxWorker(services.outbox, interval=settings.outbox_interval)
        worker.start()
        log.info("app ready: %d FAQs, engine at %s", services.kb.size, settings.engine_url)
        yield
        await worker.stop()
        await engine.aclose()
        actions.deps.configure(None)
        services.close()

    app = FastAPI(title="云游热线", lifespan=lifespan)
    app.include_router(create_action_router())
    app.include_router(create_api_router())
    app.include_router(create_complaints_router())
    app.include_router(create_channel_router())
    app.include_router(create_console_router())

    @app.middleware("http")
    async def request_id(request: Request, call_next):
        request_id_var.set(request.headers.get("x-request-id") or new_request_id())
        response = await call_next(request)
        response.headers["x-request-id"] = request_id_var.get()
        return response

    @app.exception_handler(HotlineError)
    async def refused(request: Request, exc: HotlineError) -> JSONResponse:
        status = next((code for kind, code in STATUS_OF if isinstance(exc, kind)), 500)
        log.info("refused %s %s with %d: %s", request.method, request.url.path, status, exc)
        body: dict[str, Any] = {"error": str(exc)}
        if isinstance(exc, ImportRejected):
            body["rows"] = exc.errors
        return JSONResponse(body, status_code=status)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = [
            f"{'.'.join(str(p) for p in error['loc'] if p != 'body')}: {error['msg']}"
            for error in exc.errors()
        ]
        log.info("refused %s %s with 422: %s", request.method, request.url.path, problems)
        return JSONResponse({"error": "请求内容不正确：" + "；".join(problems)}, status_code=422)

    @app.get("/metrics", include_in_schema=False)
    async def metrics(request: Request) -> PlainTextResponse:
        services: Services = request.app.state.services
        conversation: ConversationService = request.app.state.conversation
        text = await to_thread.run_sync(conversation.metrics.render, services.db, services.kb.size)
        return PlainTextResponse(text, media_type="text/plain; version=0.0.4; charset=utf-8")

    @app.get("/healthz")
    async def healthz(request: Request) -> JSONResponse:
        services: Services = request.app.state.services
        database: dict[str, Any]
        try:
            database = {"ok": await to_thread.run_sync(services.db.ping)}
        except Exception as exc:  # noqa: BLE001 - health reports any failure as data
            database = {"ok": False, "error": type(exc).__name__}
        engine: dict[str, Any]
        try:
            status = await request.app.state.engine.status()
            engine = {"ok": True, "model": status.get("model_file")}
        except EngineUnavailable as exc:
            engine = {"ok": False, "error": str(exc)}
        index = {"ok": services.kb.size > 0, "faqs": services.kb.size}
        healthy = database["ok"] and engine["ok"] and index["ok"]
        body = {
            "status": "ok" if healthy else "degraded",
            "engine": engine,
            "database": database,
            "index": index,
        }
        return JSONResponse(body, status_code=200 if database["ok"] else 503)

    return app
