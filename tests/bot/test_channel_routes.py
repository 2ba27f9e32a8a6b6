"""Every channel endpoint in process, engine down: real signatures and payloads in, the
knowledge base's answers out, bad input refused with a clear 4xx and nothing stored."""

import hashlib
import time
from collections.abc import Iterator
from urllib.parse import urlencode

import pytest
import xmltodict
from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect
from twilio.request_validator import RequestValidator
from wechatpy.crypto import WeChatCrypto

from bot.app import create_app
from bot.messages import InboundMessage, Outcome
from bot.services import Services
from bot.settings import Settings
from channels import voice
from knowledge_base.importer import read_csv
from tests.conftest import DEMO_KB

WX_TOKEN, APPID, AES_KEY = "wx-token", "wx0123456789abcdef", "k" * 43
TWILIO_SID, TWILIO_AUTH, PUBLIC = "AC" + "2" * 32, "twilio-auth", "https://hotline.example.gov.cn"
VOICE_SECRET = "voice-secret"


def channel_settings(settings: Settings, **extra: object) -> Settings:
    return settings.model_copy(
        update={
            "wechat_token": WX_TOKEN,
            "wechat_appid": APPID,
            "twilio_account_sid": TWILIO_SID,
            "twilio_auth_token": TWILIO_AUTH,
            "public_url": PUBLIC,
            "voice_secret": VOICE_SECRET,
            **extra,
        }
    )


def start(settings: Settings) -> TestClient:
    services = Services.build(settings)
    if services.faqs.count() == 0:
        services.faqs.upsert_many(read_csv(DEMO_KB), changed_by="test")
    services.close()
    return TestClient(create_app(settings))


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    with start(channel_settings(settings)) as client:
        yield client


def stored(client: TestClient, sender: str) -> list[InboundMessage]:
    services: Services = client.app.state.services  # type: ignore[attr-defined]
    return services.messages.recent(sender)


# -- WeChat


def wx_query(timestamp: int | None = None, nonce: str = "nonce1") -> dict[str, str]:
    ts = str(timestamp or int(time.time()))
    signature = hashlib.sha1("".join(sorted([WX_TOKEN, ts, nonce])).encode()).hexdigest()
    return {"signature": signature, "timestamp": ts, "nonce": nonce}


def wx_text(content: str, msg_id: int = 6100000000000000001, sender: str = "oT1") -> bytes:
    return (
        f"<xml><ToUserName><![CDATA[gh_hotline]]></ToUserName><FromUserName><![CDATA[{sender}]]>"
        f"</FromUserName><CreateTime>{int(time.time())}</CreateTime><MsgType><![CDATA[text]]>"
        f"</MsgType><Content><![CDATA[{content}]]></Content><MsgId>{msg_id}</MsgId></xml>"
    ).encode()


def wx_post(client: TestClient, body: bytes, query: dict[str, str] | None = None):
    return client.post(
        "/channels/wechat", params=wx_query() if query is None else query, content=body
    )


def test_wechat_url_verification_echoes_only_when_signed(client: TestClient) -> None:
    assert client.get("/channels/wechat", params={**wx_query(), "echostr": "e1"}).text == "e1"
    forged = {**wx_query(), "signature": "0" * 40, "echostr": "e1"}
    response = client.get("/channels/wechat", params=forged)
    assert response.status_code == 403 and "签名" in response.json()["error"]


def test_wechat_question_gets_a_passive_text_reply(client: TestClient) -> None:
    response = wx_post(client, wx_text("青峰山门票多少钱"))
    assert response.status_code == 200
    reply = xmltodict.parse(response.text)["xml"]
    assert reply["ToUserName"] == "oT1" and "120元" in reply["Content"]
    [record] = stored(client, "wechat:oT1")
    assert record.outcome == Outcome.degraded and record.dedup_key == "wechat:6100000000000000001"


