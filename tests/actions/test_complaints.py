import copy

from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.complaints import (
    FORM_SLOTS,
    ActionComplaintStatus,
    ActionSubmitComplaint,
    ValidateComplaintForm,
)
from bot.services import Services
from tests.actions.conftest import DOMAIN, saved_tracker

FORM_DOMAIN = {
    **DOMAIN,
    "forms": {"complaint_form": {"required_slots": list(FORM_SLOTS)}},
}


async def extracted(tracker_name: str) -> tuple[dict[str, object], CollectingDispatcher]:
    dispatcher = CollectingDispatcher()
    events = await ValidateComplaintForm().run(dispatcher, saved_tracker(tracker_name), FORM_DOMAIN)
    return {e["name"]: e["value"] for e in events if e["event"] == "slot"}, dispatcher


async def test_the_first_message_fills_everything_it_says() -> None:
    slots, _ = await extracted("complaint_first_message")
    assert slots["target"] == "云游国际旅行社（导游）"
    assert slots["category"] == "强制购物"
    assert slots["place"] == "云溪古镇"
    assert slots["incident_time"] == "昨天下午"
    assert str(slots["description"]).startswith("我要投诉云游国际旅行社")
    assert "phone" not in slots


async def test_an_invalid_phone_is_refused_with_a_reason() -> None:
    slots, dispatcher = await extracted("complaint_bad_phone")
    assert slots["phone"] is None
    assert "11位" in dispatcher.messages[0]["text"]


async def test_a_phone_correction_replaces_the_number_and_nothing_else() -> None:
    slots, dispatcher = await extracted("complaint_phone_correction")
    assert slots["phone"] == "13700002222"
    assert "place" not in slots and "description" not in slots
    assert dispatcher.messages == []


async def test_submit_commits_once_and_gives_the_number(services: Services) -> None:
    tracker = saved_tracker("complaint_confirmed")
    numbers = []
    for _ in range(2):  # the engine retrying the same action call
        dispatcher = CollectingDispatcher()
        events = ActionSubmitComplaint().run(dispatcher, copy.deepcopy(tracker), DOMAIN)
        numbers.append(dispatcher.messages[0]["custom"]["complaint_number"])
        assert SlotSet("complaint_number", numbers[-1]) in events
    assert numbers[0] == numbers[1]
    complaint = services.complaints.get(numbers[0])
    assert complaint is not None
    assert (complaint.phone, complaint.category, complaint.place) == (
        "13812345678",
        "强制购物",
        "云溪古镇",
    )
    assert complaint.sender == "web:t1" and complaint.channel == "web"


def test_status_by_number(services: Services) -> None:
    tracker = saved_tracker("complaint_confirmed")
    dispatcher = CollectingDispatcher()
    ActionSubmitComplaint().run(dispatcher, tracker, DOMAIN)
    number = dispatcher.messages[0]["custom"]["complaint_number"]
    tracker.latest_message["entities"] = [{"entity": "complaint_number", "value": number}]
    dispatcher = CollectingDispatcher()
    ActionComplaintStatus().run(dispatcher, tracker, DOMAIN)
    assert "已受理" in dispatcher.messages[0]["text"]
    tracker.latest_message["entities"] = [{"entity": "complaint_number", "value": "TS20990101001"}]
    tracker.slots["complaint_number"] = None
    dispatcher = CollectingDispatcher()
    assert ActionComplaintStatus().run(dispatcher, tracker, DOMAIN) == [
        SlotSet("complaint_number", None)
    ]
    assert "没有查到" in dispatcher.messages[0]["text"]


def test_status_details_with_the_last_four_digits(services: Services) -> None:
    tracker = saved_tracker("complaint_confirmed")
    dispatcher = CollectingDispatcher()
    ActionSubmitComplaint().run(dispatcher, tracker, DOMAIN)
    number = dispatcher.messages[0]["custom"]["complaint_number"]
    tracker.latest_message["entities"] = [{"entity": "complaint_number", "value": number}]

    tracker.latest_message["text"] = f"查一下{number}"
    dispatcher = CollectingDispatcher()
    ActionComplaintStatus().run(dispatcher, tracker, DOMAIN)
    assert "后四位" in dispatcher.messages[0]["text"]

    tracker.latest_message["text"] = f"{number} 尾号5678"
    dispatcher = CollectingDispatcher()
    ActionComplaintStatus().run(dispatcher, tracker, DOMAIN)
    assert "被投诉对象" in dispatcher.messages[0]["text"]

    tracker.latest_message["text"] = f"{number} 1234"
    dispatcher = CollectingDispatcher()
    ActionComplaintStatus().run(dispatcher, tracker, DOMAIN)
    assert "不符" in dispatcher.messages[0]["text"]


async def test_a_traditional_character_business_keeps_its_name() -> None:
    tracker = saved_tracker("complaint_first_message")
    tracker.latest_message = {
        "text": "雲溪大酒店押金不退",
        "intent": {"name": "complain", "confidence": 0.99},
        "entities": [],  # the NLU tagged nothing in traditional characters
    }
    tracker.slots = {**tracker.slots, "target": None, "requested_slot": "description"}
    dispatcher = CollectingDispatcher()
    events = await ValidateComplaintForm().run(dispatcher, tracker, FORM_DOMAIN)
    slots = {e["name"]: e["value"] for e in events if e["event"] == "slot"}
    assert slots["target"] == "云溪大酒店"
    assert slots["place"] == "云溪大酒店"
    assert slots["category"] == "退费纠纷"


async def test_the_work_order_keeps_the_tourists_own_characters() -> None:
    tracker = saved_tracker("complaint_first_message")
    tracker.latest_message = {
        "text": "云溪大酒店押金不退",  # what the engine read
        "intent": {"name": "complain", "confidence": 0.99},
        "entities": [{"entity": "business", "value": "云溪大酒店"}],
        "metadata": {"channel": "wechat", "original_text": "雲溪大酒店押金不退"},
    }
    tracker.slots = {**tracker.slots, "target": None, "requested_slot": "description"}
    dispatcher = CollectingDispatcher()
    events = await ValidateComplaintForm().run(dispatcher, tracker, FORM_DOMAIN)
    slots = {e["name"]: e["value"] for e in events if e["event"] == "slot"}
    assert slots["target"] == "云溪大酒店"
    assert slots["place"] == "云溪大酒店"
    assert slots["category"] == "退费纠纷"
    assert slots["description"] == "雲溪大酒店押金不退"
