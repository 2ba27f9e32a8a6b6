"""WeChat channel: signatures, safe-mode AES, WeChat's documented message XML, safe parsing."""

import hashlib
import time

import pytest
import xmltodict
from wechatpy.crypto import WeChatCrypto
from wechatpy.events import SubscribeEvent

from bot.exceptions import Forbidden, MalformedRequest, PayloadTooLarge
from channels import wechat
from channels.base import Reply

TOKEN, APPID = "hotline-token", "wx0123456789abcdef"
AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"  # 43 characters, as WeChat issues it
NOW = 1_764_000_000


def signed(timestamp: int = NOW, nonce: str = "n0nce", token: str = TOKEN) -> dict[str, str]:
    parts = sorted([token, str(timestamp), nonce])
    signature = hashlib.sha1("".join(parts).encode()).hexdigest()
    return {"signature": signature, "timestamp": str(timestamp), "nonce": nonce}


def text_xml(content: str, msg_id: int = 1234567890123456, sender: str = "oTourist1") -> str:
    return (
        f"<xml><ToUserName><![CDATA[gh_hotline]]></ToUserName>"
        f"<FromUserName><![CDATA[{sender}]]></FromUserName><CreateTime>{NOW}</CreateTime>"
        f"<MsgType><![CDATA[text]]></MsgType><Content><![CDATA[{content}]]></Content>"
        f"<MsgId>{msg_id}</MsgId></xml>"
    )


@pytest.fixture
def channel() -> wechat.WeChatChannel:
    return wechat.WeChatChannel(token=TOKEN, appid=APPID, clock=lambda: NOW)


def test_a_correct_signature_passes_and_echoes_for_url_verification(channel) -> None:
    assert channel.echo({**signed(), "echostr": "7204982"}) == "7204982"


@pytest.mark.parametrize(
    "query",
    [
        {},
        {**signed(), "signature": "0" * 40},
        signed(token="someone-else"),
        {**signed(), "nonce": "changed"},
    ],
)
def test_missing_or_forged_signatures_are_refused(channel, query) -> None:
    with pytest.raises(Forbidden):
        channel.verify(query)


def test_a_replayed_old_timestamp_is_refused(channel) -> None:
    with pytest.raises(Forbidden, match="时间戳"):
        channel.verify(signed(timestamp=NOW - 3600))


def test_text_message_becomes_one_inbound_with_the_msgid_as_dedup_key(channel) -> None:
    parsed = channel.parse(text_xml("青峰山几点开门"))
    assert parsed.inbound.channel == "wechat"
    assert parsed.inbound.conversation_id == "wechat:oTourist1"
    assert parsed.inbound.text == "青峰山几点开门"
    assert parsed.inbound.dedup_key == "wechat:1234567890123456"
    assert parsed.answer is None


def test_voice_message_uses_wechats_recognition(channel) -> None:
    xml = (
        "<xml><ToUserName><![CDATA[gh]]></ToUserName><FromUserName><![CDATA[oT]]></FromUserName>"
        f"<CreateTime>{NOW}</CreateTime><MsgType><![CDATA[voice]]></MsgType>"
        "<MediaId><![CDATA[media1]]></MediaId><Format><![CDATA[amr]]></Format>"
        "<Recognition><![CDATA[青锋山门票多少钱]]></Recognition><MsgId>42</MsgId></xml>"
    )
    parsed = channel.parse(xml)
    assert parsed.inbound.text == "青锋山门票多少钱"
    assert parsed.answer is None


def test_voice_without_recognition_is_answered_by_the_channel(channel) -> None:
    xml = (
        "<xml><ToUserName>gh</ToUserName><FromUserName>oT</FromUserName>"
        f"<CreateTime>{NOW}</CreateTime><MsgType>voice</MsgType><MediaId>m</MediaId>"
        "<Format>amr</Format><Recognition></Recognition><MsgId>43</MsgId></xml>"
    )
    parsed = channel.parse(xml)
    assert parsed.answer == [Reply(wechat.NOT_HEARD)]


