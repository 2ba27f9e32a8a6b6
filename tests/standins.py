"""Local stand-ins for the two SaaS APIs the bot calls: WeChat's server API and Twilio Messaging.

Each stand-in is a real HTTP/1.1 server (``http.server`` on 127.0.0.1 and a port the OS picks,
served by a background thread), so the real SDK clients talk to it over TCP exactly as they talk
to the providers, and no test or benchmark reaches the internet. Use them as context managers;
leaving the ``with`` block stops the server, closes every connection and joins every thread.

WeChat (``wechatpy==1.8.18``)::

    from wechatpy import WeChatClient

    with WeChatApiStandIn(appid="wx123", secret="s3cret", templates=["tpl_booking"]) as wx:
        client = WeChatClient("wx123", "s3cret")
        client._http.mount("https://api.weixin.qq.com/", wx.requests_adapter())
        wx.user_messaged("openid-1")  # the user wrote to us: a 48 h customer-service window opens
        client.message.send_text("openid-1", "您好")
        assert wx.sent_texts("openid-1") == ["您好"]
        client._http.close()

    ``client._http`` is the ``requests.Session`` every wechatpy call goes through. Setting
    ``client.API_BASE_URL = wx.url + "/cgi-bin/"`` alone is NOT enough: it covers the relative
    endpoints (``message/custom/send``, ``menu/create``...), but ``WeChatClient.fetch_access_token``
    hard-codes ``https://api.weixin.qq.com/cgi-bin/token``, so the token request would still go to
    Tencent. The mounted adapter redirects every ``https://api.weixin.qq.com/...`` URL, the token
    URL included. Code that builds its client from a base-URL setting can instead do::

        class Client(WeChatClient):
            def fetch_access_token(self) -> dict:
                params = {"grant_type": "client_credential", "appid": self.appid,
                          "secret": self.secret}
                return self._fetch_access_token(url=self.API_BASE_URL + "token", params=params)

        client = Client("wx123", "s3cret")
        client.API_BASE_URL = wx.url + "/cgi-bin/"

Twilio (``twilio==9.13.0``)::

    from twilio.rest import Client

    with TwilioApiStandIn(account_sid=SID, auth_token=TOKEN) as tw, CallbackRecorder() as sink:
        client = Client(SID, TOKEN)
        client.api.base_url = tw.url  # the api.twilio.com Domain; Messages live under it
        message = client.messages.create(to="+8613800138000", from_="+15005550006", body="您好",
                                         status_callback=sink.url + "/sms/status")
        tw.deliver(message.sid)  # POSTs the signed status callback to sink.url + "/sms/status"
        assert sink.received[0].form["MessageStatus"] == "delivered"
        client.http_client.session.close()

    Leave ``TWILIO_EDGE``/``TWILIO_REGION`` unset: the SDK rewrites the host name when either is
    set. ``deliver`` posts with its own ``httpx`` client; pass ``client=`` (e.g. a Starlette
    ``TestClient``) to hand the callback to an in-process app instead.

Test controls: ``WeChatApiStandIn.user_messaged/advance/fail_next/sent_texts/sent_templates``,
``.calls/.issued_tokens/.menu``; ``TwilioApiStandIn.deliver/opt_out/opt_in/fail_next``,
``.messages/.calls``; ``CallbackRecorder.received``. Close the SDK clients' sessions when done,
as shown. If ``HTTP_PROXY`` or ``ALL_PROXY`` is set, add 127.0.0.1 to ``NO_PROXY`` (the adapter
and ``deliver`` ignore proxies already).
tests/test_standins.py runs every snippet above against the real SDKs.
"""

import base64
import json
import math
import re
import secrets
import socket
import socketserver
import threading
import time
import traceback
import uuid
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, NamedTuple, Protocol, Self
from urllib.parse import parse_qs, urlsplit

import httpx
from requests import PreparedRequest, Response
from requests.adapters import HTTPAdapter
from twilio.request_validator import RequestValidator

WECHAT_API_ORIGIN = "https://api.weixin.qq.com"
TWILIO_API_VERSION = "2010-04-01"
_Connection = socket.socket | tuple[bytes, socket.socket]


