"""What the platforms send: signed WeChat pushes, Twilio webhooks and voice events, for the
integration tests and the channel benchmark (real formats, real signatures)."""

import hashlib
import itertools
import json
import secrets
import time
from typing import Any
from urllib.parse import urlencode

import httpx
from twilio.request_validator import RequestValidator

from channels import voice

_msg_ids = itertools.count(int(time.time() * 1000) * 1000)


def wechat_query(token: str, timestamp: int | None = None) -> dict[str, str]:
    ts, nonce = str(timestamp or int(time.time())), secrets.token_hex(5)
    signature = hashlib.sha1("".join(sorted([token, ts, nonce])).encode()).hexdigest()
    return {"signature": signature, "timestamp": ts, "nonce": nonce}


def wechat_xml(openid: str, msg_type: str, fields: str, msg_id: int | None = None) -> bytes:
    msg_id_xml = f"<MsgId>{msg_id}</MsgId>" if msg_id is not None else ""
    return (
        f"<xml><ToUserName><![CDATA[gh_hotline]]></ToUserName>"
        f"<FromUserName><![CDATA[{openid}]]></FromUserName><CreateTime>{int(time.time())}"
        f"</CreateTime><MsgType><![CDATA[{msg_type}]]></MsgType>{fields}{msg_id_xml}</xml>"
    ).encode()


def wechat_text(openid: str, text: str, msg_id: int | None = None) -> tuple[bytes, int]:
    msg_id = msg_id or next(_msg_ids)
    return wechat_xml(openid, "text", f"<Content><![CDATA[{text}]]></Content>", msg_id), msg_id


def wechat_image(openid: str, media_id: str) -> bytes:
    fields = (
        f"<PicUrl><![CDATA[http://mmbiz.qpic.cn/{media_id}]]></PicUrl><MediaId>{media_id}</MediaId>"
    )
    return wechat_xml(openid, "image", fields, next(_msg_ids))


def post_wechat(http: httpx.Client, token: str, body: bytes) -> httpx.Response:
    return http.post("/channels/wechat", params=wechat_query(token), content=body)


def post_sms(
    http: httpx.Client, public_url: str, auth_token: str, sender: str, text: str
) -> httpx.Response:
    form = {
        "MessageSid": "SM" + secrets.token_hex(16),
        "AccountSid": "AC" + "0" * 32,
        "From": sender,
        "To": "+15005550006",
        "Body": text,
        "NumSegments": "1",
    }
    signature = RequestValidator(auth_token).compute_signature(
        public_url.rstrip("/") + "/channels/sms", form
    )
    return http.post(
        "/channels/sms",
        content=urlencode(form).encode(),
        headers={
            "content-type": "application/x-www-form-urlencoded",
            "x-twilio-signature": signature,
        },
    )


def post_voice(http: httpx.Client, secret: str, event: dict[str, Any]) -> httpx.Response:
    body = json.dumps(event, ensure_ascii=False).encode()
    ts = str(int(time.time()))
    return http.post(
        "/channels/voice/events",
        content=body,
        headers={"x-hotline-timestamp": ts, "x-hotline-signature": voice.sign(secret, ts, body)},
    )


def utterance(call_id: str, text: str, start_ms: int, *, final: bool = True) -> dict[str, Any]:
    return {
        "type": "utterance",
        "call_id": call_id,
        "speaker": "caller",
        "text": text,
        "is_final": final,
        "start_ms": start_ms,
        "end_ms": start_ms + 200 * len(text),
    }
