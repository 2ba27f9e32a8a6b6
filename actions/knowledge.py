from dataclasses import replace
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import FollowupAction
from rasa_sdk.executor import CollectingDispatcher

from actions.complaints import story_before_detail
from actions.deps import channel_of, services
from bot.complaints import categories, intake
from bot.safety import NO_ANSWER_MESSAGE
from channels.base import SHORT_CHANNELS

NUMBER_ALONE_MESSAGE = (
    "收到您的号码。请问您是想投诉（请说说发生了什么）、查询投诉进度（请发送以TS开头的投诉单号），"
    "还是咨询旅游问题？"
)


class ActionAnswerFaq(Action):
    def name(self) -> str:
        return "action_answer_faq"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        text = tracker.latest_message.get("text") or ""
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        callback = intake.leaves_a_number(text)
        told = categories.plainly_grievance(text) or (
            categories.reads_like_complaint(text) and (intent == "inform" or callback)
        )
        if told or intake.states_complaint(text) or story_before_detail(tracker):
            # A complaint said outright (我要投诉…), a story both the cue words and the detector
            # read as a grievance, an incident told as details (`inform`), or as a question
            # that leaves a number to be called back on, or followed by a number sent on its
            # own: the complaint form takes it all in.
            return [FollowupAction("complaint_form")]
        if intake.only_a_number(text):  # no story before it: nothing to look up
            dispatcher.utter_message(text=NUMBER_ALONE_MESSAGE)
            return []
        channel = channel_of(tracker.latest_message)
        result = services().kb.search(text, k=3)
        services().questions.record(result, channel)
        if result.decision == "answer":
            best = result.hits[0]
            short = channel in SHORT_CHANNELS and best.short_answer
            dispatcher.utter_message(
                text=short or best.answer, json_message={"faq_id": best.id, "decision": "answer"}
            )
        elif result.decision == "clarify":
            questions = [hit.question for hit in result.hits]
            listing = "\n".join(f"{i}. {q}" for i, q in enumerate(questions, start=1))
            dispatcher.utter_message(
                text=f"您是不是想问：\n{listing}",
                buttons=[{"title": q, "payload": q} for q in questions],
            )
        else:
            dispatcher.utter_message(text=NO_ANSWER_MESSAGE)
        return []


class ActionOutOfScope(Action):
    """Declined, but kept for the admin's unanswered view: a question the intent model calls
    out of scope may be a tourism question the FAQ does not cover yet."""

    def name(self) -> str:
        return "action_out_of_scope"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        text = tracker.latest_message.get("text") or ""
        if text:
            nearest = services().kb.search(text, k=3)
            declined = replace(nearest, decision="none")
            services().questions.record(declined, channel_of(tracker.latest_message))
        dispatcher.utter_message(response="utter_out_of_scope")
        return []