class ApiCall(NamedTuple):
    """One request a stand-in received: path, query parameters and decoded body."""

    path: str
    query: dict[str, str]
    body: Any  # JSON value (WeChat), form fields (Twilio), raw text if undecodable, None if empty


@dataclass(frozen=True)
class _Request:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]  # names lower-cased
    body: bytes
    target: str  # path and query string as sent


@dataclass(frozen=True)
class _Reply:
    status: int
    body: bytes = b""
    headers: tuple[tuple[str, str], ...] = ()


def _json_reply(payload: object, status: int = 200, content_type: str = "") -> _Reply:
    body = json.dumps(payload, ensure_ascii=False).encode()
    return _Reply(
        status, body, (("Content-Type", content_type or "application/json; charset=utf-8"),)
    )


def _text_reply(status: int, text: str, content_type: str = "text/plain; charset=utf-8") -> _Reply:
    return _Reply(status, text.encode(), (("Content-Type", content_type),))


def _first_values(pairs: dict[str, list[str]]) -> dict[str, str]:
    return {name: values[0] for name, values in pairs.items()}


def _form(body: bytes) -> dict[str, str]:
    return _first_values(parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True))


def _json_value(body: bytes) -> Any:
    if not body:
        return None
    text = body.decode("utf-8", "replace")
    try:
        return json.loads(text)
    except ValueError:
        return text


def _read_request(handler: BaseHTTPRequestHandler) -> _Request:
    length = int(handler.headers.get("Content-Length") or 0)
    body = handler.rfile.read(length) if length > 0 else b""
    split = urlsplit(handler.path)
    query = _first_values(parse_qs(split.query, keep_blank_values=True))
    headers = {name.lower(): value for name, value in handler.headers.items()}
    return _Request(handler.command, split.path, query, headers, body, handler.path)


def _write_reply(handler: BaseHTTPRequestHandler, reply: _Reply) -> None:
    handler.send_response(reply.status)
    for name, value in reply.headers:
        handler.send_header(name, value)
    if reply.status not in (HTTPStatus.NO_CONTENT, HTTPStatus.NOT_MODIFIED):
        handler.send_header("Content-Length", str(len(reply.body)))
    handler.end_headers()
    if reply.body and handler.command != "HEAD":
        handler.wfile.write(reply.body)


class _Server(ThreadingHTTPServer):
    """Tracks open connections and joins its handler threads on close; no reverse-DNS lookup."""

    daemon_threads = False
    block_on_close = True

    def __init__(self, handler: type[BaseHTTPRequestHandler]) -> None:
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        super().__init__(("127.0.0.1", 0), handler)  # port 0: the OS picks a free one

    def server_bind(self) -> None:
        socketserver.TCPServer.server_bind(self)
        self.server_name = "127.0.0.1"
        self.server_port = self.server_address[1]

    def process_request(self, request: _Connection, client_address: Any) -> None:
        if isinstance(request, socket.socket):  # registered before its thread starts
            with self._connections_lock:
                self._connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: _Connection) -> None:
        if isinstance(request, socket.socket):
            with self._connections_lock:
                self._connections.discard(request)
        super().shutdown_request(request)

    def hang_up(self) -> None:
        """Shut down every open connection, waking handlers that wait for a next request."""
        with self._connections_lock:
            connections = list(self._connections)
        for connection in connections:
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


