"""The action endpoint the engine calls (``POST /webhook``), in process."""

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from bot.app import create_app
from bot.engine_process import endpoints_config
from bot.settings import Settings


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings.model_copy(update={"engine_token": "engine-t"}))) as c:
        yield c


def action_call(text: str) -> dict[str, Any]:
    return {
        "next_action": "action_answer_faq",
        "sender_id": "web:s1",
        "version": "3.6.21",
        "domain": {},
        "tracker": {
            "sender_id": "web:s1",
            "slots": {},
            "latest_message": {"text": text, "intent": {"name": "ask_faq"}, "entities": []},
            "events": [],
            "paused": False,
            "followup_action": None,
            "active_loop": {},
            "latest_action_name": "action_listen",
        },
    }


def test_only_the_engine_may_run_actions(client: TestClient) -> None:
    call = action_call("青峰山门票多少钱")
    for params in ({}, {"token": "guess"}):
        refused = client.post("/webhook", json=call, params=params)
        assert refused.status_code == 401 and "token" in refused.json()["error"]
    answered = client.post("/webhook", json=call, params={"token": "engine-t"})
    assert answered.status_code == 200
    assert "120元" in answered.json()["responses"][0]["text"]


def test_the_engine_is_told_the_token(settings: Settings) -> None:
    config = endpoints_config(settings.model_copy(update={"engine_token": "engine-t"}))
    assert config["action_endpoint"] == {"url": settings.action_url, "token": "engine-t"}


@pytest.mark.parametrize(("body", "status"), [(b"{not json", 400), (b"[1, 2]", 400)])
def test_bad_action_calls(client: TestClient, body: bytes, status: int) -> None:
    response = client.post(
        "/webhook",
        content=body,
        params={"token": "engine-t"},
        headers={"content-type": "application/json"},
    )
    assert response.status_code == status and "JSON" in response.json()["error"]