def test_wechat_retries_of_one_msgid_make_one_turn_and_one_reply(client: TestClient) -> None:
    body = wx_text("青峰山门票多少钱")
    replies = [xmltodict.parse(wx_post(client, body).text)["xml"] for _ in range(3)]
    for reply in replies:  # CreateTime is the time of sending: a retry a second later differs
        del reply["CreateTime"]
    assert replies[0] == replies[1] == replies[2] and "120元" in replies[0]["Content"]
    assert len(stored(client, "wechat:oT1")) == 1


def test_wechat_subscribe_gets_the_welcome(client: TestClient) -> None:
    body = (
        "<xml><ToUserName>gh</ToUserName><FromUserName>oT2</FromUserName>"
        f"<CreateTime>{int(time.time())}</CreateTime><MsgType>event</MsgType>"
        "<Event>subscribe</Event></xml>"
    ).encode()
    reply = xmltodict.parse(wx_post(client, body).text)["xml"]
    assert "欢迎关注" in reply["Content"]
    assert [m.text for m in stored(client, "wechat:oT2")] == ["[关注]"]


def test_wechat_image_is_kept_for_the_next_complaint(client: TestClient) -> None:
    body = (
        "<xml><ToUserName>gh</ToUserName><FromUserName>oT3</FromUserName>"
        f"<CreateTime>{int(time.time())}</CreateTime><MsgType>image</MsgType>"
        "<PicUrl>http://mmbiz.qpic.cn/x</PicUrl><MediaId>MEDIA_1</MediaId><MsgId>77</MsgId></xml>"
    ).encode()
    reply = xmltodict.parse(wx_post(client, body).text)["xml"]
    assert "图片" in reply["Content"]
    services: Services = client.app.state.services  # type: ignore[attr-defined]
    from bot.complaints.service import ComplaintDraft

    draft = ComplaintDraft(
        "wechat", "wechat:oT3", "13800138000", "商店", "昨天", "古镇", "其他", "x"
    )
    complaint = services.complaints.submit(draft, idempotency_key="k-img")
    assert [a.media_id for a in services.complaints.attachments(complaint.id)] == ["MEDIA_1"]


@pytest.mark.parametrize(
    ("query", "body", "status", "fragment"),
    [
        ({}, wx_text("hi"), 403, "签名"),
        ({"signature": "0" * 40, "timestamp": "1", "nonce": "n"}, wx_text("hi"), 403, "签名"),
        ("old", wx_text("hi"), 403, "时间戳"),
        (None, b"<xml><FromUserName>oT1</Fr", 400, "XML"),
        (None, b'<!DOCTYPE x [<!ENTITY a "b">]><xml>&a;</xml>', 400, "DOCTYPE"),
        (None, "<xml><Content>你好</Content></xml>".encode("gbk"), 400, "UTF-8"),
        (None, b"<xml>" + b"a" * (10 * 1024 * 1024) + b"</xml>", 413, "过大"),
    ],
)
def test_wechat_bad_input_is_refused_and_nothing_is_stored(
    client: TestClient, query, body: bytes, status: int, fragment: str
) -> None:
    if query == "old":
        query = wx_query(timestamp=int(time.time()) - 3600)
    response = wx_post(client, body, query if query is not None else wx_query())
    assert response.status_code == status
    assert fragment in response.json()["error"]
    assert stored(client, "wechat:oT1") == []


def test_wechat_safe_mode_answers_encrypted(settings: Settings) -> None:
    platform = WeChatCrypto(WX_TOKEN, AES_KEY, APPID)
    with start(channel_settings(settings, wechat_aes_key=AES_KEY)) as client:
        query = wx_query()
        envelope = platform.encrypt_message(
            wx_text("青峰山门票多少钱").decode(), query["nonce"], query["timestamp"]
        )
        signature = xmltodict.parse(envelope)["xml"]["MsgSignature"]
        query = {**query, "encrypt_type": "aes", "msg_signature": signature}
        response = wx_post(client, envelope.encode(), query)
        assert response.status_code == 200
        fields = xmltodict.parse(response.text)["xml"]
        plain = platform.decrypt_message(
            response.text, fields["MsgSignature"], fields["TimeStamp"], query["nonce"]
        )
        assert "120元" in xmltodict.parse(plain)["xml"]["Content"]
        plaintext = wx_post(client, wx_text("hi"))
        assert plaintext.status_code == 403


