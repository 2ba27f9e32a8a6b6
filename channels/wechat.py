"""WeChat official account: verify → parse → render, the customer-service provider, the menu.

Plaintext and safe (AES) mode; every request's ``signature`` is checked before its body is
read. XML is parsed with entities disabled and any DTD refused. Replies longer than WeChat's
clients show well are cut; numbered suggestions are answered by their number.
"""

import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from xml.parsers.expat import ExpatError

import requests
from wechatpy import WeChatClient, parse_message
from wechatpy.crypto import WeChatCrypto
from wechatpy.events import ClickEvent, SubscribeEvent, UnsubscribeEvent
from wechatpy.exceptions import InvalidSignatureException, WeChatClientException
from wechatpy.messages import (
    BaseMessage,
    ImageMessage,
    LocationMessage,
    TextMessage,
    VoiceMessage,
)
from wechatpy.replies import TextReply
from wechatpy.utils import check_signature

from bot.db import utcnow
from bot.exceptions import Forbidden, MalformedRequest, PayloadTooLarge
from bot.outbox import DeliveryError
from channels.base import Inbound, Reply

CHANNEL = "wechat"
MAX_BODY_BYTES = 64 * 1024
MAX_TEXT_CHARS = 600  # WeChat clients fold longer texts
PASSIVE_SECONDS = 3.5  # WeChat gives up on a passive reply after 5 s; keep a margin
TIMESTAMP_TOLERANCE_SECONDS = 300
CUSTOMER_SERVICE_WINDOW = timedelta(hours=48)
CUSTOMER_SERVICE_QUOTA = 5  # messages per window opened by the tourist's last message
DEFAULT_API_URL = "https://api.weixin.qq.com/cgi-bin/"
# None: HTTP error from the API host; -1: system busy; 45009: rate limit; 40001/42001: token
RETRYABLE = (None, -1, 45009, 40001, 42001)
DTD = re.compile(rb"<!(DOCTYPE|ENTITY)", re.IGNORECASE)

WELCOME = (
    "您好，欢迎关注云游热线！我可以回答门票、开放时间、交通、住宿等问题，"
    "也可以帮您投诉、查询投诉进度。直接发文字或语音就行，也可以点下方菜单。"
)
UNSUPPORTED = "目前只能处理文字、语音、图片和位置消息，请用文字或语音告诉我您的问题。"
NOT_HEARD = "抱歉，没有听清您的语音，请再说一遍或直接发文字。"
IMAGE_FOR_COMPLAINT = "已收到图片，会附在您正在填写的投诉工单里。"
IMAGE_RECEIVED = "已收到图片。如需投诉，请说“我要投诉”并描述经过，图片会附在投诉工单里。"


@dataclass(frozen=True)
class MenuItem:
    key: str
    name: str
    text: str  # what a click says on the tourist's behalf


MENU = (
    MenuItem("FAQ_TICKETS", "门票", "门票多少钱"),
    MenuItem("FAQ_HOURS", "开放时间", "景区几点开门"),
    MenuItem("FAQ_TRAFFIC", "交通", "怎么去青峰山景区"),
    MenuItem("COMPLAIN", "我要投诉", "我要投诉"),
    MenuItem("STATUS", "投诉进度", "查询投诉进度"),
    MenuItem("HUMAN", "人工服务", "转人工"),
)
MENU_BY_KEY = {item.key: item for item in MENU}


def menu_definition() -> dict[str, Any]:
    """The custom menu as WeChat's ``menu/create`` takes it: 问答 | 投诉 | 人工."""
    faq, complaint, human = MENU[:3], MENU[3:5], MENU[5]
    return {
        "button": [
            {
                "name": "常见问题",
                "sub_button": [{"type": "click", "name": i.name, "key": i.key} for i in faq],
            },
            {
                "name": "投诉",
                "sub_button": [{"type": "click", "name": i.name, "key": i.key} for i in complaint],
            },
            {"type": "click", "name": human.name, "key": human.key},
        ]
    }


@dataclass(frozen=True)
class Parsed:
    """A parsed WeChat push: a turn for the engine, or an answer the channel gives itself."""

    message: BaseMessage
    inbound: Inbound
    answer: list[Reply] | None = None  # set when the engine is not asked
    attachment: str | None = None  # an image's media id