class _StandIn:
    """A real HTTP/1.1 server on 127.0.0.1; subclasses answer requests in ``_handle``."""

    def __init__(self) -> None:
        self.calls: list[ApiCall] = []
        self._lock = threading.RLock()
        self._failures: deque[_Reply] = deque()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._port = 0

    @property
    def url(self) -> str:
        """``http://127.0.0.1:PORT`` while running."""
        if self._server is None:
            raise RuntimeError(f"{type(self).__name__} is not running; use it in a with block")
        return f"http://127.0.0.1:{self._port}"

    def start(self) -> Self:
        if self._server is not None:
            raise RuntimeError(f"{type(self).__name__} is already running")
        server = _Server(_handler_for(self))
        self._port = server.server_port
        name = f"{type(self).__name__}@{self._port}"
        thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.02}, name=name, daemon=True
        )
        thread.start()
        self._server, self._thread = server, thread
        return self

    def stop(self) -> None:
        """Stop serving, close kept-alive connections, join all threads, close the socket."""
        server, thread = self._server, self._thread
        if server is None or thread is None:
            return
        server.shutdown()  # after this no connection is accepted
        server.hang_up()
        server.server_close()  # joins the handler threads
        thread.join()
        self._server = self._thread = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def _queue_failures(self, n: int, reply: _Reply) -> None:
        if n < 0:
            raise ValueError("n must be >= 0")
        with self._lock:
            self._failures.extend([reply] * n)

    def _dispatch(self, request: _Request) -> _Reply:
        with self._lock:
            self.calls.append(ApiCall(request.path, request.query, self._decode(request)))
            if self._failures:
                return self._failures.popleft()
            return self._handle(request)

    def _decode(self, request: _Request) -> Any:
        return _json_value(request.body)

    def _handle(self, request: _Request) -> _Reply:
        raise NotImplementedError


def _handler_for(standin: _StandIn) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = type(standin).__name__
        sys_version = ""

        def setup(self) -> None:
            super().setup()
            # Headers and body go out in two writes; without this, Nagle + delayed ACK add 40 ms.
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

        def do_GET(self) -> None:
            self._serve()

        def do_POST(self) -> None:
            self._serve()

        def _serve(self) -> None:
            try:
                reply = standin._dispatch(_read_request(self))
            except Exception:  # a stand-in bug: show the traceback rather than drop the line
                reply = _text_reply(500, traceback.format_exc())
            _write_reply(self, reply)

        def log_message(self, format: str, *args: Any) -> None:
            return

    return Handler


class RedirectAdapter(HTTPAdapter):
    """A ``requests`` transport adapter that sends URLs under ``origin`` to ``target`` instead."""

    def __init__(self, origin: str, target: str) -> None:
        super().__init__()
        self.origin = origin.rstrip("/")
        self.target = target.rstrip("/")

    def send(
        self,
        request: PreparedRequest,
        stream: bool = False,
        timeout: float | tuple[float | None, float | None] | None = None,
        verify: bool | str = True,
        cert: str | tuple[str, str] | None = None,
        proxies: Mapping[str, str] | None = None,
    ) -> Response:
        url = request.url or ""
        if url.startswith(self.origin + "/"):
            request.url = self.target + url[len(self.origin) :]
        return super().send(
            request, stream=stream, timeout=timeout, verify=verify, cert=cert, proxies={}
        )


# --- WeChat ---------------------------------------------------------------------------------

WECHAT_ERRORS: dict[int, str] = {
    -1: "system error",
    40001: "invalid credential, access_token is invalid or not latest",
    40002: "invalid grant_type",
    40003: "invalid openid",
    40008: "invalid message type",
    40013: "invalid appid",
    40015: "invalid button type",
    40016: "invalid button size",
    40017: "invalid sub button size",
    40018: "invalid button name size",
    40019: "invalid button key size",
    40020: "invalid button url size",
    40024: "invalid sub button type",
    40025: "invalid sub button name size",
    40026: "invalid sub button key size",
    40027: "invalid sub button url size",
    40037: "invalid template_id",
    41001: "access_token missing",
    41002: "appid missing",
    41004: "appsecret missing",
    42001: "access_token expired",
    43001: "require GET method",
    43002: "require POST method",
    44004: "empty content",
    45015: "response out of time limit or subscription is canceled",
    45047: "out of response count limit",
    47001: "data format error",
}
_WECHAT_JSON = "application/json; encoding=utf-8"
_CUSTOM_MSGTYPES = frozenset(
    "text image voice video music news mpnews msgmenu wxcard miniprogrampage".split()
)
_BUTTON_TYPES = frozenset(
    "click view scancode_push scancode_waitmsg pic_sysphoto pic_photo_or_album pic_weixin"
    " location_select media_id view_limited article_id article_view_limited miniprogram".split()
)


