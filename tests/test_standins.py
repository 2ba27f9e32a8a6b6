"""The WeChat and Twilio stand-ins, driven by the real SDK clients over real HTTP."""

import gc
import re
import socket
import threading
import warnings
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi import FastAPI, Request
from fastapi import Response as FastApiResponse
from fastapi.testclient import TestClient
from twilio.base.exceptions import TwilioRestException
from twilio.request_validator import RequestValidator
from twilio.rest import Client as TwilioClient
from wechatpy import WeChatClient
from wechatpy.exceptions import WeChatClientException

from tests.standins import (
    CallbackRecorder,
    TwilioApiStandIn,
    WeChatApiStandIn,
    num_segments,
)

APPID, SECRET = "wx123", "s3cret"
OPENID = "oUser-1"
SID, TOKEN = "AC" + "1" * 32, "twilio-token"
SENDER, RECIPIENT = "+15005550006", "+8613800138000"
MENU = {
    "button": [
        {"type": "click", "name": "今日景点", "key": "TODAY"},
        {
            "name": "服务",
            "sub_button": [
                {"type": "view", "name": "门票预订", "url": "https://hotline.example/tickets"},
                {"type": "click", "name": "投诉", "key": "COMPLAINT"},
            ],
        },
    ]
}


@pytest.fixture
def wx() -> Iterator[WeChatApiStandIn]:
    with WeChatApiStandIn(appid=APPID, secret=SECRET, templates=["tpl_booking"]) as standin:
        yield standin


def pointed_wechat_client(
    standin: WeChatApiStandIn, appid: str = APPID, secret: str = SECRET, **options: Any
) -> WeChatClient:
    client = WeChatClient(appid, secret, **options)
    client._http.mount("https://api.weixin.qq.com/", standin.requests_adapter())
    return client


@pytest.fixture
def wechat(wx: WeChatApiStandIn) -> Iterator[WeChatClient]:
    client = pointed_wechat_client(wx)
    yield client
    client._http.close()


@pytest.fixture
def tw() -> Iterator[TwilioApiStandIn]:
    with TwilioApiStandIn(account_sid=SID, auth_token=TOKEN) as standin:
        yield standin


def pointed_twilio_client(standin: TwilioApiStandIn, token: str = TOKEN) -> TwilioClient:
    client = TwilioClient(SID, token)
    client.api.base_url = standin.url
    return client


MakeTwilioClient = Callable[..., TwilioClient]


@pytest.fixture
def twilio() -> Iterator[MakeTwilioClient]:
    clients: list[TwilioClient] = []

    def make(standin: TwilioApiStandIn, token: str = TOKEN) -> TwilioClient:
        clients.append(pointed_twilio_client(standin, token))
        return clients[-1]

    yield make
    for client in clients:
        client.http_client.session.close()


@pytest.fixture
def sink() -> Iterator[CallbackRecorder]:
    with CallbackRecorder() as recorder:
        yield recorder


# --- WeChat ---------------------------------------------------------------------------------


def test_the_sdk_fetches_its_token_from_the_stand_in(
    wx: WeChatApiStandIn, wechat: WeChatClient
) -> None:
    result = wechat.fetch_access_token()

    assert result["expires_in"] == 7200
    assert result["access_token"] == wx.issued_tokens[0] == wechat.access_token
    assert wx.calls[0].path == "/cgi-bin/token"
    assert wx.calls[0].query == {
        "grant_type": "client_credential",
        "appid": APPID,
        "secret": SECRET,
    }


@pytest.mark.parametrize(
    ("appid", "secret", "errcode"), [("wx999", SECRET, 40013), (APPID, "wrong", 40001)]
)
def test_wrong_credentials_get_wechat_errcodes(
    wx: WeChatApiStandIn, appid: str, secret: str, errcode: int
) -> None:
    client = pointed_wechat_client(wx, appid, secret)
    with pytest.raises(WeChatClientException) as caught:
        client.fetch_access_token()
    client._http.close()

    assert caught.value.errcode == errcode
    assert wx.issued_tokens == []


def test_send_text_inside_the_window_is_recorded_as_wechatpy_sent_it(
    wx: WeChatApiStandIn, wechat: WeChatClient
) -> None:
    wx.user_messaged(OPENID)

    assert wechat.message.send_text(OPENID, "青峰山门票 60 元") == {"errcode": 0, "errmsg": "ok"}

    send = wx.calls[-1]
    assert send.path == "/cgi-bin/message/custom/send"
    assert send.query == {"access_token": wx.issued_tokens[0]}
    assert send.body == {
        "touser": OPENID,
        "msgtype": "text",
        "text": {"content": "青峰山门票 60 元"},
    }
    assert wx.sent_texts(OPENID) == ["青峰山门票 60 元"]
    assert wx.sent_texts("someone-else") == []


