"""The app in process with the engine down: bad input is refused, FAQs still answered."""

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from bot.app import create_app
from bot.messages import InboundMessage, Outcome
from bot.services import Services
from bot.settings import Settings
from knowledge_base.importer import read_csv
from tests.conftest import DEMO_KB


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    services = Services.build(settings)
    services.faqs.upsert_many(read_csv(DEMO_KB), changed_by="test")
    services.close()
    with TestClient(create_app(settings)) as client:
        yield client


def stored(client: TestClient) -> list[InboundMessage]:
    services: Services = client.app.state.services  # type: ignore[attr-defined]
    return services.messages.recent("web:u1")


def test_engine_down_still_answers_faqs_and_stores_the_message(client: TestClient) -> None:
    response = client.post("/channels/web", json={"sender": "u1", "text": "青峰山门票多少钱"})
    assert response.status_code == 200
    [message] = response.json()["messages"]
    assert "120元" in message["text"]
    assert message["custom"] == {"faq_id": "faq-0001", "degraded": True}
    [record] = stored(client)
    assert record.text == "青峰山门票多少钱"
    assert record.outcome == Outcome.degraded
    assert "engine" in (record.error or "")


def test_engine_down_says_plainly_when_it_cannot_help(client: TestClient) -> None:
    response = client.post("/channels/web", json={"sender": "u1", "text": "Excel怎么合并单元格"})
    [message] = response.json()["messages"]
    assert "暂时无法处理" in message["text"] and "12301" in message["text"]


def test_engine_down_keeps_a_complaint_for_later(client: TestClient) -> None:
    response = client.post("/channels/web", json={"sender": "u1", "text": "我要投诉导游强迫购物"})
    [message] = response.json()["messages"]
    assert "留言已经保存" in message["text"] and "12301" in message["text"]
    [record] = stored(client)
    assert record.outcome == Outcome.degraded  # `hotline replay` picks it up


def test_engine_down_still_gives_the_safety_message(client: TestClient) -> None:
    response = client.post("/channels/web", json={"sender": "u1", "text": "孩子在景区走丢了怎么办"})
    [message] = response.json()["messages"]
    assert "110" in message["text"] and "120" in message["text"]
    assert message["custom"]["alert"] == "emergency"


@pytest.mark.parametrize(
    ("content", "status", "fragment"),
    [
        (b"", 400, "JSON"),
        (b"\xc4\xe3\xba\xc3", 400, "UTF-8"),  # 你好 in GBK
        (b'{"sender": "u1", "text": "', 400, "JSON"),
        (b'{"sender": "u1", "text": ""}', 422, "不能为空"),
        (b'{"sender": "u1", "text": ["hi"]}', 422, "字符串"),
        (b'{"sender": null, "text": "hi"}', 422, "sender"),
        ('{"sender": "u1", "text": "%s"}' % ("好" * 3000), 422, "过长"),
        (b'{"sender": "u1", "text": "%s"}' % (b"a" * 100_000), 413, "过大"),
    ],
)
def test_bad_input_gets_a_clear_4xx(
    client: TestClient, content: bytes | str, status: int, fragment: str
) -> None:
    response = client.post(
        "/channels/web", content=content, headers={"content-type": "application/json"}
    )
    assert response.status_code == status
    assert fragment in response.json()["error"]
    assert stored(client) == []


def test_every_response_carries_a_request_id(client: TestClient) -> None:
    response = client.post(
        "/channels/web", json={"sender": "u1", "text": "你好"}, headers={"x-request-id": "abc123"}
    )
    assert response.headers["x-request-id"] == "abc123"
    assert stored(client)[0].request_id == "abc123"


def test_healthz_reports_engine_database_and_index(client: TestClient) -> None:
    body = client.get("/healthz").json()
    assert body["status"] == "degraded"
    assert body["engine"]["ok"] is False
    assert body["database"] == {"ok": True}
    assert body["index"] == {"ok": True, "faqs": 343}


def test_metrics_in_prometheus_text_format(client: TestClient) -> None:
    client.post("/channels/web", json={"sender": "u1", "text": "青峰山门票多少钱"})
    response = client.get("/metrics")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/plain")
    lines = response.text.splitlines()
    assert 'hotline_turns_total{channel="web",outcome="degraded"} 1' in lines
    assert 'hotline_turn_seconds_count{channel="web"} 1' in lines
    assert 'hotline_turn_seconds_bucket{channel="web",le="+Inf"} 1' in lines
    assert "hotline_kb_faqs 343" in lines and "hotline_complaints_open 0" in lines
    assert "# TYPE hotline_turn_seconds histogram" in lines