def _wechat_reply(errcode: int = 0, **extra: object) -> _Reply:
    errmsg = "ok" if errcode == 0 else WECHAT_ERRORS.get(errcode, "error")
    return _json_reply({"errcode": errcode, "errmsg": errmsg, **extra}, content_type=_WECHAT_JSON)


def _byte_length_ok(value: object, limit: int) -> bool:
    return isinstance(value, str) and 0 < len(value.encode()) <= limit


def _action_error(button: dict[str, Any], sub: bool) -> int:
    """The errcode for a leaf button's type/key/url, 0 if it is valid."""
    kind = button.get("type")
    if kind not in _BUTTON_TYPES:
        return 40024 if sub else 40015
    if kind == "click" and not _byte_length_ok(button.get("key"), 128):
        return 40026 if sub else 40019
    if kind == "view" and not _byte_length_ok(button.get("url"), 1024):
        return 40027 if sub else 40020
    return 0


def _button_error(button: object) -> int:
    if not isinstance(button, dict):
        return 47001
    if not _byte_length_ok(button.get("name"), 16):
        return 40018
    subs = button.get("sub_button")
    if not subs:
        return _action_error(button, sub=False)
    if not isinstance(subs, list) or len(subs) > 5:
        return 40017
    for sub in subs:
        if not isinstance(sub, dict):
            return 47001
        if not _byte_length_ok(sub.get("name"), 60):
            return 40025
        if error := _action_error(sub, sub=True):
            return error
    return 0


def _menu_error(menu: object) -> int:
    """WeChat's checks on a ``menu/create`` body: 1-3 buttons, 1-5 sub-buttons, names, actions."""
    buttons = menu.get("button") if isinstance(menu, dict) else None
    if not isinstance(buttons, list) or not 1 <= len(buttons) <= 3:
        return 40016
    for button in buttons:
        if error := _button_error(button):
            return error
    return 0


def _json_object(body: bytes) -> dict[str, Any] | None:
    value = _json_value(body)
    return value if isinstance(value, dict) else None


@dataclass
class _Window:
    opened_at: float
    sent: int = 0


