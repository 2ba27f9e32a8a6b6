"""The channels' HTTP and WebSocket endpoints: verify → parse → one conversation turn → render."""

import logging
import time
from pathlib import Path
from typing import Any, TypeVar

import anyio
from anyio import to_thread
from fastapi import APIRouter, Request, WebSocket, WebSocketDisconnect
from fastapi.responses import FileResponse, PlainTextResponse, Response

from bot.assist import AssistHub
from bot.auth import SESSION_COOKIE, authenticate
from bot.conversation import ConversationService
from bot.exceptions import HotlineError, InvalidInput, NotFound, PayloadTooLarge
from bot.services import Services
from channels import sms, voice, web, wechat
from channels.base import Reply

log = logging.getLogger(__name__)
CHAT_PAGE = Path(__file__).parent / "static" / "chat.html"
XML = "application/xml; charset=utf-8"
SESSION_RECHECK_SECONDS = 30.0  # how soon a followed call notices its console logged out
C = TypeVar("C")


def services(request: Request | WebSocket) -> Services:
    return request.app.state.services


def conversation(request: Request | WebSocket) -> ConversationService:
    return request.app.state.conversation


def enabled(channel: C | None, name: str) -> C:
    if channel is None:
        raise NotFound(f"{name}渠道未启用：请先配置它的密钥（见 .env.example）")
    return channel


async def read_body(request: Request, limit: int) -> bytes:
    """The body, refusing anything over ``limit`` bytes without reading all of it."""
    if int(request.headers.get("content-length") or 0) > limit:
        raise PayloadTooLarge(f"请求过大：最多 {limit // 1024} KB")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise PayloadTooLarge(f"请求过大：最多 {limit // 1024} KB")
    return bytes(body)


def create_router() -> APIRouter:
    router = APIRouter()

    @router.get("/chat", include_in_schema=False)
    async def chat_page() -> FileResponse:
        return FileResponse(CHAT_PAGE, media_type="text/html; charset=utf-8")

    @router.post("/channels/web")
    async def web_channel(request: Request) -> dict[str, Any]:
        body = await read_body(request, web.MAX_BODY_BYTES)
        inbound = web.parse(body, max_chars=services(request).settings.max_message_chars)
        return web.render(await conversation(request).handle(inbound))

    @router.get("/channels/wechat")
    async def wechat_verify(request: Request) -> PlainTextResponse:
        channel = enabled(services(request).channels.wechat, "微信")
        return PlainTextResponse(channel.echo(request.query_params))

    @router.post("/channels/wechat")
    async def wechat_message(request: Request) -> Response:
        arrived = time.monotonic()  # WeChat's 5 s count from its request, not from our turn
        channel = enabled(services(request).channels.wechat, "微信")
        query = request.query_params
        channel.verify(query)
        parsed = channel.parse(
            channel.decrypt(await read_body(request, wechat.MAX_BODY_BYTES), query)
        )
        if parsed.attachment is not None:
            turn = await conversation(request).acknowledge(
                parsed.inbound, await _image_reply(request, parsed)
            )
        elif parsed.answer is not None:
            turn = await conversation(request).acknowledge(parsed.inbound, parsed.answer)
        else:
            budget = wechat.PASSIVE_SECONDS - (time.monotonic() - arrived)
            turn = await conversation(request).reply_within(parsed.inbound, budget, wechat.as_text)
        if turn.pushed:
            return PlainTextResponse("success")
        return Response(channel.render(parsed.message, turn.replies, query), media_type=XML)

    @router.post("/channels/sms")
    async def sms_message(request: Request) -> Response:
        channel, form = await _signed_sms(request)
        inbound = channel.parse(form)
        opt_out = sms.keyword(inbound.text)
        if opt_out is not None:
            await to_thread.run_sync(
                lambda: services(request).optouts.set(inbound.sender, opted_out=opt_out)
            )
            answer = [Reply(sms.STOPPED if opt_out else sms.STARTED)]
            turn = await conversation(request).acknowledge(inbound, answer)
        else:
            turn = await conversation(request).start(inbound)
        return Response(channel.render(turn.replies), media_type=XML)

    @router.post("/channels/sms/status")
    async def sms_status(request: Request) -> Response:
        _, form = await _signed_sms(request)
        sid, status = form.get("MessageSid", ""), form.get("MessageStatus", "")
        if not sid or not status:
            raise InvalidInput("状态回调缺少 MessageSid 或 MessageStatus")
        known = await to_thread.run_sync(
            services(request).outbox.record_status, sid, status, form.get("ErrorCode") or None
        )
        log.info("sms %s is %s%s", sid, status, "" if known else " (not sent by us)")
        return Response(status_code=204)

    @router.post("/channels/voice/events")
    async def voice_event(request: Request) -> dict[str, Any]:
        channel = enabled(services(request).channels.voice, "语音")
        body = await read_body(request, voice.MAX_BODY_BYTES)
        channel.verify(
            request.headers.get("x-hotline-timestamp"),
            request.headers.get("x-hotline-signature"),
            body,
        )
        return await _voice_turn(request, voice.parse(body))

    @router.websocket("/channels/voice")
    async def voice_stream(websocket: WebSocket) -> None:
        channel = services(websocket).channels.voice
        try:
            enabled(channel, "语音").verify_token(websocket.headers.get("authorization"))
        except HotlineError as exc:
            log.info("refused voice stream: %s", exc)
            await websocket.close(code=1008, reason="unauthorized")
            return
        await websocket.accept()
        try:
            while True:
                data = await websocket.receive_text()
                try:
                    await websocket.send_json(await _voice_turn(websocket, voice.parse(data)))
                except HotlineError as exc:
                    log.info("refused voice event: %s", exc)
                    await websocket.send_json({"type": "error", "error": str(exc)})
        except WebSocketDisconnect:
            return

    @router.websocket("/agent-assist/{call_id}")
    async def agent_assist(websocket: WebSocket, call_id: str) -> None:
        try:
            await authenticate(websocket)
        except HotlineError as exc:
            log.info("refused agent assist: %s", exc)
            await websocket.close(code=1008, reason="unauthorized")
            return
        await websocket.accept()
        hub: AssistHub = websocket.app.state.assist
        queue = hub.follow(call_id)

        async def push(done: anyio.CancelScope) -> None:
            await websocket.send_json(hub.snapshot(call_id))
            while (message := await queue.get())["type"] != "call.ended":
                await websocket.send_json(message)
            await websocket.send_json(message)
            await websocket.close()
            done.cancel()

        async def until_closed(done: anyio.CancelScope) -> None:
            # notice a console that goes away between pushes
            while (await websocket.receive())["type"] != "websocket.disconnect":
                pass
            done.cancel()

        async def while_logged_in(done: anyio.CancelScope, token: str) -> None:
            # a console's session that ends (logout, expiry, new password) ends its follow
            users = services(websocket).users
            while await to_thread.run_sync(users.by_session, token) is not None:
                await anyio.sleep(SESSION_RECHECK_SECONDS)
            await websocket.close(code=1008, reason="session ended")
            done.cancel()

        by_cookie = "authorization" not in websocket.headers
        token = websocket.cookies.get(SESSION_COOKIE) if by_cookie else None
        try:
            async with anyio.create_task_group() as group:
                group.start_soon(push, group.cancel_scope)
                group.start_soon(until_closed, group.cancel_scope)
                if token:
                    group.start_soon(while_logged_in, group.cancel_scope, token)
        finally:
            hub.unfollow(call_id, queue)

    return router


