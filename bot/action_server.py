"""The engine's action endpoint (``POST /webhook``), served by rasa-sdk inside the app."""

import asyncio
import hmac
import logging
from typing import Any

from anyio import to_thread
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from rasa_sdk.executor import ActionExecutor
from rasa_sdk.interfaces import ActionExecutionRejection, ActionNotFoundException

import actions
from bot.logs import request_id_var

log = logging.getLogger(__name__)


def create_router() -> APIRouter:
    executor = ActionExecutor()
    executor.register_package(actions)
    router = APIRouter()

    @router.get("/actions")
    async def list_actions() -> list[dict[str, Any]]:
        return [item.model_dump() for item in executor.list_actions()]

    @router.post("/webhook")
    async def webhook(request: Request) -> JSONResponse:
        # Actions submit complaints and read the KB: only the engine may call them. It sends
        # HOTLINE_ENGINE_TOKEN as ?token= (Rasa's action_endpoint token) when one is set.
        expected = request.app.state.services.settings.engine_token
        sent = request.query_params.get("token", "")
        if expected and not hmac.compare_digest(sent.encode(), expected.encode()):
            return JSONResponse({"error": "动作接口只接受引擎的调用（token 无效）"}, 401)
        try:
            action_call = await request.json()
        except ValueError:
            return JSONResponse({"error": "body must be JSON"}, status_code=400)
        if not isinstance(action_call, dict):
            return JSONResponse({"error": "body must be a JSON object"}, status_code=400)
        metadata = (action_call.get("tracker") or {}).get("latest_message", {}).get(
            "metadata"
        ) or {}
        request_id_var.set(str(metadata.get("request_id", "-")))
        name = action_call.get("next_action")
        try:
            # The actions are synchronous (KB search, SQL): a worker thread keeps them from
            # stalling every other request on the app's event loop.
            result = await to_thread.run_sync(asyncio.run, executor.run(action_call))
        except ActionExecutionRejection as exc:
            return JSONResponse({"error": exc.message, "action_name": exc.action_name}, 400)
        except ActionNotFoundException as exc:
            return JSONResponse({"error": exc.message, "action_name": exc.action_name}, 404)
        log.info("action %s ran for %s", name, action_call.get("sender_id"))
        return JSONResponse(result.model_dump() if result else None)

    return router
