from rasa_sdk.executor import CollectingDispatcher

from actions.small_talk import ActionSmallTalk
from tests.actions.conftest import DOMAIN, saved_tracker


def said(text: str, intent: str, loop: str | None = None) -> tuple[list, list]:
    tracker = saved_tracker("complaint_first_message")
    tracker.latest_message.update({"text": text, "intent": {"name": intent}})
    tracker.active_loop = {"name": loop} if loop else {}
    dispatcher = CollectingDispatcher()
    events = ActionSmallTalk().run(dispatcher, tracker, DOMAIN)
    return events, dispatcher.messages


def test_small_talk_gets_the_response_of_its_intent() -> None:
    events, messages = said("好的再见", "goodbye")
    assert events == [] and messages[0]["response"] == "utter_goodbye"
    _, messages = said("谢谢啊", "thank")
    assert messages[0]["response"] == "utter_thank"


def test_a_number_sent_on_its_own_is_never_small_talk() -> None:
    events, messages = said("11098765432", "goodbye")
    assert events == [{"event": "followup", "timestamp": None, "name": "action_answer_faq"}]
    assert messages == []
    events, messages = said("电话 138 1234 5678", "thank", loop="complaint_form")
    assert events == [{"event": "followup", "timestamp": None, "name": "complaint_form"}]
    assert messages == []
