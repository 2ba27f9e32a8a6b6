import re
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.complaints import story_before_detail
from bot.complaints import categories, intake
from bot.safety import EMERGENCY_MESSAGE, HANDOFF_MESSAGE, sounds_like_emergency

# When a danger may still be going on: 刚才, 现在, or today without a time of day (今天).
ONGOING = re.compile(r"^(?:刚|现在|正|这会)|^今(?:天|日|儿个?|朝)?$")
# Told as going on: 现在还在上面, 正往下掉, 快来人.
HAPPENING = re.compile(r"现在|正在|还在|这会儿|快来|快帮|救救|帮帮")
# Asked for a person at the hotline: 转人工, 我要跟真人说, 叫你们领导来 (not 前台经理也不管).
ASKS_FOR_PERSON = re.compile(
    r"人工|真人|机器|接线员|坐席|值班|换个人|human|(?:找|转|跟|叫)客服|你们(?:的)?(?:工作人员|领导)",
    re.IGNORECASE,
)
INTENT_LABELS = {
    "ask_faq": "咨询旅游问题",
    "complain": "投诉",
    "complaint_status": "查询投诉进度",
    "human_handoff": "转人工客服",
    "emergency": "紧急求助",
    "greet": "打招呼",
    "goodbye": "结束对话",
    "thank": "表示感谢",
    "affirm": "确认",
    "deny": "否定",
    "chitchat": "闲聊",
    "inform": "补充信息",
    "out_of_scope": "其他问题",
}


class ActionEmergency(Action):
    def name(self) -> str:
        return "action_emergency"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        dispatcher.utter_message(
            text=EMERGENCY_MESSAGE, json_message={"handoff": True, "alert": "emergency"}
        )
        if tracker.active_loop.get("name") is None and told_afterwards(
            tracker.latest_message.get("text") or ""
        ):
            # 前天…差点翻了…联系电话…: the danger is over and told to be filed; the emergency
            # numbers are given all the same, then the complaint is taken.
            return [SlotSet("handoff", True), FollowupAction("complaint_form")]
        return [SlotSet("handoff", True)]


def told_afterwards(text: str) -> bool:
    """A complaint about a danger that is past: it reads like one and tells when it was, not
    that it is going on (刚才, 现在): 今儿个上午…司机…张嘴就骂 is over. Or a hazard told as a
    grievance, with no one hurt or in danger now: 观瀑台的栏杆断了一截…小孩一靠就晃…迟早出事."""
    time = intake.find_time(text)
    if time is not None:
        return not ONGOING.search(time) and categories.reads_like_complaint(text)
    return (
        len(text) >= intake.STORY_CHARS
        and intake.grievance_cue(text)
        and not sounds_like_emergency(text)
        and not HAPPENING.search(text)
    )


class ActionHandoff(Action):
    def name(self) -> str:
        return "action_handoff"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        if tracker.active_loop.get("name") is None and grievance_not_handoff(
            tracker.latest_message.get("text") or ""
        ):
            # 翠湖租电动船…说船上有划痕 扣了150…: a grievance the intent model took for a wish
            # to speak to someone; nobody was asked for, so the complaint is taken.
            return [FollowupAction("complaint_form")]
        dispatcher.utter_message(text=HANDOFF_MESSAGE, json_message={"handoff": True})
        return [SlotSet("handoff", True)]


def grievance_not_handoff(text: str) -> bool:
    """A story of something that went wrong (a cue word, or the detector) that asks for no
    person at the hotline: 我要投诉 先给我转人工 is handed over."""
    return (
        len(text) >= intake.STORY_CHARS
        and categories.tells_grievance(text)
        and not ASKS_FOR_PERSON.search(text)
    )


class ActionDefaultAskAffirmation(Action):
    """First stage of the two-stage fallback, in Chinese (Rasa's default asks in English)."""

    def name(self) -> str:
        return "action_default_ask_affirmation"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        ranking = tracker.latest_message.get("intent_ranking") or []
        candidates = [r["name"] for r in ranking if r.get("name") not in (None, "nlu_fallback")]
        intent = candidates[0] if candidates else "out_of_scope"
        label = INTENT_LABELS.get(intent, intent)
        dispatcher.utter_message(
            text=f"请问您是想{label}吗？",
            buttons=[
                {"title": "是的", "payload": f"/{intent}"},
                {"title": "都不是", "payload": "/out_of_scope"},
            ],
        )
        return []


class ActionFallbackTriage(Action):
    """A message the intent model is unsure of: a grievance told with a way to follow it up
    (a cue and a mobile number, or a time and who did it) starts the complaint form — a long
    story often splits the model between `complain` and `inform`; anything else goes to the
    two-stage fallback ("请问您是想…吗？")."""

    def name(self) -> str:
        return "action_fallback_triage"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        text = tracker.latest_message.get("text") or ""
        if (
            categories.reads_like_complaint(text)
            or intake.states_complaint(text)
            or story_before_detail(tracker)
        ):
            return [FollowupAction("complaint_form")]
        return [FollowupAction("action_two_stage_fallback")]
