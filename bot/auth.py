"""Bearer tokens and roles for the REST API.

``HOTLINE_ADMIN_TOKEN`` is an admin token and ``HOTLINE_AGENT_TOKEN`` an agent token, so a fresh
install can be scripted; an admin may do everything an agent may.
"""

import hmac
from collections.abc import Callable, Coroutine
from typing import Annotated, Any, Literal

from fastapi import Depends, Request
from starlette.requests import HTTPConnection

from bot.exceptions import Forbidden, Unauthorized

Role = Literal["admin", "agent"]


def role_of(request: HTTPConnection) -> Role:
    """The role of the bearer token on a request or a WebSocket handshake."""
    settings = request.app.state.services.settings
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("需要登录：请在请求头中提供 Authorization: Bearer <令牌>")
    token = token.strip()
    for role, expected in (("admin", settings.admin_token), ("agent", settings.agent_token)):
        if expected and hmac.compare_digest(token.encode(), expected.encode()):
            return role  # type: ignore[return-value]
    raise Unauthorized("令牌无效或已过期")


def require(role: Role) -> Callable[[Request], Coroutine[Any, Any, Role]]:
    async def check(request: Request) -> Role:
        actual = role_of(request)
        if role == "admin" and actual != "admin":
            raise Forbidden("此操作需要管理员权限")
        return actual

    return check


Admin = Annotated[Role, Depends(require("admin"))]
Agent = Annotated[Role, Depends(require("agent"))]