class WeChatApiStandIn(_StandIn):
    """The WeChat official-account server API under ``/cgi-bin/``.

    Answers ``GET /cgi-bin/token``, ``POST /cgi-bin/message/custom/send``,
    ``POST /cgi-bin/message/template/send`` and ``POST /cgi-bin/menu/create`` with WeChat's JSON
    (HTTP 200 plus ``errcode``/``errmsg``). Other paths answer HTTP 404.
    """

    TOKEN_TTL = 7200
    TOKEN_GRACE = 300  # an older token stays valid this long after a new one is issued
    WINDOW_SECONDS = 48 * 3600
    WINDOW_MESSAGES = 5

    def __init__(
        self,
        appid: str = "wx0123456789abcdef",
        secret: str = "standin-secret",
        *,
        templates: Iterable[str] = (),
    ) -> None:
        super().__init__()
        self.appid = appid
        self.secret = secret
        self.templates: set[str] = set(templates)
        self.issued_tokens: list[str] = []
        self.menu: dict[str, Any] | None = None
        self._tokens: dict[str, float] = {}
        self._windows: dict[str, _Window] = {}
        self._custom: list[dict[str, Any]] = []
        self._template_messages: list[dict[str, Any]] = []
        self._next_msgid = 2_000_000_001
        self._offset = 0.0
        self._routes: dict[str, tuple[str, Callable[[_Request], _Reply]]] = {
            "/cgi-bin/token": ("GET", self._token),
            "/cgi-bin/message/custom/send": ("POST", self._custom_send),
            "/cgi-bin/message/template/send": ("POST", self._template_send),
            "/cgi-bin/menu/create": ("POST", self._menu_create),
        }

    # -- test controls

    def user_messaged(self, openid: str) -> None:
        """The user wrote to the account: open (or refresh) a 48 h window of 5 messages."""
        with self._lock:
            self._windows[openid] = _Window(self._now())

    def advance(self, seconds: float) -> None:
        """Move the stand-in's clock forward (token expiry, customer-service windows)."""
        with self._lock:
            self._offset += seconds

    def fail_next(self, n: int = 1, *, status: int = 500, errcode: int | None = None) -> None:
        """The next ``n`` requests fail: HTTP ``status``, or HTTP 200 with ``errcode``."""
        if errcode is not None:
            reply = _wechat_reply(errcode)
        else:
            page = f"<html><body><h1>{status} {HTTPStatus(status).phrase}</h1></body></html>"
            reply = _text_reply(status, page, "text/html")
        self._queue_failures(n, reply)

    def sent_texts(self, openid: str) -> list[str]:
        """Contents of the text customer-service messages WeChat accepted for ``openid``."""
        with self._lock:
            return [
                message["text"]["content"]
                for message in self._custom
                if message["touser"] == openid and message["msgtype"] == "text"
            ]

    def sent_templates(self, openid: str) -> list[dict[str, Any]]:
        """Bodies of the template messages WeChat accepted for ``openid``."""
        with self._lock:
            return [m for m in self._template_messages if m["touser"] == openid]

    def requests_adapter(self) -> RedirectAdapter:
        """Mount on a ``requests.Session`` at ``https://api.weixin.qq.com/``."""
        return RedirectAdapter(WECHAT_API_ORIGIN, self.url)

    # -- protocol

    def _now(self) -> float:
        return time.time() + self._offset

    def _handle(self, request: _Request) -> _Reply:
        route = self._routes.get(request.path)
        if route is None:
            return _text_reply(404, f"{type(self).__name__} does not serve {request.path}")
        method, action = route
        if request.method != method:
            return _wechat_reply(43001 if method == "GET" else 43002)
        if request.path != "/cgi-bin/token":
            if errcode := self._token_error(request.query.get("access_token")):
                return _wechat_reply(errcode)
        return action(request)

    def _token_error(self, token: str | None) -> int:
        if not token:
            return 41001
        expires_at = self._tokens.get(token)
        if expires_at is None:
            return 40001
        return 42001 if self._now() >= expires_at else 0

    def _credentials_error(self, query: dict[str, str]) -> int:
        if query.get("grant_type") != "client_credential":
            return 40002
        if not query.get("appid"):
            return 41002
        if query["appid"] != self.appid:
            return 40013
        if not query.get("secret"):
            return 41004
        return 40001 if query["secret"] != self.secret else 0

    def _token(self, request: _Request) -> _Reply:
        if errcode := self._credentials_error(request.query):
            return _wechat_reply(errcode)
        now = self._now()
        for older, expires_at in self._tokens.items():
            self._tokens[older] = min(expires_at, now + self.TOKEN_GRACE)
        token = secrets.token_urlsafe(96)
        self._tokens[token] = now + self.TOKEN_TTL
        self.issued_tokens.append(token)
        payload = {"access_token": token, "expires_in": self.TOKEN_TTL}
        return _json_reply(payload, content_type=_WECHAT_JSON)

    def _custom_error(self, message: dict[str, Any]) -> int:
        if not isinstance(message.get("touser"), str) or not message["touser"]:
            return 40003
        msgtype = message.get("msgtype")
        if msgtype not in _CUSTOM_MSGTYPES:
            return 40008
        payload = message.get(msgtype)
        if not isinstance(payload, dict):
            return 47001
        if msgtype == "text" and not payload.get("content"):
            return 44004
        return self._window_error(message["touser"])

    def _window_error(self, openid: str) -> int:
        window = self._windows.get(openid)
        if window is None or self._now() - window.opened_at > self.WINDOW_SECONDS:
            return 45015
        return 45047 if window.sent >= self.WINDOW_MESSAGES else 0

    def _custom_send(self, request: _Request) -> _Reply:
        message = _json_object(request.body)
        errcode = 47001 if message is None else self._custom_error(message)
        if message is None or errcode:
            return _wechat_reply(errcode)
        self._windows[message["touser"]].sent += 1
        self._custom.append(message)
        return _wechat_reply()

    def _template_send(self, request: _Request) -> _Reply:
        message = _json_object(request.body)
        if message is None or not isinstance(message.get("data"), dict):
            return _wechat_reply(47001)
        if not isinstance(message.get("touser"), str) or not message["touser"]:
            return _wechat_reply(40003)
        if message.get("template_id") not in self.templates:
            return _wechat_reply(40037)
        msgid = self._next_msgid
        self._next_msgid += 1
        self._template_messages.append(message)
        return _wechat_reply(msgid=msgid)

    def _menu_create(self, request: _Request) -> _Reply:
        menu = _json_object(request.body)
        if menu is None:
            return _wechat_reply(47001)
        if errcode := _menu_error(menu):
            return _wechat_reply(errcode)
        self.menu = menu
        return _wechat_reply()