def test_customer_service_messages_need_an_open_48_hour_window(
    wx: WeChatApiStandIn, wechat: WeChatClient
) -> None:
    with pytest.raises(WeChatClientException) as never_wrote:
        wechat.message.send_text(OPENID, "您好")
    wx.user_messaged(OPENID)
    wx.advance(48 * 3600 + 1)
    wechat.fetch_access_token()  # the 2-hour token expired too; the window is what is tested
    with pytest.raises(WeChatClientException) as window_closed:
        wechat.message.send_text(OPENID, "您好")

    assert never_wrote.value.errcode == window_closed.value.errcode == 45015
    assert window_closed.value.errmsg == "response out of time limit or subscription is canceled"
    assert wx.sent_texts(OPENID) == []


def test_a_window_allows_five_messages_until_the_user_writes_again(
    wx: WeChatApiStandIn, wechat: WeChatClient
) -> None:
    wx.user_messaged(OPENID)
    for n in range(5):
        wechat.message.send_text(OPENID, f"第{n + 1}条")
    with pytest.raises(WeChatClientException) as sixth:
        wechat.message.send_text(OPENID, "第6条")
    wx.user_messaged(OPENID)
    wechat.message.send_text(OPENID, "用户又来消息了")

    assert sixth.value.errcode == 45047
    assert sixth.value.errmsg == "out of response count limit"
    assert wx.sent_texts(OPENID) == [f"第{n}条" for n in range(1, 6)] + ["用户又来消息了"]


def test_template_messages_need_a_known_template_not_a_window(
    wx: WeChatApiStandIn, wechat: WeChatClient
) -> None:
    data = {"first": {"value": "预订成功"}, "keyword1": {"value": "青峰山"}}
    result = wechat.message.send_template(OPENID, "tpl_booking", data, url="https://h.example/1")
    again = wechat.message.send_template(OPENID, "tpl_booking", data)
    with pytest.raises(WeChatClientException) as unknown:
        wechat.message.send_template(OPENID, "tpl_nope", data)

    assert result["errcode"] == 0 and isinstance(result["msgid"], int)
    assert again["msgid"] == result["msgid"] + 1
    assert unknown.value.errcode == 40037
    assert wx.sent_templates(OPENID)[0] == {
        "touser": OPENID,
        "template_id": "tpl_booking",
        "url": "https://h.example/1",
        "data": data,
    }
    assert "url" not in wx.sent_templates(OPENID)[1]


def test_a_valid_menu_is_stored(wx: WeChatApiStandIn, wechat: WeChatClient) -> None:
    assert wechat.menu.create(MENU) == {"errcode": 0, "errmsg": "ok"}
    assert wx.menu == MENU


@pytest.mark.parametrize(
    ("menu", "errcode"),
    [
        ({"button": [{"type": "click", "name": f"b{i}", "key": "K"} for i in range(4)]}, 40016),
        ({"button": []}, 40016),
        ({"menu": []}, 40016),
        (
            {
                "button": [
                    {"name": "多", "sub_button": [{"type": "click", "name": "s", "key": "K"}] * 6}
                ]
            },
            40017,
        ),
        ({"button": [{"type": "click", "key": "K"}]}, 40018),
        ({"button": [{"type": "click", "name": "名字太长了超过十六字节", "key": "K"}]}, 40018),
        ({"button": [{"type": "teleport", "name": "x"}]}, 40015),
        ({"button": [{"type": "view", "name": "x"}]}, 40020),
        ({"button": [{"name": "x", "sub_button": [{"type": "click", "key": "K"}]}]}, 40025),
    ],
)
def test_menu_create_rejects_what_wechat_rejects(
    wx: WeChatApiStandIn, wechat: WeChatClient, menu: dict[str, Any], errcode: int
) -> None:
    with pytest.raises(WeChatClientException) as caught:
        wechat.menu.create(menu)

    assert caught.value.errcode == errcode
    assert wx.menu is None


def test_fail_next_status_is_a_provider_outage(wx: WeChatApiStandIn, wechat: WeChatClient) -> None:
    wechat.fetch_access_token()
    wx.user_messaged(OPENID)
    wx.fail_next(2, status=503)
    for _ in range(2):
        with pytest.raises(WeChatClientException) as caught:
            wechat.message.send_text(OPENID, "您好")
        assert caught.value.errcode is None
        assert caught.value.response.status_code == 503

    wechat.message.send_text(OPENID, "您好")
    assert wx.sent_texts(OPENID) == ["您好"]


def test_fail_next_errcode_is_a_wechat_system_error(
    wx: WeChatApiStandIn, wechat: WeChatClient
) -> None:
    wechat.fetch_access_token()
    wx.user_messaged(OPENID)
    wx.fail_next(1, errcode=-1)
    with pytest.raises(WeChatClientException) as caught:
        wechat.message.send_text(OPENID, "您好")

    assert (caught.value.errcode, caught.value.errmsg) == (-1, "system error")
    assert caught.value.response.status_code == 200
    assert wx.sent_texts(OPENID) == []


