"""Agent assist in process (engine down: no intent, everything else): an agent follows a call
and gets, for each final caller utterance, the FAQ answers, the work order filled in so far
and the alerts."""

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from bot.assist import AssistHub, CallState, anger_of
from bot.settings import Settings
from tests.bot.test_channel_routes import channel_settings, start, voice_post

AGENT = {"authorization": "Bearer agent-token"}


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    with start(channel_settings(settings, agent_token="agent-token")) as client:
        yield client


def said(call_id: str, text: str, start_ms: int, speaker: str = "caller") -> dict:
    return {"type": "utterance", "call_id": call_id, "speaker": speaker, "text": text,
            "is_final": True, "start_ms": start_ms, "end_ms": start_ms + 1000}  # fmt: skip


def test_an_agent_follows_a_call_and_gets_suggestions(client: TestClient) -> None:
    started = {"type": "call.started", "call_id": "a1", "caller": "13800138000",
               "hotline": "12345", "agent_id": "007", "mode": "assist"}  # fmt: skip
    assert voice_post(client, started).json()["say"] == ""  # the agent talks, not the bot
    with client.websocket_connect("/agent-assist/a1", headers=AGENT) as ws:
        snapshot = ws.receive_json()
        assert snapshot["type"] == "snapshot" and snapshot["active"]
        assert snapshot["prefill"] == {"phone": "13800138000"}

        assert voice_post(client, said("a1", "您好请讲", 0, "agent")).json()["type"] == "assisted"
        assert ws.receive_json() == {
            "type": "transcript",
            "call_id": "a1",
            "line": {"speaker": "agent", "text": "您好请讲", "start_ms": 0},
        }
        voice_post(client, said("a1", "嗯那个青锋山门票多少钱", 2000))
        first = ws.receive_json()
        assert first["type"] == "suggestion" and first["line"]["text"] == "嗯那个青锋山门票多少钱"
        assert first["answers"][0]["id"] == "faq-0001" and len(first["answers"]) <= 3
        assert first["alerts"] == [] and first["latency_ms"] > 0

        voice_post(client, said("a1", "青峰山门票到底多少钱", 6000))
        assert "repeated_question" in ws.receive_json()["alerts"]

        complaint = (
            "我要投诉云溪大酒店！昨天晚上在云溪古镇多收了我们五百块，太过分了！必须给个说法！"
        )
        voice_post(client, said("a1", complaint, 9000))
        third = ws.receive_json()
        assert "anger_rising" in third["alerts"]
        prefill = third["prefill"]
        assert prefill["category"] == "价格欺诈" and prefill["incident_time"].startswith("昨天晚上")
        assert "酒店" in prefill["target"] and prefill["phone"] == "13800138000"
        assert complaint in prefill["description"]

        voice_post(client, said("a1", "我朋友在山上摔伤了流了很多血", 15000))
        assert "emergency" in ws.receive_json()["alerts"]

        voice_post(client, {"type": "call.ended", "call_id": "a1"})
        assert ws.receive_json()["type"] == "call.ended"


def test_agent_assist_needs_an_agent_token(client: TestClient) -> None:
    for headers in ({}, {"authorization": "Bearer wrong"}):
        with pytest.raises(WebSocketDisconnect) as refused:
            with client.websocket_connect("/agent-assist/a2", headers=headers) as ws:
                ws.receive_json()
        assert refused.value.code == 1008


def test_following_an_unknown_call_says_it_is_not_active(client: TestClient) -> None:
    with client.websocket_connect("/agent-assist/nope", headers=AGENT) as ws:
        assert ws.receive_json() == {
            "type": "snapshot", "call_id": "nope", "active": False, "lines": [], "prefill": {}
        }  # fmt: skip


def test_anger_counts_hot_words_and_exclamations() -> None:
    assert anger_of("请问门票多少钱") == 0
    assert anger_of("太过分了！必须给个说法！") == 4


def test_a_target_with_a_role_is_not_replaced_by_a_bare_thing() -> None:
    state = CallState("c", "13700137000", prefill={"phone": "13700137000"})
    AssistHub._fill(state, "我要投诉导游", [])
    assert state.prefill["target"] == "导游"
    business = [{"entity": "business", "value": "云游国际旅行社"}]
    AssistHub._fill(state, "云游国际旅行社的导游", business)
    assert state.prefill["target"] == "云游国际旅行社（导游）"
    AssistHub._fill(state, "强迫我们买玉器", [{"entity": "business", "value": "玉器"}])
    assert state.prefill["target"] == "云游国际旅行社（导游）"