class WeChatChannel:
    def __init__(
        self,
        *,
        token: str,
        appid: str,
        aes_key: str | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._token = token
        self._crypto = WeChatCrypto(token, aes_key, appid) if aes_key else None
        self._clock = clock

    def verify(self, query: Mapping[str, str]) -> None:
        """The URL signature WeChat puts on every request, and a fresh timestamp."""
        signature, timestamp, nonce = (
            query.get(k, "") for k in ("signature", "timestamp", "nonce")
        )
        if not (signature and timestamp and nonce):
            raise Forbidden("缺少微信签名参数 signature/timestamp/nonce")
        try:
            check_signature(self._token, signature, timestamp, nonce)
        except InvalidSignatureException as exc:
            raise Forbidden("微信签名校验失败") from exc
        if not timestamp.isdigit() or abs(self._clock() - int(timestamp)) > (
            TIMESTAMP_TOLERANCE_SECONDS
        ):
            raise Forbidden("微信请求时间戳过期或无效（可能是重放的请求）")

    def decrypt(self, body: bytes, query: Mapping[str, str]) -> str:
        """The message XML: decrypted in safe mode, as sent in plaintext mode."""
        if len(body) > MAX_BODY_BYTES:
            raise PayloadTooLarge(f"请求过大：最多 {MAX_BODY_BYTES // 1024} KB")
        if DTD.search(body):
            raise MalformedRequest("XML 不允许包含 DOCTYPE 或实体声明")
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise MalformedRequest("请求不是 UTF-8 编码的 XML") from exc
        if self._crypto is None:
            return text
        if query.get("encrypt_type") != "aes":
            raise Forbidden("安全模式下只接受加密消息（encrypt_type=aes）")
        try:
            xml = self._crypto.decrypt_message(
                text, query.get("msg_signature", ""), query["timestamp"], query["nonce"]
            )
        except InvalidSignatureException as exc:
            raise Forbidden("微信消息签名（msg_signature）校验失败") from exc
        except (ExpatError, ValueError, KeyError, TypeError) as exc:
            raise MalformedRequest(f"无法解密微信消息：{type(exc).__name__}") from exc
        return str(xml)

    def parse(self, xml: str) -> Parsed:
        try:
            message = parse_message(xml)
        except (ExpatError, ValueError, KeyError, TypeError, AttributeError) as exc:
            raise MalformedRequest(f"不是合法的微信消息 XML：{type(exc).__name__}") from exc
        if message is None or not message.source:
            raise MalformedRequest("微信消息缺少 FromUserName")
        return _parse(message)

    def render(self, message: BaseMessage, replies: list[Reply], query: Mapping[str, str]) -> str:
        """A passive reply, or ``success`` (WeChat shows nothing) when there is nothing to say."""
        text = as_text(replies)
        if not text:
            return "success"
        xml = TextReply(content=text, message=message).render()
        if self._crypto is None:
            return str(xml)
        return str(self._crypto.encrypt_message(xml, query.get("nonce", ""), query["timestamp"]))

    def echo(self, query: Mapping[str, str]) -> str:
        """URL verification when the developer saves the server settings."""
        self.verify(query)
        return query.get("echostr", "")


def as_text(replies: list[Reply]) -> str:
    parts = [r.text.strip() for r in replies if r.text.strip()]
    if any(r.buttons for r in replies):
        parts.append("（回复序号即可）")
    text = "\n\n".join(parts)
    return text if len(text) <= MAX_TEXT_CHARS else text[: MAX_TEXT_CHARS - 1] + "…"


def _parse(message: BaseMessage) -> Parsed:
    base = {"channel": CHANNEL, "sender": message.source}
    dedup = f"wechat:{message.id}" if message.id else None
    if isinstance(message, TextMessage):
        return Parsed(message, Inbound(text=message.content.strip(), dedup_key=dedup, **base))
    if isinstance(message, VoiceMessage):
        heard = (message.recognition or "").strip()
        inbound = Inbound(text=heard or "[语音]", dedup_key=dedup, meta={"voice": True}, **base)
        return Parsed(message, inbound, answer=None if heard else [Reply(NOT_HEARD)])
    if isinstance(message, LocationMessage):
        place = (message.label or "").strip() or f"{message.location_x},{message.location_y}"
        meta = {"location": [message.location_x, message.location_y]}
        return Parsed(message, Inbound(text=place, dedup_key=dedup, meta=meta, **base))
    if isinstance(message, ImageMessage):
        inbound = Inbound(
            text="[图片]", dedup_key=dedup, meta={"media_id": message.media_id}, **base
        )
        return Parsed(message, inbound, attachment=message.media_id)
    event_key = f"wechat:{message.source}:{int(message.create_time.timestamp())}:{message.type}"
    if isinstance(message, SubscribeEvent):
        inbound = Inbound(text="[关注]", dedup_key=event_key, **base)
        return Parsed(message, inbound, answer=[Reply(WELCOME + "\n" + _menu_hint())])
    if isinstance(message, UnsubscribeEvent):
        return Parsed(message, Inbound(text="[取消关注]", dedup_key=event_key, **base), answer=[])
    if isinstance(message, ClickEvent) and message.key in MENU_BY_KEY:
        text = MENU_BY_KEY[message.key].text
        return Parsed(
            message, Inbound(text=text, dedup_key=event_key, meta={"menu": message.key}, **base)
        )
    if message.type == "event":
        return Parsed(
            message, Inbound(text=f"[事件 {message.event}]", dedup_key=event_key, **base), answer=[]
        )
    inbound = Inbound(text=f"[{message.type}]", dedup_key=dedup, **base)
    return Parsed(message, inbound, answer=[Reply(UNSUPPORTED)])


def _menu_hint() -> str:
    return "菜单：" + "、".join(item.name for item in MENU)


class HotlineWeChatClient(WeChatClient):
    """wechatpy's client with a configurable API host (a local stand-in in tests)."""

    def __init__(self, appid: str, secret: str, api_url: str = DEFAULT_API_URL, **kwargs: Any):
        super().__init__(appid, secret, **kwargs)
        self.API_BASE_URL = api_url if api_url.endswith("/") else api_url + "/"

    def fetch_access_token(self) -> dict[str, Any]:
        return dict(
            self._fetch_access_token(
                url=self.API_BASE_URL + "token",
                params={
                    "grant_type": "client_credential",
                    "appid": self.appid,
                    "secret": self.secret,
                },
            )
        )


class CustomerServiceWindow:
    """WeChat lets an account send 5 customer-service messages within 48 h of the tourist's
    last message; count what was sent so that the quota is never overrun."""

    def __init__(
        self,
        last_message_at: Callable[[str], datetime | None],
        sent_since: Callable[[str, datetime], int],
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self._last_message_at = last_message_at
        self._sent_since = sent_since
        self._clock = clock

    def remaining(self, openid: str) -> int:
        opened = self._last_message_at(openid)
        if opened is None or self._clock() - opened > CUSTOMER_SERVICE_WINDOW:
            return 0
        return max(0, CUSTOMER_SERVICE_QUOTA - self._sent_since(openid, opened))


class WeChatProvider:
    """Customer-service text messages through the official API."""

    channel = CHANNEL

    def __init__(self, client: WeChatClient, window: CustomerServiceWindow) -> None:
        self._client = client
        self._window = window

    def send(self, recipient: str, text: str) -> str | None:
        if self._window.remaining(recipient) <= 0:
            raise DeliveryError(
                "客服消息窗口已关闭或额度已用完，等游客再次发消息", retry=False, held=True
            )
        try:
            self._client.message.send_text(recipient, text[:MAX_TEXT_CHARS])
        except WeChatClientException as exc:
            held = exc.errcode in (45015, 45047)
            retry = exc.errcode in RETRYABLE
            raise DeliveryError(
                f"微信接口错误 {exc.errcode}: {exc.errmsg}", retry=retry, held=held
            ) from exc
        except requests.RequestException as exc:
            raise DeliveryError(f"微信接口不可达：{type(exc).__name__}") from exc
        return None


class WeChatTemplateProvider:
    """Template messages: how an official account may reach a follower outside the
    customer-service window (status notifications, days after the tourist last wrote)."""

    channel = "wechat_template"
    REMARK = "如需查询详情，请在公众号内发送投诉单号。"

    def __init__(self, client: WeChatClient, template_id: str) -> None:
        self._client = client
        self._template_id = template_id

    def send(self, recipient: str, text: str) -> str | None:
        data = {"first": {"value": text[:200]}, "remark": {"value": self.REMARK}}
        try:
            result = self._client.message.send_template(recipient, self._template_id, data)
        except WeChatClientException as exc:
            retry = exc.errcode in RETRYABLE
            raise DeliveryError(
                f"微信模板消息错误 {exc.errcode}: {exc.errmsg}", retry=retry
            ) from exc
        except requests.RequestException as exc:
            raise DeliveryError(f"微信接口不可达：{type(exc).__name__}") from exc
        return str(result.get("msgid")) if isinstance(result, dict) else None
