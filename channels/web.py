"""Web chat channel: ``POST /channels/web {"sender", "text"}`` → ``{"messages": [...]}``."""

import json
import re
from typing import Any

from bot.exceptions import InvalidInput, MalformedRequest, PayloadTooLarge
from channels.base import Inbound, Reply

CHANNEL = "web"
MAX_BODY_BYTES = 64 * 1024
SENDER_PATTERN = re.compile(r"^[\w.@:-]{1,64}$")


def parse(body: bytes, *, max_chars: int) -> Inbound:
    if len(body) > MAX_BODY_BYTES:
        raise PayloadTooLarge(f"请求过大：最多 {MAX_BODY_BYTES // 1024} KB")
    try:
        payload = json.loads(body.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise MalformedRequest("请求不是 UTF-8 编码 (body must be UTF-8 JSON)") from exc
    except json.JSONDecodeError as exc:
        raise MalformedRequest(f"请求不是合法的 JSON: {exc.msg} (line {exc.lineno})") from exc
    if not isinstance(payload, dict):
        raise InvalidInput('请求须为 JSON 对象 {"sender": "...", "text": "..."}')
    sender, text = payload.get("sender"), payload.get("text")
    if not isinstance(sender, str) or not SENDER_PATTERN.match(sender):
        raise InvalidInput("sender 须为 1–64 位字母、数字或 ._@:- 组成的字符串")
    if not isinstance(text, str):
        raise InvalidInput("text 须为字符串")
    text = text.strip()
    if not text:
        raise InvalidInput("text 不能为空")
    if len(text) > max_chars:
        raise InvalidInput(f"text 过长：{len(text)} 字，最多 {max_chars} 字")
    return Inbound(channel=CHANNEL, sender=sender, text=text)


def render(replies: list[Reply]) -> dict[str, Any]:
    return {"messages": [reply.as_dict() for reply in replies]}