def test_image_is_an_attachment(channel) -> None:
    xml = (
        "<xml><ToUserName>gh</ToUserName><FromUserName>oT</FromUserName>"
        f"<CreateTime>{NOW}</CreateTime><MsgType>image</MsgType>"
        "<PicUrl>http://mmbiz.qpic.cn/x</PicUrl><MediaId>MEDIA_ID_1</MediaId><MsgId>44</MsgId></xml>"
    )
    parsed = channel.parse(xml)
    assert parsed.attachment == "MEDIA_ID_1"
    assert parsed.inbound.meta == {"media_id": "MEDIA_ID_1"}


def test_location_says_the_place(channel) -> None:
    xml = (
        "<xml><ToUserName>gh</ToUserName><FromUserName>oT</FromUserName>"
        f"<CreateTime>{NOW}</CreateTime><MsgType>location</MsgType>"
        "<Location_X>25.04</Location_X><Location_Y>102.71</Location_Y><Scale>15</Scale>"
        "<Label><![CDATA[云溪市青峰山景区南门]]></Label><MsgId>45</MsgId></xml>"
    )
    parsed = channel.parse(xml)
    assert parsed.inbound.text == "云溪市青峰山景区南门"
    assert parsed.inbound.meta == {"location": ["25.04", "102.71"]}


def event_xml(event: str, key: str = "") -> str:
    return (
        "<xml><ToUserName>gh</ToUserName><FromUserName>oT</FromUserName>"
        f"<CreateTime>{NOW}</CreateTime><MsgType>event</MsgType><Event>{event}</Event>"
        f"<EventKey>{key}</EventKey></xml>"
    )


def test_subscribe_gets_the_welcome_with_the_menu(channel) -> None:
    parsed = channel.parse(event_xml("subscribe"))
    assert isinstance(parsed.message, SubscribeEvent)
    assert parsed.answer is not None and "欢迎关注" in parsed.answer[0].text
    assert "我要投诉" in parsed.answer[0].text
    assert parsed.inbound.dedup_key == f"wechat:oT:{NOW}:event"


def test_unsubscribe_is_stored_and_answered_with_nothing(channel) -> None:
    parsed = channel.parse(event_xml("unsubscribe"))
    assert parsed.answer == []
    assert parsed.inbound.text == "[取消关注]"


def test_menu_click_speaks_for_the_tourist(channel) -> None:
    parsed = channel.parse(event_xml("CLICK", "COMPLAIN"))
    assert parsed.inbound.text == "我要投诉"
    assert parsed.answer is None


def test_unsupported_types_get_a_plain_explanation(channel) -> None:
    xml = (
        "<xml><ToUserName>gh</ToUserName><FromUserName>oT</FromUserName>"
        f"<CreateTime>{NOW}</CreateTime><MsgType>video</MsgType><MediaId>v</MediaId>"
        "<ThumbMediaId>t</ThumbMediaId><MsgId>46</MsgId></xml>"
    )
    assert channel.parse(xml).answer == [Reply(wechat.UNSUPPORTED)]


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<xml><ToUserName>gh</ToUserName><FromUserName>oT</FromUserName><Content>&lol2;</Content></xml>"""
EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE xml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<xml><FromUserName>oT</FromUserName><MsgType>text</MsgType><Content>&xxe;</Content></xml>"""


@pytest.mark.parametrize("body", [BILLION_LAUGHS, EXTERNAL_ENTITY])
def test_entity_payloads_are_refused_before_parsing(channel, body: bytes) -> None:
    with pytest.raises(MalformedRequest, match="DOCTYPE"):
        channel.decrypt(body, signed())


@pytest.mark.parametrize(
    "xml", ["<xml><FromUserName>oT", "not xml at all", "<xml><MsgType>text</MsgType></xml>"]
)
def test_malformed_xml_is_refused(channel, xml: str) -> None:
    with pytest.raises(MalformedRequest):
        channel.parse(xml)


def test_wrong_encoding_and_huge_bodies_are_refused(channel) -> None:
    with pytest.raises(MalformedRequest, match="UTF-8"):
        channel.decrypt(text_xml("你好").encode("gbk"), signed())
    with pytest.raises(PayloadTooLarge):
        channel.decrypt(b"x" * (10 * 1024 * 1024), signed())


