"""Voice transcripts: the event protocol, HMAC signatures and replays, TTS-friendly replies."""

import json
from pathlib import Path

import pytest

from bot.exceptions import InvalidInput, MalformedRequest, PayloadTooLarge, Unauthorized
from channels import voice
from channels.base import Reply

SECRET = "voice-secret"
NOW = 1_764_000_000
SCHEMA = Path(__file__).parents[2] / "docs" / "voice-protocol.schema.json"


@pytest.fixture
def channel() -> voice.VoiceChannel:
    return voice.VoiceChannel(secret=SECRET, clock=lambda: NOW)


def test_a_signed_event_is_accepted(channel) -> None:
    body = b'{"type": "call.ended", "call_id": "c1"}'
    channel.verify(str(NOW), voice.sign(SECRET, str(NOW), body), body)


@pytest.mark.parametrize(
    ("timestamp", "sig_of"),
    [
        (None, None),
        (str(NOW), "sha256=" + "0" * 64),
        (str(NOW), voice.sign("wrong-secret", str(NOW), b"{}")),
        (str(NOW - 600), voice.sign(SECRET, str(NOW - 600), b"{}")),  # replayed
        ("yesterday", voice.sign(SECRET, "yesterday", b"{}")),
    ],
)
def test_bad_signatures_and_replays_are_refused(channel, timestamp, sig_of) -> None:
    with pytest.raises(Unauthorized):
        channel.verify(timestamp, sig_of, b"{}")


def test_a_changed_body_breaks_the_signature(channel) -> None:
    sig = voice.sign(SECRET, str(NOW), b'{"a": 1}')
    with pytest.raises(Unauthorized, match="签名"):
        channel.verify(str(NOW), sig, b'{"a": 2}')


def test_bearer_token_for_the_websocket(channel) -> None:
    channel.verify_token(f"Bearer {SECRET}")
    for header in (None, "", SECRET, "Bearer nope", f"Basic {SECRET}"):
        with pytest.raises(Unauthorized):
            channel.verify_token(header)


def test_events_parse_to_their_types() -> None:
    started = voice.parse(
        '{"type": "call.started", "call_id": "c-1", "caller": "13800138000", "hotline": "12301"}'
    )
    assert isinstance(started, voice.CallStarted) and started.mode == "ivr"
    utterance = voice.parse(
        json.dumps(
            {
                "type": "utterance",
                "call_id": "c-1",
                "speaker": "caller",
                "text": "嗯那个青锋山几点开门",
                "is_final": True,
                "start_ms": 1200,
                "end_ms": 3400,
                "confidence": 0.82,
            },
            ensure_ascii=False,
        ).encode()
    )
    assert isinstance(utterance, voice.Utterance)
    inbound = voice.inbound_of(utterance, caller="13800138000", hotline="12301")
    assert inbound.conversation_id == "voice:c-1"
    assert inbound.dedup_key == "voice:c-1:1200"


@pytest.mark.parametrize(
    ("data", "error", "fragment"),
    [
        (b"{", MalformedRequest, "JSON"),
        ("呼叫".encode("gbk"), MalformedRequest, "UTF-8"),
        (b'{"type": "hangup", "call_id": "c"}', InvalidInput, "type"),
        (b'{"type": "call.ended"}', InvalidInput, "call_id"),
        (b'{"type": "call.ended", "call_id": "bad id!"}', InvalidInput, "call_id"),
        (
            b'{"type": "utterance", "call_id": "c", "speaker": "bot", "text": "x",'
            b' "is_final": true, "start_ms": 0, "end_ms": 1}',
            InvalidInput,
            "speaker",
        ),
        (
            b'{"type": "utterance", "call_id": "c", "speaker": "caller", "text": "x",'
            b' "is_final": true, "start_ms": 5, "end_ms": 1}',
            InvalidInput,
            "end_ms",
        ),
        (b'{"type": "call.ended", "call_id": "c", "extra": 1}', InvalidInput, "extra"),
        (b"[" + b"1," * 40_000 + b"1]", PayloadTooLarge, "过大"),
    ],
)
def test_bad_events_say_what_is_wrong(data: bytes, error: type, fragment: str) -> None:
    with pytest.raises(error, match=fragment):
        voice.parse(data)


def test_replies_are_rewritten_for_speech() -> None:
    replies = [
        Reply("青峰山开放时间：8:00-17:30 😊 详见 https://example.gov.cn/qfs"),
        Reply(
            "您是不是想问：\n1. 门票多少钱？\n2. 停车场在哪？",
            buttons=[
                {"title": "门票多少钱？", "payload": "门票多少钱？"},
                {"title": "停车场在哪？", "payload": "停车场在哪？"},
            ],
        ),
    ]
    said = voice.as_speech(replies)
    assert "http" not in said and "😊" not in said and "8:00" not in said
    assert "8点到17点30分" in said
    assert said.endswith("您是不是想问：第一，门票多少钱；第二，停车场在哪。请说出序号。")


def test_the_published_schema_is_the_one_the_code_validates() -> None:
    assert json.loads(SCHEMA.read_text(encoding="utf-8")) == voice.schema()