def test_an_expired_token_is_refetched_by_the_sdk(
    wx: WeChatApiStandIn, wechat: WeChatClient
) -> None:
    wechat.fetch_access_token()
    wx.user_messaged(OPENID)
    wx.advance(7201)  # the SDK still trusts its token; the server says 42001

    wechat.message.send_text(OPENID, "您好")

    paths = [call.path for call in wx.calls]
    assert paths == ["/cgi-bin/token", "/cgi-bin/message/custom/send"] * 2
    assert wx.calls[-1].query["access_token"] == wx.issued_tokens[1]
    assert wx.sent_texts(OPENID) == ["您好"]


def test_a_wrong_token_is_40001_when_the_sdk_does_not_retry(wx: WeChatApiStandIn) -> None:
    client = pointed_wechat_client(wx, access_token="forged", auto_retry=False)
    wx.user_messaged(OPENID)
    with pytest.raises(WeChatClientException) as caught:
        client.message.send_text(OPENID, "您好")
    client._http.close()

    assert caught.value.errcode == 40001
    assert wx.calls[0].query == {"access_token": "forged"}


def test_api_base_url_works_once_the_token_url_is_overridden_too(wx: WeChatApiStandIn) -> None:
    class BaseUrlClient(WeChatClient):
        def fetch_access_token(self) -> dict[str, Any]:
            params = {"grant_type": "client_credential", "appid": self.appid, "secret": self.secret}
            return self._fetch_access_token(url=self.API_BASE_URL + "token", params=params)

    client = BaseUrlClient(APPID, SECRET)
    client.API_BASE_URL = wx.url + "/cgi-bin/"
    wx.user_messaged(OPENID)
    client.message.send_text(OPENID, "您好")
    client._http.close()

    assert [call.path for call in wx.calls] == ["/cgi-bin/token", "/cgi-bin/message/custom/send"]


# --- Twilio ---------------------------------------------------------------------------------


def test_messages_create_parses_into_a_message_instance(
    tw: TwilioApiStandIn, twilio: MakeTwilioClient
) -> None:
    callback = "https://hotline.example/sms/status?channel=sms"
    message = twilio(tw).messages.create(
        to=RECIPIENT, from_=SENDER, body="您的投诉已受理", status_callback=callback
    )

    assert re.fullmatch(r"SM[0-9a-f]{32}", message.sid)
    assert (message.to, message.from_, message.body) == (RECIPIENT, SENDER, "您的投诉已受理")
    assert (message.status, message.account_sid, message.num_segments) == ("queued", SID, "1")
    assert message.date_created is not None and message.date_created.tzinfo is not None
    assert message.uri == f"/2010-04-01/Accounts/{SID}/Messages/{message.sid}.json"
    assert tw.calls[0].path == f"/2010-04-01/Accounts/{SID}/Messages.json"
    assert tw.calls[0].body == {
        "To": RECIPIENT,
        "From": SENDER,
        "Body": "您的投诉已受理",
        "StatusCallback": callback,
    }
    assert tw.messages == [
        {
            "sid": message.sid,
            "to": RECIPIENT,
            "from": SENDER,
            "body": "您的投诉已受理",
            "status_callback": callback,
            "status": "queued",
            "error_code": None,
        }
    ]


@pytest.mark.parametrize(
    ("body", "segments"),
    [("a" * 160, 1), ("a" * 161, 2), ("{" * 80, 1), ("{" * 81, 2), ("好" * 70, 1), ("好" * 71, 2)],
)
def test_num_segments_follow_gsm7_and_ucs2(body: str, segments: int) -> None:
    assert num_segments(body) == segments


@pytest.mark.parametrize(
    ("token", "to", "status", "code"),
    [
        ("wrong-token", RECIPIENT, 401, 20003),
        (TOKEN, "13800138000", 400, 21211),
        (TOKEN, "+86 138 0013 8000", 400, 21211),
        (TOKEN, "+0123", 400, 21211),
    ],
)
def test_rejections_arrive_as_twilio_rest_exceptions(
    tw: TwilioApiStandIn, twilio: MakeTwilioClient, token: str, to: str, status: int, code: int
) -> None:
    with pytest.raises(TwilioRestException) as caught:
        twilio(tw, token).messages.create(to=to, from_=SENDER, body="您好")

    assert (caught.value.status, caught.value.code) == (status, code)
    assert tw.messages == []


