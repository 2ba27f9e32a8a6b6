"""Turns through the real app, the real Rasa engine and the action endpoint."""

import httpx
import pytest

from tests.integration.conftest import RunningBot

pytestmark = pytest.mark.engine


def texts(messages: list[dict[str, object]]) -> list[str]:
    return [str(m.get("text", "")) for m in messages]


def test_greeting(running_bot: RunningBot) -> None:
    [reply] = texts(running_bot.say("greet", "你好"))
    assert "云游热线" in reply


def test_a_question_goes_engine_to_action_endpoint_and_back(running_bot: RunningBot) -> None:
    messages = running_bot.say("faq", "青峰山的门票多少钱")
    # Only action_answer_faq (served by the app) attaches the FAQ id and decision.
    custom = [m["custom"] for m in messages if m.get("custom")]
    assert custom and custom[0]["decision"] == "answer"
    assert str(custom[0]["faq_id"]).startswith("faq-")


def test_complaint_form_asks_only_for_what_is_missing(running_bot: RunningBot) -> None:
    reply = "".join(texts(running_bot.say("complaint", "我要投诉，导游强迫我们购物")))
    # target (导游), category (强制购物) and the description are in the first message.
    assert "什么地方" in reply


def test_emergency_safety_message_comes_first(running_bot: RunningBot) -> None:
    messages = running_bot.say("lost-child", "孩子在景区走丢了怎么办")
    first = str(messages[0]["text"])
    assert "110" in first and "120" in first and "12301" in first
    assert messages[0]["custom"] == {"handoff": True, "alert": "emergency"}


def test_full_complaint_commits_one_work_order(running_bot: RunningBot) -> None:
    sender = "full-complaint"
    running_bot.say(sender, "我要投诉云游国际旅行社的导游，昨天下午在云溪古镇强迫我们去玉器店购物")
    reply = "".join(texts(running_bot.say(sender, "13812345678")))
    assert "请核对" in reply and "138****5678" in reply
    messages = running_bot.say(sender, "确认")
    numbers = [m["custom"]["complaint_number"] for m in messages if m.get("custom")]
    assert len(numbers) == 1 and str(numbers[0]).startswith("TS")
    status = "".join(texts(running_bot.say(sender, f"查一下投诉{numbers[0]}的进度")))
    assert "已受理" in status and "后四位" in status
    details = "".join(texts(running_bot.say(sender, f"查询{numbers[0]}，手机尾号5678")))
    assert "被投诉对象：云游国际旅行社" in details
    wrong = "".join(texts(running_bot.say("someone-else", f"{numbers[0]} 1234")))
    assert "不符" in wrong


def test_engine_api_is_token_protected(running_bot: RunningBot) -> None:
    assert httpx.get(f"{running_bot.engine_url}/status").status_code == 401
    ok = httpx.get(f"{running_bot.engine_url}/status", params={"token": "integration-token"})
    assert ok.status_code == 200


def test_healthz_reports_the_engine_model(running_bot: RunningBot) -> None:
    body = running_bot.http.get("/healthz").json()
    assert body["status"] == "ok"
    assert "hotline-" in body["engine"]["model"]


def test_hotline_chat_talks_through_the_whole_pipeline(running_bot: RunningBot) -> None:
    from click.testing import CliRunner

    from bot.cli import main

    result = CliRunner().invoke(
        main, ["chat", "--url", running_bot.app_url, "--sender", "cli"], input="你好\n/quit\n"
    )
    assert result.exit_code == 0, result.output
    assert "小云: 您好，这里是云游热线" in result.output


def test_a_phone_typed_in_full_width_digits_is_read(running_bot: RunningBot) -> None:
    sender = "full-width-phone"
    running_bot.say(sender, "我要投诉悦来客栈，昨天晚上入住，床单上全是头发，卫生间有蟑螂")
    reply = "".join(texts(running_bot.say(sender, "我的手机是１３６０７７９１５４２")))
    assert "请核对" in reply and "136****1542" in reply