# --- Twilio ---------------------------------------------------------------------------------

MESSAGE_STATUSES = frozenset(
    {"queued", "sending", "sent", "delivered", "undelivered", "failed", "read", "canceled"}
)
_E164 = re.compile(r"\+[1-9][0-9]{1,14}")
_MESSAGES = re.compile(rf"/{TWILIO_API_VERSION}/Accounts/(?P<account>[^/]+)/Messages\.json")
_MESSAGE = re.compile(
    rf"/{TWILIO_API_VERSION}/Accounts/(?P<account>[^/]+)/Messages/(?P<sid>[^/]+)\.json"
)
_GSM7 = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡"
    "ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
_GSM7_EXTENDED = set("^{}\\[~]|€\f")


def num_segments(body: str) -> int:
    """SMS segments for ``body``: GSM-7 160/153 septets, otherwise UCS-2 70/67 code units."""
    if all(char in _GSM7 or char in _GSM7_EXTENDED for char in body):
        units = len(body) + sum(char in _GSM7_EXTENDED for char in body)
        single, multi = 160, 153
    else:
        units = len(body.encode("utf-16-le")) // 2
        single, multi = 70, 67
    return 1 if units <= single else math.ceil(units / multi)


class CallbackResponse(Protocol):
    """What ``deliver`` returns: an ``httpx`` response (``httpx2`` from Starlette's TestClient)."""

    @property
    def status_code(self) -> int: ...

    @property
    def text(self) -> str: ...


class CallbackClient(Protocol):
    """What ``deliver(client=...)`` accepts: ``httpx.Client``, Starlette's ``TestClient``."""

    def post(
        self, url: str, *, data: Mapping[str, str], headers: Mapping[str, str]
    ) -> CallbackResponse: ...


def _twilio_error(status: int, code: int, message: str) -> _Reply:
    payload = {
        "code": code,
        "message": message,
        "more_info": f"https://www.twilio.com/docs/errors/{code}",
        "status": status,
    }
    return _json_reply(payload, status)


def _basic_auth(header: str | None) -> tuple[str, str] | None:
    scheme, _, encoded = (header or "").partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(encoded, validate=True).decode()
    except ValueError:  # binascii.Error and UnicodeDecodeError are ValueErrors
        return None
    user, colon, password = decoded.partition(":")
    return (user, password) if colon else None


def _rfc2822(moment: datetime | None) -> str | None:
    return format_datetime(moment) if moment else None