def test_opted_out_recipients_get_21610_until_they_opt_in(
    tw: TwilioApiStandIn, twilio: MakeTwilioClient
) -> None:
    client = twilio(tw)
    tw.opt_out(RECIPIENT)
    with pytest.raises(TwilioRestException) as caught:
        client.messages.create(to=RECIPIENT, from_=SENDER, body="您好")
    tw.opt_in(RECIPIENT)
    client.messages.create(to=RECIPIENT, from_=SENDER, body="您好")

    assert (caught.value.status, caught.value.code) == (400, 21610)
    assert "Attempt to send to unsubscribed recipient" in caught.value.msg
    assert len(tw.messages) == 1


def test_fail_next_answers_500_then_recovers(
    tw: TwilioApiStandIn, twilio: MakeTwilioClient
) -> None:
    client = twilio(tw)
    tw.fail_next(1, status=500)
    with pytest.raises(TwilioRestException) as caught:
        client.messages.create(to=RECIPIENT, from_=SENDER, body="您好")
    client.messages.create(to=RECIPIENT, from_=SENDER, body="您好")

    assert (caught.value.status, caught.value.code) == (500, 20500)
    assert len(tw.calls) == 2 and len(tw.messages) == 1


def test_deliver_posts_a_signed_status_callback(
    tw: TwilioApiStandIn, twilio: MakeTwilioClient, sink: CallbackRecorder
) -> None:
    client = twilio(tw)
    callback = sink.url + "/sms/status?channel=sms"
    message = client.messages.create(
        to=RECIPIENT, from_=SENDER, body="您好", status_callback=callback
    )

    response = tw.deliver(message.sid, "undelivered", error_code=30003)

    assert response is not None and response.status_code == 200
    [received] = sink.received
    assert received.method == "POST" and received.url == callback
    assert received.form == {
        "ApiVersion": "2010-04-01",
        "AccountSid": SID,
        "MessageSid": message.sid,
        "MessageStatus": "undelivered",
        "SmsSid": message.sid,
        "SmsStatus": "undelivered",
        "To": RECIPIENT,
        "From": SENDER,
        "ErrorCode": "30003",
    }
    signature = received.headers["x-twilio-signature"]
    assert RequestValidator(TOKEN).validate(received.url, received.form, signature)
    assert not RequestValidator("other-token").validate(received.url, received.form, signature)
    fetched = client.messages(message.sid).fetch()
    assert (fetched.status, fetched.error_code) == ("undelivered", 30003)


def test_deliver_reaches_an_in_process_app_that_validates_the_signature(
    tw: TwilioApiStandIn, twilio: MakeTwilioClient
) -> None:
    app = FastAPI()
    seen: list[dict[str, str]] = []

    @app.post("/sms/status")
    async def status(request: Request) -> FastApiResponse:
        form = {name: str(value) for name, value in (await request.form()).items()}
        signature = request.headers.get("X-Twilio-Signature", "")
        if not RequestValidator(TOKEN).validate(str(request.url), form, signature):
            return FastApiResponse(status_code=403)
        seen.append(form)
        return FastApiResponse(status_code=204)

    message = twilio(tw).messages.create(
        to=RECIPIENT, from_=SENDER, body="您好", status_callback="http://testserver/sms/status"
    )
    with TestClient(app) as app_client:
        response = tw.deliver(message.sid, client=app_client)

    assert response is not None and response.status_code == 204
    assert [(form["MessageSid"], form["MessageStatus"]) for form in seen] == [
        (message.sid, "delivered")
    ]
    assert "ErrorCode" not in seen[0]
    assert tw.messages[0]["status"] == "delivered"


def test_deliver_without_a_callback_only_updates_the_status(
    tw: TwilioApiStandIn, twilio: MakeTwilioClient
) -> None:
    message = twilio(tw).messages.create(to=RECIPIENT, from_=SENDER, body="您好")

    assert tw.deliver(message.sid, "sent") is None
    assert tw.messages[0]["status"] == "sent"
    with pytest.raises(ValueError):
        tw.deliver(message.sid, "teleported")
    with pytest.raises(LookupError):
        tw.deliver("SM" + "0" * 32)


# --- lifecycle ------------------------------------------------------------------------------


def _refused(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    except ConnectionRefusedError:
        return True
    return False


def test_stopping_closes_the_port_and_joins_threads_even_with_idle_connections() -> None:
    threads_before = set(threading.enumerate())
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with WeChatApiStandIn(appid=APPID, secret=SECRET) as wx:
            port = int(wx.url.rsplit(":", 1)[1])
            client = pointed_wechat_client(wx)
            client.fetch_access_token()  # leaves a kept-alive connection in the client's pool
            idle = socket.create_connection(("127.0.0.1", port))  # and one that never speaks
        idle.close()
        client._http.close()
        del client
        gc.collect()

    assert _refused(port)
    assert set(threading.enumerate()) == threads_before
    assert [w for w in caught if issubclass(w.category, ResourceWarning)] == []
    with pytest.raises(RuntimeError, match="not running"):
        _ = wx.url