async def _signed_sms(request: Request) -> tuple[sms.SmsChannel, dict[str, str]]:
    """The SMS channel and the form Twilio posted, once its signature checks out."""
    channel = enabled(services(request).channels.sms, "短信")
    form = channel.verify(
        channel.url_of(request.url.path, request.url.query),
        await read_body(request, sms.MAX_BODY_BYTES),
        request.headers.get("x-twilio-signature"),
    )
    return channel, form


async def _image_reply(request: Request, parsed: wechat.Parsed) -> list[Reply]:
    """An image is kept for the complaint this conversation submits; say so."""
    inbound = parsed.inbound
    await to_thread.run_sync(
        lambda: services(request).complaints.attach(
            sender=inbound.conversation_id, kind="image", media_id=str(parsed.attachment)
        )
    )
    in_complaint = await request.app.state.engine.active_loop(inbound.conversation_id)
    return [Reply(wechat.IMAGE_FOR_COMPLAINT if in_complaint else wechat.IMAGE_RECEIVED)]


async def _voice_turn(
    source: Request | WebSocket, event: voice.CallStarted | voice.Utterance | voice.CallEnded
) -> dict[str, Any]:
    calls = services(source).calls
    assist: AssistHub = source.app.state.assist
    if isinstance(event, voice.CallStarted):
        assist.start(event.call_id, event.caller)
        call = await to_thread.run_sync(
            lambda: calls.start(
                call_id=event.call_id,
                caller=event.caller,
                hotline=event.hotline,
                agent_id=event.agent_id,
                mode=event.mode,
            )
        )
        say = voice.GREETING.format(hotline=call.hotline) if call.mode == "ivr" else ""
        return {"type": "call.accepted", "call_id": call.call_id, "say": say}
    if isinstance(event, voice.CallEnded):
        await to_thread.run_sync(calls.end, event.call_id)
        assist.end(event.call_id)
        return {"type": "call.closed", "call_id": event.call_id}
    received = time.perf_counter()
    call = await to_thread.run_sync(calls.active, event.call_id)
    if not event.is_final or not event.text:
        return {"type": "ignored", "call_id": call.call_id}
    if call.mode == "assist":
        assist.start(call.call_id, call.caller)  # e.g. after a restart of this process
        await assist.utterance(call.call_id, event.speaker, event.text, event.start_ms, received)
        return {"type": "assisted", "call_id": call.call_id}
    if event.speaker != "caller":
        return {"type": "ignored", "call_id": call.call_id}
    inbound = voice.inbound_of(event, caller=call.caller, hotline=call.hotline)
    replies = await conversation(source).handle(inbound)
    handoff = any((r.custom or {}).get("handoff") for r in replies)
    return {
        "type": "bot.say",
        "call_id": call.call_id,
        "say": voice.as_speech(replies),
        "handoff": handoff,
    }