@dataclass
class _Message:
    sid: str
    account_sid: str
    to: str
    from_: str | None
    messaging_service_sid: str | None
    body: str
    status_callback: str | None
    date_created: datetime
    status: str = "queued"
    error_code: int | None = None
    date_sent: datetime | None = None
    date_updated: datetime = field(init=False)

    def __post_init__(self) -> None:
        self.date_updated = self.date_created

    @property
    def uri(self) -> str:
        return f"/{TWILIO_API_VERSION}/Accounts/{self.account_sid}/Messages/{self.sid}.json"

    def record(self) -> dict[str, Any]:
        return {
            "sid": self.sid,
            "to": self.to,
            "from": self.from_,
            "body": self.body,
            "status_callback": self.status_callback,
            "status": self.status,
            "error_code": self.error_code,
        }

    def resource(self) -> dict[str, Any]:
        """The Message resource JSON as Twilio returns it."""
        base = self.uri.removesuffix(".json")
        return {
            "account_sid": self.account_sid,
            "api_version": TWILIO_API_VERSION,
            "body": self.body,
            "date_created": _rfc2822(self.date_created),
            "date_sent": _rfc2822(self.date_sent),
            "date_updated": _rfc2822(self.date_updated),
            "direction": "outbound-api",
            "error_code": self.error_code,
            "error_message": None,
            "from": self.from_,
            "messaging_service_sid": self.messaging_service_sid,
            "num_media": "0",
            "num_segments": str(num_segments(self.body)),
            "price": None,
            "price_unit": "USD",
            "sid": self.sid,
            "status": self.status,
            "subresource_uris": {"media": f"{base}/Media.json"},
            "to": self.to,
            "uri": self.uri,
        }

    def callback_params(self) -> dict[str, str]:
        params = {
            "ApiVersion": TWILIO_API_VERSION,
            "AccountSid": self.account_sid,
            "MessageSid": self.sid,
            "MessageStatus": self.status,
            "SmsSid": self.sid,
            "SmsStatus": self.status,
            "To": self.to,
            "From": self.from_ or "",
        }
        if self.error_code is not None:
            params["ErrorCode"] = str(self.error_code)
        return params