def test_passive_reply_is_wechat_text_xml_addressed_back(channel) -> None:
    parsed = channel.parse(text_xml("你好"))
    reply = xmltodict.parse(channel.render(parsed.message, [Reply("您好！")], signed()))["xml"]
    assert reply["ToUserName"] == "oTourist1"
    assert reply["FromUserName"] == "gh_hotline"
    assert reply["MsgType"] == "text"
    assert reply["Content"] == "您好！"


def test_nothing_to_say_renders_success(channel) -> None:
    parsed = channel.parse(text_xml("你好"))
    assert channel.render(parsed.message, [], signed()) == "success"


def test_long_replies_are_cut_and_suggestions_are_numbered() -> None:
    assert len(wechat.as_text([Reply("长" * 2000)])) == wechat.MAX_TEXT_CHARS
    text = wechat.as_text(
        [
            Reply(
                "您是不是想问：\n1. 门票\n2. 开放时间",
                buttons=[{"title": "门票", "payload": "门票"}],
            )
        ]
    )
    assert text.endswith("（回复序号即可）")


def test_safe_mode_round_trip_with_real_aes() -> None:
    channel = wechat.WeChatChannel(token=TOKEN, appid=APPID, aes_key=AES_KEY, clock=lambda: NOW)
    platform = WeChatCrypto(TOKEN, AES_KEY, APPID)  # what WeChat's servers do
    envelope = platform.encrypt_message(text_xml("青峰山停车场在哪"), "n0nce", str(NOW))
    fields = xmltodict.parse(envelope)["xml"]
    query = {
        **signed(),
        "encrypt_type": "aes",
        "msg_signature": fields["MsgSignature"],
    }
    xml = channel.decrypt(envelope.encode(), query)
    parsed = channel.parse(xml)
    assert parsed.inbound.text == "青峰山停车场在哪"
    encrypted_reply = channel.render(parsed.message, [Reply("南门停车场")], query)
    reply_fields = xmltodict.parse(encrypted_reply)["xml"]
    plain = platform.decrypt_message(
        encrypted_reply, reply_fields["MsgSignature"], reply_fields["TimeStamp"], "n0nce"
    )
    assert xmltodict.parse(plain)["xml"]["Content"] == "南门停车场"


def test_safe_mode_refuses_a_forged_message_signature_and_plaintext() -> None:
    channel = wechat.WeChatChannel(token=TOKEN, appid=APPID, aes_key=AES_KEY, clock=lambda: NOW)
    envelope = WeChatCrypto(TOKEN, AES_KEY, APPID).encrypt_message(text_xml("hi"), "n", str(NOW))
    with pytest.raises(Forbidden, match="msg_signature"):
        channel.decrypt(
            envelope.encode(), {**signed(), "encrypt_type": "aes", "msg_signature": "0"}
        )
    with pytest.raises(Forbidden, match="加密"):
        channel.decrypt(text_xml("hi").encode(), signed())


def test_customer_service_window_counts_the_quota() -> None:
    opened = wechat.utcnow()
    sent = {"n": 0}
    window = wechat.CustomerServiceWindow(lambda _: opened, lambda _openid, _since: sent["n"])
    assert window.remaining("oT") == 5
    sent["n"] = 5
    assert window.remaining("oT") == 0
    stale = wechat.CustomerServiceWindow(
        lambda _: opened - wechat.CUSTOMER_SERVICE_WINDOW - wechat.timedelta(seconds=1),
        lambda _openid, _since: 0,
    )
    assert stale.remaining("oT") == 0


def test_the_menu_fits_wechats_limits() -> None:
    menu = wechat.menu_definition()["button"]
    assert len(menu) <= 3
    assert all(len(b.get("sub_button", [])) <= 5 for b in menu)
    keys = {s["key"] for b in menu for s in b.get("sub_button", [b])}
    assert keys == set(wechat.MENU_BY_KEY)


def test_clock_default_is_real_time() -> None:
    live = wechat.WeChatChannel(token=TOKEN, appid=APPID)
    live.verify(signed(timestamp=int(time.time())))
