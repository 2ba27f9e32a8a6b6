"""12301 / 12345 voice transcripts: the event protocol, its authentication, IVR replies.

The call platform's ASR sends JSON events — ``call.started``, ``utterance``, ``call.ended`` —
over a WebSocket (``WS /channels/voice``, bearer token at the handshake) or one by one as
``POST /channels/voice/events`` signed with HMAC-SHA256 over ``"{timestamp}." + body``.
In IVR mode each final caller utterance is one turn; the bot's reply is rewritten for TTS.
The JSON schema of the protocol is published as ``docs/voice-protocol.schema.json``.
"""

import hashlib
import hmac
import json
import time
from collections.abc import Callable
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from bot.exceptions import InvalidInput, MalformedRequest, PayloadTooLarge, Unauthorized
from channels.base import Inbound, Reply
from channels.speech import for_speech

CHANNEL = "voice"
MAX_BODY_BYTES = 64 * 1024
TIMESTAMP_TOLERANCE_SECONDS = 300
CALL_ID = r"^[A-Za-z0-9_.:-]{1,64}$"
GREETING = "您好，这里是{hotline}旅游服务热线智能客服，请问有什么可以帮您？"


class _Event(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    call_id: str = Field(pattern=CALL_ID, description="the platform's id of the call")


class CallStarted(_Event):
    type: Literal["call.started"]
    caller: str = Field(min_length=1, max_length=32, description="the caller's number")
    hotline: str = Field(min_length=1, max_length=16, description="12301, 12345, …")
    agent_id: str | None = Field(default=None, max_length=64)
    mode: Literal["ivr", "assist"] = Field(
        default="ivr", description="ivr: the bot answers the caller; assist: it advises the agent"
    )


class Utterance(_Event):
    type: Literal["utterance"]
    speaker: Literal["caller", "agent"]
    text: str = Field(max_length=2000)
    is_final: bool
    start_ms: int = Field(ge=0)
    end_ms: int = Field(ge=0)
    confidence: float | None = Field(default=None, ge=0, le=1)


class CallEnded(_Event):
    type: Literal["call.ended"]
    reason: str | None = Field(default=None, max_length=64)


Event = Annotated[CallStarted | Utterance | CallEnded, Field(discriminator="type")]
EVENT: TypeAdapter[CallStarted | Utterance | CallEnded] = TypeAdapter(Event)


def schema() -> dict[str, Any]:
    document = EVENT.json_schema()
    document["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    document["title"] = "云游热线 voice-transcript event"
    return document


def sign(secret: str, timestamp: str, body: bytes) -> str:
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


class VoiceChannel:
    def __init__(self, *, secret: str, clock: Callable[[], float] = time.time) -> None:
        self._secret = secret
        self._clock = clock

    def verify(self, timestamp: str | None, signature: str | None, body: bytes) -> None:
        """HMAC over the timestamp and the body; a timestamp older than 5 min is a replay."""
        if len(body) > MAX_BODY_BYTES:
            raise PayloadTooLarge(f"请求过大：最多 {MAX_BODY_BYTES // 1024} KB")
        if not timestamp or not signature:
            raise Unauthorized("缺少 X-Hotline-Timestamp 或 X-Hotline-Signature")
        if not hmac.compare_digest(sign(self._secret, timestamp, body), signature):
            raise Unauthorized("语音事件签名校验失败")
        if not timestamp.isdigit() or abs(self._clock() - int(timestamp)) > (
            TIMESTAMP_TOLERANCE_SECONDS
        ):
            raise Unauthorized("语音事件时间戳过期（可能是重放的请求）")

    def verify_token(self, authorization: str | None) -> None:
        """The WebSocket handshake carries ``Authorization: Bearer <HOTLINE_VOICE_SECRET>``."""
        scheme, _, token = (authorization or "").partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(token.strip(), self._secret):
            raise Unauthorized("语音通道需要 Authorization: Bearer 令牌")


def parse(data: bytes | str) -> CallStarted | Utterance | CallEnded:
    if isinstance(data, bytes):
        if len(data) > MAX_BODY_BYTES:
            raise PayloadTooLarge(f"请求过大：最多 {MAX_BODY_BYTES // 1024} KB")
        try:
            data = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise MalformedRequest("事件不是 UTF-8 编码的 JSON") from exc
    try:
        payload = json.loads(data)
    except json.JSONDecodeError as exc:
        raise MalformedRequest(f"事件不是合法的 JSON: {exc.msg}") from exc
    try:
        event = EVENT.validate_python(payload)
    except ValidationError as exc:
        problems = "；".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()[:5]
        )
        raise InvalidInput(f"事件格式不正确：{problems}") from exc
    if isinstance(event, Utterance) and event.end_ms < event.start_ms:
        raise InvalidInput("事件格式不正确：end_ms 早于 start_ms")
    return event


def inbound_of(event: Utterance, *, caller: str, hotline: str) -> Inbound:
    return Inbound(
        channel=CHANNEL,
        sender=event.call_id,
        text=event.text,
        meta={"caller": caller, "hotline": hotline, "asr_confidence": event.confidence},
        dedup_key=f"voice:{event.call_id}:{event.start_ms}",
    )


ORDINALS = "一二三四五六七八九"


def as_speech(replies: list[Reply]) -> str:
    """One text for TTS; suggestions are read out as 第一…第二… to be answered by number."""
    parts = [_spoken(r) for r in replies if r.text.strip()]
    text = "。".join(p.rstrip("。") for p in parts if p)
    return text + "。" if text and not text.endswith(("。", "？", "！")) else text


def _spoken(reply: Reply) -> str:
    if not reply.buttons:
        return for_speech(reply.text)
    intro = for_speech(reply.text.splitlines()[0]).rstrip("。：:") + "："
    options = "；".join(
        f"第{ORDINALS[i]}，{for_speech(b['title']).rstrip('。？?')}"
        for i, b in enumerate(reply.buttons[: len(ORDINALS)])
    )
    return f"{intro}{options}。请说出序号"
