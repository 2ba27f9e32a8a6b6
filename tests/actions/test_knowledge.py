from rasa_sdk.executor import CollectingDispatcher

from actions.handoff import ActionEmergency
from actions.knowledge import ActionAnswerFaq
from bot.services import Services
from tests.actions.conftest import DOMAIN, saved_tracker


def ask(text: str, channel: str = "web") -> list[dict[str, object]]:
    tracker = saved_tracker("complaint_first_message")
    tracker.latest_message.update({"text": text, "metadata": {"channel": channel}})
    dispatcher = CollectingDispatcher()
    ActionAnswerFaq().run(dispatcher, tracker, DOMAIN)
    return dispatcher.messages


def test_answers_a_known_question(services: Services) -> None:
    [message] = ask("青峰山门票多少钱啊")
    assert "120元" in str(message["text"])
    assert message["custom"] == {"faq_id": "faq-0001", "decision": "answer"}


def test_sms_gets_the_short_answer(services: Services) -> None:
    [message] = ask("青峰山门票多少钱啊", channel="sms")
    assert message["text"] == "青峰山门票旺季120元、淡季80元，不含索道（演示数据）。"


def test_says_so_when_nothing_fits(services: Services) -> None:
    [message] = ask("明天股票会涨吗")
    assert "12301" in str(message["text"]) and "custom" not in message or not message["custom"]


def test_emergency_sets_the_handoff_flag() -> None:
    dispatcher = CollectingDispatcher()
    events = ActionEmergency().run(dispatcher, saved_tracker("complaint_first_message"), DOMAIN)
    assert events == [{"event": "slot", "timestamp": None, "name": "handoff", "value": True}]
    assert "110" in str(dispatcher.messages[0]["text"])