class TwilioApiStandIn(_StandIn):
    """Twilio's Programmable Messaging REST API (``/2010-04-01/Accounts/{sid}/Messages``).

    ``POST .../Messages.json`` (form-encoded, HTTP Basic ``sid:token``) answers 201 with the
    Message resource; ``GET .../Messages/{MessageSid}.json`` answers the current resource.
    Errors use Twilio's JSON: 401/20003, 400/21211 (To not E.164), 400/21610 (opted out),
    400/21602-21604 (missing Body/From/To), 404/20404.
    """

    def __init__(
        self,
        account_sid: str = "AC" + "0" * 32,
        auth_token: str = "standin-auth-token",
        *,
        opted_out: Iterable[str] = (),
    ) -> None:
        super().__init__()
        self.account_sid = account_sid
        self.auth_token = auth_token
        self._opted_out: set[str] = set(opted_out)
        self._messages: dict[str, _Message] = {}

    # -- test controls

    @property
    def messages(self) -> list[dict[str, Any]]:
        """Accepted messages: sid, to, from, body, status_callback, status, error_code."""
        with self._lock:
            return [message.record() for message in self._messages.values()]

    def opt_out(self, number: str) -> None:
        """The recipient replied STOP: further messages to ``number`` fail with 21610."""
        with self._lock:
            self._opted_out.add(number)

    def opt_in(self, number: str) -> None:
        """The recipient replied START."""
        with self._lock:
            self._opted_out.discard(number)

    def fail_next(self, n: int = 1, *, status: int = 500) -> None:
        """The next ``n`` requests answer HTTP ``status`` with Twilio's error JSON (2xxxx)."""
        if status < 400:
            raise ValueError("status must be an HTTP error status")
        self._queue_failures(n, _twilio_error(status, 20000 + status, HTTPStatus(status).phrase))

    def deliver(
        self,
        sid: str,
        status: str = "delivered",
        error_code: int | None = None,
        *,
        client: CallbackClient | None = None,
    ) -> CallbackResponse | None:
        """Set the message's status and POST Twilio's signed status callback to its URL.

        Returns the callback's response, or None when the message has no StatusCallback.
        """
        if status not in MESSAGE_STATUSES:
            raise ValueError(f"unknown message status {status!r}")
        with self._lock:
            message = self._messages.get(sid)
            if message is None:
                raise LookupError(f"no message {sid}")
            self._set_status(message, status, error_code)
            url, params = message.status_callback, message.callback_params()
        if url is None:
            return None
        return self._post_callback(url, params, client)

    # -- protocol

    @staticmethod
    def _set_status(message: _Message, status: str, error_code: int | None) -> None:
        now = datetime.now(UTC)
        message.status, message.error_code, message.date_updated = status, error_code, now
        if status in {"sent", "delivered", "read"} and message.date_sent is None:
            message.date_sent = now

    def _post_callback(
        self, url: str, params: dict[str, str], client: CallbackClient | None
    ) -> CallbackResponse:
        headers = {
            "X-Twilio-Signature": RequestValidator(self.auth_token).compute_signature(url, params),
            "User-Agent": "TwilioProxy/1.1",
            "I-Twilio-Idempotency-Token": str(uuid.uuid4()),
        }
        if client is not None:
            return client.post(url, data=params, headers=headers)
        verify = url.startswith("https://")  # loading CA certificates costs ~0.1 s per call
        with httpx.Client(trust_env=False, timeout=10, verify=verify) as own:
            return own.post(url, data=params, headers=headers)

    def _decode(self, request: _Request) -> Any:
        return _form(request.body) if request.body else None

    def _handle(self, request: _Request) -> _Reply:
        if _basic_auth(request.headers.get("authorization")) != (
            self.account_sid,
            self.auth_token,
        ):
            return _twilio_error(401, 20003, "Authenticate")
        if (match := _MESSAGES.fullmatch(request.path)) and request.method == "POST":
            if match["account"] != self.account_sid:
                return _twilio_error(401, 20003, "Authenticate")
            return self._create(_form(request.body))
        if (match := _MESSAGE.fullmatch(request.path)) and request.method == "GET":
            message = self._messages.get(match["sid"])
            if message is not None and match["account"] == self.account_sid:
                return _json_reply(message.resource())
        return _twilio_error(404, 20404, f"The requested resource {request.path} was not found")

    def _form_error(self, form: dict[str, str]) -> _Reply | None:
        to, callback = form.get("To", ""), form.get("StatusCallback")
        if not to:
            return _twilio_error(400, 21604, "A 'To' phone number is required.")
        if not _E164.fullmatch(to):
            return _twilio_error(400, 21211, f"Invalid 'To' Phone Number: {to}")
        if not form.get("From") and not form.get("MessagingServiceSid"):
            return _twilio_error(400, 21603, "A 'From' phone number is required.")
        if not form.get("Body") and not form.get("MediaUrl") and not form.get("ContentSid"):
            return _twilio_error(400, 21602, "Message body is required.")
        if len(form.get("Body", "")) > 1600:
            message = "The concatenated message body exceeds the 1600 character limit."
            return _twilio_error(400, 21617, message)
        if callback is not None and urlsplit(callback).scheme not in ("http", "https"):
            return _twilio_error(400, 21609, f"Invalid StatusCallback url: {callback}")
        if to in self._opted_out:
            return _twilio_error(400, 21610, "Attempt to send to unsubscribed recipient")
        return None

    def _create(self, form: dict[str, str]) -> _Reply:
        if (error := self._form_error(form)) is not None:
            return error
        message = _Message(
            sid="SM" + secrets.token_hex(16),
            account_sid=self.account_sid,
            to=form["To"],
            from_=form.get("From"),
            messaging_service_sid=form.get("MessagingServiceSid"),
            body=form.get("Body", ""),
            status_callback=form.get("StatusCallback"),
            date_created=datetime.now(UTC).replace(microsecond=0),
        )
        self._messages[message.sid] = message
        return _json_reply(message.resource(), 201)


# --- webhook receiver -----------------------------------------------------------------------


class ReceivedRequest(NamedTuple):
    """A request a ``CallbackRecorder`` received; ``url`` is the full URL as requested."""

    method: str
    url: str
    headers: dict[str, str]  # names lower-cased
    form: dict[str, str]
    body: bytes


class CallbackRecorder(_StandIn):
    """A webhook endpoint (any path) that records each request and answers ``status``."""

    def __init__(self, status: int = 200) -> None:
        super().__init__()
        self.status = status
        self.received: list[ReceivedRequest] = []

    def _handle(self, request: _Request) -> _Reply:
        is_form = request.headers.get("content-type", "").startswith(
            "application/x-www-form-urlencoded"
        )
        form = _form(request.body) if is_form else {}
        received = ReceivedRequest(
            request.method, self.url + request.target, request.headers, form, request.body
        )
        self.received.append(received)
        return _Reply(self.status, headers=(("Content-Type", "text/plain"),))
