"""SMS channel: Twilio's signature over the public URL, the form, TwiML, STOP / 退订."""

from urllib.parse import urlencode

import pytest
import xmltodict
from twilio.request_validator import RequestValidator

from bot.exceptions import Forbidden, InvalidInput, MalformedRequest, PayloadTooLarge
from channels import sms
from channels.base import Reply

AUTH = "twilio-auth-token"
URL = "https://hotline.example.gov.cn/channels/sms"
FORM = {
    "MessageSid": "SM" + "a" * 32,
    "AccountSid": "AC" + "1" * 32,
    "From": "+8613800138000",
    "To": "+15005550006",
    "Body": "青峰山门票多少钱",
    "NumMedia": "0",
}


def signature(form: dict[str, str], url: str = URL, token: str = AUTH) -> str:
    return str(RequestValidator(token).compute_signature(url, form))


@pytest.fixture
def channel() -> sms.SmsChannel:
    return sms.SmsChannel(auth_token=AUTH, public_url="https://hotline.example.gov.cn/")


def test_a_twilio_signed_form_is_accepted_and_parsed(channel) -> None:
    form = channel.verify(
        channel.url_of("/channels/sms"), urlencode(FORM).encode(), signature(FORM)
    )
    inbound = channel.parse(form)
    assert inbound.conversation_id == "sms:+8613800138000"
    assert inbound.text == "青峰山门票多少钱"
    assert inbound.dedup_key == f"sms:{FORM['MessageSid']}"


@pytest.mark.parametrize(
    "sig",
    [
        None,
        "",
        signature(FORM, token="another-account"),
        signature(FORM, url="https://attacker.example.com/channels/sms"),
        signature({**FORM, "Body": "别的内容"}),
    ],
)
def test_forged_or_missing_signatures_are_refused(channel, sig: str | None) -> None:
    with pytest.raises(Forbidden, match="X-Twilio-Signature"):
        channel.verify(URL, urlencode(FORM).encode(), sig)


def test_query_strings_are_part_of_what_twilio_signs(channel) -> None:
    url = channel.url_of("/channels/sms", "hotline=12301")
    form = channel.verify(url, urlencode(FORM).encode(), signature(FORM, url=url))
    assert form["Body"] == FORM["Body"]


def test_bad_bodies_are_refused(channel) -> None:
    with pytest.raises(PayloadTooLarge):
        channel.verify(URL, b"Body=" + b"x" * (1024 * 1024), "sig")
    with pytest.raises(MalformedRequest, match="UTF-8"):
        channel.verify(URL, "Body=你好".encode("gbk"), "sig")
    with pytest.raises(InvalidInput, match="为空"):
        channel.parse({**FORM, "Body": "  "})
    with pytest.raises(InvalidInput, match="From"):
        channel.parse({"Body": "hi"})


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("STOP", True),
        ("stop", True),
        (" 退订 ", True),
        ("TD", True),
        ("START", False),
        ("订阅", False),
        ("stop the bus", None),
        ("门票", None),
    ],
)
def test_opt_out_keywords(text: str, expected: bool | None) -> None:
    assert sms.keyword(text) is expected


def test_twiml_reply_is_cut_to_two_segments(channel) -> None:
    twiml = channel.render([Reply("长" * 400)])
    body = xmltodict.parse(twiml)["Response"]["Message"]
    assert len(body) == sms.MAX_REPLY_CHARS and body.endswith("…")


def test_nothing_to_say_is_an_empty_twiml_response(channel) -> None:
    assert xmltodict.parse(channel.render([]))["Response"] is None


def test_suggestions_ask_for_a_number() -> None:
    replies = [
        Reply(
            "您是不是想问：\n1. 门票\n2. 开放时间", buttons=[{"title": "门票", "payload": "门票"}]
        )
    ]
    assert sms.as_text(replies).endswith("回复序号即可")
