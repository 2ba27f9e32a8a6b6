from rasa_sdk.executor import CollectingDispatcher

from actions.handoff import ActionFallbackTriage
from tests.actions.conftest import DOMAIN, saved_tracker


def triaged(text: str) -> str:
    tracker = saved_tracker("complaint_first_message")
    tracker.latest_message.update({"text": text, "intent": {"name": "nlu_fallback"}})
    dispatcher = CollectingDispatcher()
    [event] = ActionFallbackTriage().run(dispatcher, tracker, DOMAIN)
    assert event["event"] == "followup" and dispatcher.messages == []
    return str(event["name"])


def test_a_grievance_the_intent_model_is_unsure_of_starts_the_complaint_form() -> None:
    story = (
        "我要反映云溪古镇里面的聚宝斋工艺品店，标价88的银手镯，付款时刷了我880，"
        "店员说标签是单只价格。昨天晚上八点左右的事。电话 18512364490"
    )
    assert triaged(story) == "complaint_form"


def test_anything_else_it_is_unsure_of_goes_to_the_two_stage_fallback() -> None:
    assert triaged("那个 就是 嗯") == "action_two_stage_fallback"
    assert triaged("温泉那边晚上冷不冷啊") == "action_two_stage_fallback"
