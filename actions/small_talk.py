from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import FollowupAction
from rasa_sdk.executor import CollectingDispatcher

from actions.complaints import FORM
from bot.complaints import intake

SMALL_TALK = ("greet", "goodbye", "thank", "chitchat")


class ActionSmallTalk(Action):
    """Greetings, goodbyes, thanks and chitchat get their response; but a number sent on its
    own is never one of those, whatever the intent model guesses (it reads 11045382967 as a
    goodbye): it goes to the complaint form when one is open, else to what tells whether the
    tourist wants to be called back about a story told just before."""

    def name(self) -> str:
        return "action_small_talk"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        if intake.only_a_number(tracker.latest_message.get("text") or ""):
            in_form = tracker.active_loop.get("name") == FORM
            return [FollowupAction(FORM if in_form else "action_answer_faq")]
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        dispatcher.utter_message(response=f"utter_{intent if intent in SMALL_TALK else 'chitchat'}")
        return []
