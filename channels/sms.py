"""SMS through Twilio: verify → parse → render (TwiML), STOP / 退订, the REST provider.

``X-Twilio-Signature`` is checked against the public URL Twilio was configured with before
anything else is read. Replies are cut to two concatenated segments (a Chinese segment holds
70 characters, 67 when concatenated); the FAQ's short answer is used on this channel.
"""

from collections.abc import Mapping
from urllib.parse import parse_qsl

from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.request_validator import RequestValidator
from twilio.rest import Client
from twilio.twiml.messaging_response import MessagingResponse

from bot.exceptions import Forbidden, InvalidInput, MalformedRequest, PayloadTooLarge
from bot.optouts import OptOuts
from bot.outbox import DeliveryError
from channels.base import Inbound, Reply

CHANNEL = "sms"
MAX_BODY_BYTES = 32 * 1024
MAX_REPLY_CHARS = 134  # two concatenated UCS-2 segments
STOP_WORDS = frozenset({"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "TD", "退订"})
START_WORDS = frozenset({"START", "UNSTOP", "订阅", "恢复订阅"})
STOPPED = "您已退订云游热线短信，将不再收到通知。回复START可恢复。"
STARTED = "您已恢复订阅云游热线短信通知。回复TD或退订可随时退订。"
PERMANENT_ERRORS = frozenset({20003, 21211, 21408, 21610, 21612, 21614})


class SmsChannel:
    def __init__(self, *, auth_token: str, public_url: str) -> None:
        self._validator = RequestValidator(auth_token)
        self._public_url = public_url.rstrip("/")

    def url_of(self, path: str, query: str = "") -> str:
        return self._public_url + path + (f"?{query}" if query else "")

    def verify(self, url: str, body: bytes, signature: str | None) -> dict[str, str]:
        """The form Twilio posted, once its signature over ``url`` and the form checks out."""
        if len(body) > MAX_BODY_BYTES:
            raise PayloadTooLarge(f"请求过大：最多 {MAX_BODY_BYTES // 1024} KB")
        try:
            form = dict(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
        except UnicodeDecodeError as exc:
            raise MalformedRequest("请求不是 UTF-8 编码的表单") from exc
        if not signature or not self._validator.validate(url, form, signature):
            raise Forbidden("短信回调签名（X-Twilio-Signature）校验失败")
        return form

    def parse(self, form: Mapping[str, str]) -> Inbound:
        sender, text, sid = (
            form.get("From", ""),
            form.get("Body", "").strip(),
            form.get("MessageSid"),
        )
        if not sender or not sid:
            raise InvalidInput("短信回调缺少 From 或 MessageSid")
        if not text:
            raise InvalidInput("短信内容为空")
        return Inbound(channel=CHANNEL, sender=sender, text=text, dedup_key=f"sms:{sid}")

    def render(self, replies: list[Reply]) -> str:
        response = MessagingResponse()
        text = as_text(replies)
        if text:
            response.message(text)
        return str(response)


def keyword(text: str) -> bool | None:
    """True for an opt-out word, False for an opt-in word, None for anything else."""
    word = text.strip().upper()
    if word in STOP_WORDS:
        return True
    if word in START_WORDS:
        return False
    return None


def as_text(replies: list[Reply]) -> str:
    text = "\n".join(r.text.strip() for r in replies if r.text.strip())
    if any(r.buttons for r in replies):
        text += "\n回复序号即可"
    return text if len(text) <= MAX_REPLY_CHARS else text[: MAX_REPLY_CHARS - 1] + "…"


class SmsProvider:
    """Outbound texts through Twilio's REST API; opted-out numbers are never texted."""

    channel = CHANNEL

    def __init__(
        self, client: Client, *, from_number: str, status_callback: str | None, optouts: OptOuts
    ) -> None:
        self._client = client
        self._from = from_number
        self._status_callback = status_callback
        self._optouts = optouts

    def send(self, recipient: str, text: str) -> str | None:
        if self._optouts.is_opted_out(recipient):
            raise DeliveryError(f"{recipient[:-4]}**** 已退订短信", retry=False)
        try:
            message = self._client.messages.create(
                to=recipient,
                from_=self._from,
                body=as_text([Reply(text)]),
                status_callback=self._status_callback,
            )
        except TwilioRestException as exc:
            retry = exc.code not in PERMANENT_ERRORS and exc.status >= 500
            raise DeliveryError(
                f"Twilio 错误 {exc.code or exc.status}: {exc.msg}", retry=retry
            ) from exc
        except (TwilioException, OSError) as exc:
            raise DeliveryError(f"Twilio 不可达：{type(exc).__name__}") from exc
        return str(message.sid)


def twilio_client(account_sid: str, auth_token: str, api_url: str | None = None) -> Client:
    """Twilio's REST client; ``api_url`` replaces Twilio's API host (a local stand-in)."""
    client = Client(account_sid, auth_token)
    if api_url:
        client.api.base_url = api_url.rstrip("/")
    return client