def test_a_channel_without_secrets_is_disabled(settings: Settings) -> None:
    with start(settings) as client:
        response = client.post("/channels/sms", content=b"Body=hi")
        assert response.status_code == 404 and "未启用" in response.json()["error"]


# -- SMS


def sms_post(
    client: TestClient, form: dict[str, str], signature: str | None = None, path="/channels/sms"
):
    sig = signature or RequestValidator(TWILIO_AUTH).compute_signature(PUBLIC + path, form)
    return client.post(
        path,
        content=urlencode(form).encode(),
        headers={"content-type": "application/x-www-form-urlencoded", "x-twilio-signature": sig},
    )


def sms_form(
    body: str, sid: str = "SM" + "b" * 32, sender: str = "+8613900139000"
) -> dict[str, str]:
    return {
        "MessageSid": sid,
        "AccountSid": TWILIO_SID,
        "From": sender,
        "To": "+15005550006",
        "Body": body,
    }


def test_sms_question_is_answered_in_twiml_with_the_short_answer(client: TestClient) -> None:
    response = sms_post(client, sms_form("青峰山门票多少钱"))
    assert response.status_code == 200 and response.headers["content-type"].startswith(
        "application/xml"
    )
    message = xmltodict.parse(response.text)["Response"]["Message"]
    assert message == "青峰山门票旺季120元、淡季80元，不含索道（演示数据）。"


def test_sms_stop_and_start_are_stored(client: TestClient) -> None:
    services: Services = client.app.state.services  # type: ignore[attr-defined]
    reply = xmltodict.parse(sms_post(client, sms_form("退订")).text)["Response"]["Message"]
    assert "已退订" in reply and services.optouts.is_opted_out("+8613900139000")
    sms_post(client, sms_form("START", sid="SM" + "c" * 32))
    assert not services.optouts.is_opted_out("+8613900139000")


def test_sms_forged_requests_are_refused(client: TestClient) -> None:
    response = sms_post(client, sms_form("hi"), signature="forged")
    assert response.status_code == 403 and "X-Twilio-Signature" in response.json()["error"]
    assert stored(client, "sms:+8613900139000") == []


def test_sms_delivery_status_callbacks_are_recorded(client: TestClient) -> None:
    services: Services = client.app.state.services  # type: ignore[attr-defined]
    services.outbox.enqueue(channel="sms", recipient="+8613900139000", text="x", kind="reply")
    from sqlalchemy import update

    from bot.outbox import OutboxMessage

    with services.db.session() as session:
        session.execute(update(OutboxMessage).values(provider_id="SM" + "d" * 32))
    form = {"MessageSid": "SM" + "d" * 32, "MessageStatus": "delivered", "AccountSid": TWILIO_SID}
    assert sms_post(client, form, path="/channels/sms/status").status_code == 204
    assert services.outbox.recent()[0].provider_status == "delivered"
    assert (
        sms_post(client, form, signature="forged", path="/channels/sms/status").status_code == 403
    )


# -- voice


def voice_post(
    client: TestClient, event: dict | bytes, *, secret: str = VOICE_SECRET, age: int = 0
):
    body = event if isinstance(event, bytes) else voice_json(event)
    ts = str(int(time.time()) - age)
    return client.post(
        "/channels/voice/events",
        content=body,
        headers={"x-hotline-timestamp": ts, "x-hotline-signature": voice.sign(secret, ts, body)},
    )


def voice_json(event: dict) -> bytes:
    import json

    return json.dumps(event, ensure_ascii=False).encode()


