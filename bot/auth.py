"""Who may call the API: console users by session cookie, scripts by bearer token.

``HOTLINE_ADMIN_TOKEN`` is an admin token and ``HOTLINE_AGENT_TOKEN`` an agent token, so a fresh
install can be scripted; an admin may do everything an agent may. A cookie travels with any
request the browser makes, so a cookie-authenticated change must also echo the session's CSRF
token in ``X-CSRF-Token``, and a WebSocket must come from the app's own origin.
"""

import hmac
from collections.abc import Callable, Coroutine
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from anyio import to_thread
from fastapi import Depends, Request
from starlette.requests import HTTPConnection

from bot.exceptions import Forbidden, Unauthorized
from bot.users import Principal

Role = Literal["admin", "agent"]
SESSION_COOKIE = "hotline_session"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def _by_token(connection: HTTPConnection, header: str) -> Principal:
    settings = connection.app.state.services.settings
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("需要登录：请在请求头中提供 Authorization: Bearer <令牌>")
    token = token.strip()
    for role, expected in (("admin", settings.admin_token), ("agent", settings.agent_token)):
        if expected and hmac.compare_digest(token.encode(), expected.encode()):
            return Principal(name=role, role=role)
    raise Unauthorized("令牌无效或已过期")


async def authenticate(connection: HTTPConnection) -> Principal:
    """The caller of a request or a WebSocket handshake, or ``Unauthorized``/``Forbidden``."""
    header = connection.headers.get("authorization")
    if header:
        return _by_token(connection, header)
    token = connection.cookies.get(SESSION_COOKIE)
    if not token:
        raise Unauthorized("需要登录：请先登录控制台，或提供 Authorization: Bearer <令牌>")
    users = connection.app.state.services.users
    principal: Principal | None = await to_thread.run_sync(users.by_session, token)
    if principal is None:
        raise Unauthorized("登录已过期，请重新登录")
    if connection.scope["type"] == "websocket":
        origin = connection.headers.get("origin")
        if origin and urlsplit(origin).netloc != connection.headers.get("host"):
            raise Forbidden("拒绝来自其他网站的连接")
    elif connection.scope["method"] not in SAFE_METHODS:
        sent = connection.headers.get(CSRF_HEADER, "")
        if not principal.csrf_token or not hmac.compare_digest(
            sent.encode(), principal.csrf_token.encode()
        ):
            raise Forbidden("缺少或错误的 CSRF 令牌：请刷新页面后重试")
    return principal


def require(role: Role) -> Callable[[Request], Coroutine[Any, Any, Principal]]:
    async def check(request: Request) -> Principal:
        principal = await authenticate(request)
        if role == "admin" and principal.role != "admin":
            raise Forbidden("此操作需要管理员权限")
        return principal

    return check


Admin = Annotated[Principal, Depends(require("admin"))]
Agent = Annotated[Principal, Depends(require("agent"))]
