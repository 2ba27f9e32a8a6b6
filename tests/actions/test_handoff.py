from rasa_sdk.executor import CollectingDispatcher

from actions.handoff import ActionEmergency, ActionFallbackTriage, ActionHandoff
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


def emergency(text: str) -> list[dict]:
    tracker = saved_tracker("complaint_first_message")
    tracker.latest_message.update({"text": text, "intent": {"name": "emergency"}})
    tracker.active_loop = {}
    dispatcher = CollectingDispatcher()
    events = ActionEmergency().run(dispatcher, tracker, DOMAIN)
    [first, *_] = dispatcher.messages  # always the emergency numbers first
    assert first["custom"]["alert"] == "emergency" and "110" in str(first["text"])
    return events


def test_a_danger_told_afterwards_is_taken_as_a_complaint_after_the_emergency_numbers() -> None:
    story = (
        "前天下午在龙潭瀑布下游坐碧水竹筏队的竹筏，没人发救生衣，一个筏子硬塞了八个人，"
        "水急的地方差点翻了。联系电话13615093372"
    )
    assert emergency(story)[-1] == {
        "event": "followup",
        "name": "complaint_form",
        "timestamp": None,
    }
    # This morning is over too: the driver swore at them (the NLU took 老不死的 for danger).
    morning = "今儿个上午坐天池观光车，司机老韩张嘴就骂“老不死的磨叽啥”，我手机15840327716"
    assert emergency(morning)[-1]["name"] == "complaint_form"
    for now in (
        "有人掉进水里了 快来人 电话13615093372",
        "刚刚有人摔下去了 电话13615093372",
        "今天有人在索道上被困住了，太危险了，工作人员不管，电话13615093372",
    ):
        assert emergency(now) == [
            {"event": "slot", "timestamp": None, "name": "handoff", "value": True}
        ]


def test_a_hazard_no_one_is_hurt_by_yet_is_taken_as_a_complaint_after_the_emergency_numbers() -> (
    None
):
    hazard = "龙潭瀑布观瀑台的栏杆断了一截 就拿根绳子拦着 小孩一靠就晃 人又多 迟早出事"
    assert emergency(hazard)[-1]["name"] == "complaint_form"
    for danger in (
        "观瀑台的栏杆断了一截 有个小孩摔下去了 就拿根绳子拦着 人又多 太危险了",
        "观瀑台的栏杆断了一截 现在还有小孩在那靠着晃 人又多 太危险了 迟早出事",
        "缆车卡住不动了 我们在上面",
    ):
        assert emergency(danger) == [
            {"event": "slot", "timestamp": None, "name": "handoff", "value": True}
        ]


def handed_over(text: str) -> tuple[list[dict], list[dict]]:
    tracker = saved_tracker("complaint_first_message")
    tracker.latest_message.update({"text": text, "intent": {"name": "human_handoff"}})
    tracker.active_loop = {}
    dispatcher = CollectingDispatcher()
    return ActionHandoff().run(dispatcher, tracker, DOMAIN), dispatcher.messages


def test_a_grievance_taken_for_a_wish_to_speak_to_someone_is_taken_as_a_complaint() -> None:
    story = "翠湖租电动船 押金200 还船时说船上有划痕 扣了150 那划痕上船前就有 我还拍了照"
    events, messages = handed_over(story)
    assert events == [{"event": "followup", "name": "complaint_form", "timestamp": None}]
    assert messages == []  # nobody was asked for: no 正在为您转接人工客服
    for asked in (
        "转人工",
        "我要投诉 先给我转人工",
        "导游一路骂人态度太差了 我不想跟机器说 让你们的工作人员来跟我说",
        "那个游船押金扣了我150 说有划痕 这事我要跟真人说 你们转一下",
    ):
        events, messages = handed_over(asked)
        assert events == [{"event": "slot", "timestamp": None, "name": "handoff", "value": True}]
        assert messages[0]["custom"] == {"handoff": True}