def said(call_id: str, text: str, *, final: bool = True, start_ms: int = 0) -> dict:
    return {
        "type": "utterance",
        "call_id": call_id,
        "speaker": "caller",
        "text": text,
        "is_final": final,
        "start_ms": start_ms,
        "end_ms": start_ms + 1500,
    }


def test_voice_call_from_start_to_end(client: TestClient) -> None:
    started = voice_post(
        client,
        {"type": "call.started", "call_id": "c1", "caller": "13800138000", "hotline": "12301"},
    )
    assert started.json()["say"].startswith("您好，这里是12301")
    assert voice_post(client, said("c1", "嗯那个青锋山", final=False)).json()["type"] == "ignored"
    answer = voice_post(client, said("c1", "嗯那个青锋山门票多少钱", start_ms=2000)).json()
    assert answer["type"] == "bot.say"
    assert "120元" in answer["say"] and "（" not in answer["say"]
    assert (
        voice_post(client, {"type": "call.ended", "call_id": "c1"}).json()["type"] == "call.closed"
    )
    late = voice_post(client, said("c1", "还有问题", start_ms=9000))
    assert late.status_code == 409 and "已结束" in late.json()["error"]
    assert [m.text for m in stored(client, "voice:c1")] == ["嗯那个青锋山门票多少钱"]


@pytest.mark.parametrize(
    ("event", "kwargs", "status", "fragment"),
    [
        (said("unknown-call", "你好"), {}, 404, "未知的通话"),
        ({"type": "call.ended", "call_id": "c9"}, {"secret": "wrong"}, 401, "签名"),
        ({"type": "call.ended", "call_id": "c9"}, {"age": 3600}, 401, "时间戳"),
        (b'{"type": "utterance"', {}, 400, "JSON"),
        (b'{"type": "utterance", "call_id": "c9"}', {}, 422, "speaker"),
        (b'{"pad": "' + b"x" * (10 * 1024 * 1024) + b'"}', {}, 413, "过大"),
    ],
)
def test_voice_bad_events_are_refused(client: TestClient, event, kwargs, status, fragment) -> None:
    response = voice_post(client, event, **kwargs)
    assert response.status_code == status
    assert fragment in response.json()["error"]


def test_voice_websocket_needs_the_token(client: TestClient) -> None:
    with pytest.raises(WebSocketDisconnect) as refused:
        with client.websocket_connect("/channels/voice") as ws:
            ws.receive_json()
    assert refused.value.code == 1008


def test_voice_websocket_carries_a_call(client: TestClient) -> None:
    headers = {"authorization": f"Bearer {VOICE_SECRET}"}
    with client.websocket_connect("/channels/voice", headers=headers) as ws:
        ws.send_text(
            '{"type": "call.started", "call_id": "w1", "caller": "13800138000", "hotline": "12345"}'
        )
        assert ws.receive_json()["type"] == "call.accepted"
        ws.send_text("not json")
        assert "JSON" in ws.receive_json()["error"]  # the stream stays open
        ws.send_text(voice_json(said("w1", "青峰山门票多少钱")).decode())
        reply = ws.receive_json()
        assert reply["type"] == "bot.say" and "120元" in reply["say"]
        ws.send_text('{"type": "call.ended", "call_id": "w1"}')
        assert ws.receive_json()["type"] == "call.closed"


def test_the_demo_chat_page_is_served(client: TestClient) -> None:
    page = client.get("/chat")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert 'data-testid="chat-input"' in page.text and "/channels/web" in page.text


def test_sms_huge_bodies_are_refused_before_reading(client: TestClient) -> None:
    response = client.post(
        "/channels/sms",
        content=b"Body=" + b"x" * (10 * 1024 * 1024),
        headers={"content-type": "application/x-www-form-urlencoded", "x-twilio-signature": "x"},
    )
    assert response.status_code == 413 and "过大" in response.json()["error"]
