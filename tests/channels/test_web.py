import json

import pytest

from bot.exceptions import InvalidInput, MalformedRequest, PayloadTooLarge
from channels import web
from channels.base import Reply


def body(**payload: object) -> bytes:
    return json.dumps(payload, ensure_ascii=False).encode()


def test_parse_namespaces_the_sender_and_strips_text() -> None:
    inbound = web.parse(body(sender="u1", text="  青峰山门票多少钱？ "), max_chars=100)
    assert inbound.text == "青峰山门票多少钱？"
    assert inbound.conversation_id == "web:u1"


@pytest.mark.parametrize(
    ("raw", "error", "message"),
    [
        (b"\xff\xfe\x00bad", MalformedRequest, "UTF-8"),
        (b'{"sender": "u1", "text": ', MalformedRequest, "JSON"),
        (b'["u1", "hi"]', InvalidInput, "JSON 对象"),
        (body(sender="u1", text=""), InvalidInput, "不能为空"),
        (body(sender="u1", text="   "), InvalidInput, "不能为空"),
        (body(sender="u1", text=42), InvalidInput, "text 须为字符串"),
        (body(sender=7, text="你好"), InvalidInput, "sender"),
        (body(sender="a b", text="你好"), InvalidInput, "sender"),
        (body(text="你好"), InvalidInput, "sender"),
        (body(sender="u1", text="好" * 101), InvalidInput, "过长"),
        (body(sender="u1", text="x" * 100_000), PayloadTooLarge, "过大"),
    ],
)
def test_parse_refuses_bad_input_with_a_reason(
    raw: bytes, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        web.parse(raw, max_chars=100)


def test_render_keeps_buttons_and_custom_payloads() -> None:
    replies = [
        Reply(text="您是不是想问：", buttons=[{"title": "门票", "payload": "门票"}]),
        Reply(text="已转人工", custom={"handoff": True}),
    ]
    assert web.render(replies) == {
        "messages": [
            {"text": "您是不是想问：", "buttons": [{"title": "门票", "payload": "门票"}]},
            {"text": "已转人工", "custom": {"handoff": True}},
        ]
    }


def test_reply_from_engine_message() -> None:
    reply = Reply.from_engine(
        {
            "recipient_id": "web:u1",
            "text": "确认吗",
            "buttons": [{"title": "是", "payload": "/affirm"}],
        }
    )
    assert reply == Reply(text="确认吗", buttons=[{"title": "是", "payload": "/affirm"}])


def test_an_actions_json_message_is_folded_into_its_text() -> None:
    replies = Reply.from_engine_messages(
        [
            {"recipient_id": "web:u1", "text": "请拨打110"},
            {"recipient_id": "web:u1", "custom": {"alert": "emergency"}},
            {"recipient_id": "web:u1", "text": "还有什么可以帮您？"},
        ]
    )
    assert replies == [
        Reply(text="请拨打110", custom={"alert": "emergency"}),
        Reply(text="还有什么可以帮您？"),
    ]
