import copy

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.complaints import (
    FORM_SLOTS,
    MISHEARD_GUIDE,
    ActionAskConfirmation,
    ActionComplaintStatus,
    ActionSubmitComplaint,
    ValidateComplaintForm,
    _read,
    story_before_detail,
    story_before_opening,
)
from bot.complaints.queue import Filters
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


async def validated(message: dict[str, object], **slots: object) -> dict[str, object]:
    """The slots the form sets for ``message``, with the form already holding ``slots``."""
    tracker = saved_tracker("complaint_first_message")
    tracker.latest_message = {"entities": [], **message}
    tracker.slots = {**tracker.slots, **slots}
    events = await ValidateComplaintForm().run(CollectingDispatcher(), tracker, FORM_DOMAIN)
    return {e["name"]: e["value"] for e in events if e["event"] == "slot"}


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


def test_an_order_confirmed_before_its_read_back_shows_what_was_filed(
    services: Services,
) -> None:
    tracker = saved_tracker("complaint_confirmed")
    tracker.events = tracker.events[:1]  # 提交吧 said to a question: no read-back was shown
    dispatcher = CollectingDispatcher()
    ActionSubmitComplaint().run(dispatcher, tracker, DOMAIN)
    text = dispatcher.messages[0]["text"]
    assert text.startswith("已按以下信息登记：\n投诉对象：云游国际旅行社（导游）")
    assert "138****5678" in text and "13812345678" not in text
    assert "投诉单号" in text


def test_an_order_confirmed_at_its_read_back_gives_only_the_number(services: Services) -> None:
    dispatcher = CollectingDispatcher()
    ActionSubmitComplaint().run(dispatcher, saved_tracker("complaint_confirmed"), DOMAIN)
    assert dispatcher.messages[0]["text"].startswith("您的投诉已受理，投诉单号：TS")


def test_the_order_and_its_read_back_file_the_shop_a_guide_took_them_to(
    services: Services,
) -> None:
    tracker = saved_tracker("complaint_confirmed")
    tracker.slots["description"] = "导游把我们拉进古镇一家叫“金凤凰玉器店”的店，关上门不买不让走"
    dispatcher = CollectingDispatcher()
    ActionAskConfirmation().run(dispatcher, tracker, DOMAIN)
    assert "发生地点：云溪古镇（金凤凰玉器店）" in dispatcher.messages[0]["text"]
    ActionSubmitComplaint().run(CollectingDispatcher(), tracker, DOMAIN)
    [filed] = services.queue.find(Filters())
    assert filed.complaint.place == "云溪古镇（金凤凰玉器店）"
    assert tracker.slots["place"] == "云溪古镇"  # what the tourist may still correct
    # Put right at the read-back, the place is filed as the tourist said it.
    tracker.events = [
        {"event": "slot", "name": "requested_slot", "value": "confirmation"},
        {"event": "user", "text": "地点是白鹭洲"},
        {"event": "slot", "name": "place", "value": "白鹭洲湿地公园"},
    ]
    tracker.slots["place"] = "白鹭洲湿地公园"
    dispatcher = CollectingDispatcher()
    ActionAskConfirmation().run(dispatcher, tracker, DOMAIN)
    assert "发生地点：白鹭洲湿地公园\n" in dispatcher.messages[0]["text"]


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
    slots = await validated(
        {
            "text": "雲溪大酒店押金不退",
            "intent": {"name": "complain", "confidence": 0.99},
            "entities": [],  # the NLU tagged nothing in traditional characters
        },
        target=None,
        requested_slot="description",
    )
    assert slots["target"] == "云溪大酒店"
    assert slots["place"] == "云溪大酒店"
    assert slots["category"] == "退费纠纷"


async def test_the_work_order_keeps_the_tourists_own_characters() -> None:
    slots = await validated(
        {
            "text": "云溪大酒店押金不退",  # what the engine read
            "intent": {"name": "complain", "confidence": 0.99},
            "entities": [{"entity": "business", "value": "云溪大酒店"}],
            "metadata": {"channel": "wechat", "original_text": "雲溪大酒店押金不退"},
        },
        target=None,
        requested_slot="description",
    )
    assert slots["target"] == "云溪大酒店"
    assert slots["place"] == "云溪大酒店"
    assert slots["category"] == "退费纠纷"
    assert slots["description"] == "雲溪大酒店押金不退"


async def test_who_answered_with_yes_files_the_place_the_story_names() -> None:
    story = "昨天在观音洞里面灯全灭了，台阶又湿又滑，好几个老人摔倒了，电话13975310286"
    asked = {"target": None, "description": story, "place": None, "requested_slot": "target"}
    for said in ("确认提交", "嗯 对 没问题"):
        slots = await validated({"text": said, "intent": {"name": "affirm"}}, **asked)
        assert slots["target"] == "观音洞"
    slots = await validated({"text": "不知道叫什么", "intent": {"name": "inform"}}, **asked)
    assert slots["target"] == "观音洞"
    unplaced = {**asked, "description": "服务员态度特别差，说爱吃不吃"}
    slots = await validated({"text": "对", "intent": {"name": "affirm"}}, **unplaced)
    assert slots["target"] == "未说明（见事情经过）"


async def test_where_and_when_answered_with_yes_or_dont_know_are_filed_as_told() -> None:
    story = "昨天在观音洞里面灯全灭了，台阶又湿又滑，电话13975310286"
    held = {"target": "观音洞景区", "description": story, "incident_time": None}
    slots = await validated(
        {"text": "确认", "intent": {"name": "affirm"}}, **held, place=None, requested_slot="place"
    )
    assert slots["place"] == "观音洞"
    slots = await validated(
        {"text": "记不得了", "intent": {"name": "inform"}},
        **held,
        place="观音洞",
        requested_slot="incident_time",
    )
    assert slots["incident_time"] == "未说明（见事情经过）"


async def test_where_the_group_met_is_not_where_it_happened() -> None:
    text = "早上在云溪北站集合上车，导游把我们拉到云溪特产商城里面一家玉器店，把门一关不买不让走"
    entities = [
        {"entity": "place", "value": "云溪北站"},
        {"entity": "business", "value": "云溪特产商城"},
    ]
    slots = await validated(
        {"text": text, "intent": {"name": "complain"}, "entities": entities},
        target=None,
        place=None,
        requested_slot=None,
    )
    assert slots["place"] == "云溪特产商城"


async def test_a_place_keeps_its_gate() -> None:
    slots = await validated(
        {"text": "地点说错了 不是翠湖 是云溪古镇东门外面那个银饰城", "intent": {"name": "inform"}},
        target="和美旅行社",
        place="翠湖公园",
        requested_slot=None,
    )
    assert slots["place"] == "云溪古镇东门"
    assert "target" not in slots


def test_a_grievance_sent_as_a_status_question_starts_the_complaint(services: Services) -> None:
    tracker = saved_tracker("complaint_confirmed")
    tracker.slots["complaint_number"] = None
    tracker.latest_message = {
        "text": "我在网上订了个民宿，提前五天就取消了，说好全额退款，结果到现在只退了一半，"
        "客服一直拖着",
        "intent": {"name": "complaint_status"},
        "entities": [],
    }
    dispatcher = CollectingDispatcher()
    assert ActionComplaintStatus().run(dispatcher, tracker, DOMAIN) == [
        FollowupAction("complaint_form")
    ]
    assert dispatcher.messages == []
    # unseen30 #21: a loss (其他) told, with 我要投诉.
    told = "寄存的行李箱被人打开过了！！拍立得和充电宝都没了，问工作人员说不关我们的事 我要投诉"
    tracker.latest_message = {"text": told, "intent": {"name": "complaint_status"}, "entities": []}
    assert ActionComplaintStatus().run(CollectingDispatcher(), tracker, DOMAIN) == [
        FollowupAction("complaint_form")
    ]
    # unseen31 #2: a relative's complaint, in traditional characters, of a manager's rudeness.
    told = (
        "您好，我替我爸媽投訴。他們昨天晚上十點左右回溪畔雅居酒店，房卡消磁打不開門，"
        "去前台找值班的劉經理，劉經理不但不處理，還當著其他客人的面說老人家自己弄壞的"
    )
    tracker.latest_message = {"text": told, "intent": {"name": "complaint_status"}, "entities": []}
    assert ActionComplaintStatus().run(CollectingDispatcher(), tracker, DOMAIN) == [
        FollowupAction("complaint_form")
    ]
    # A complaint made before, asked after at length, is a status question.
    asked_long = "我之前要投诉的那个事情，到现在都没人联系我，到底有没有人管啊，单号找不到了"
    tracker.latest_message = {"text": asked_long, "intent": {"name": "complaint_status"}}
    assert ActionComplaintStatus().run(CollectingDispatcher(), tracker, DOMAIN) == []
    asked = {"text": "我的投诉处理得怎么样了", "intent": {"name": "complaint_status"}}
    tracker.latest_message = asked
    dispatcher = CollectingDispatcher()
    assert ActionComplaintStatus().run(dispatcher, tracker, DOMAIN) == []
    assert "投诉单号" in dispatcher.messages[0]["text"]


async def test_more_of_the_story_instead_of_an_answer_joins_the_story() -> None:
    more = "合同上写的三天两晚 包含五个景点 结果最后一个景点根本没去 导游说时间不够 直接拉回酒店了"
    slots = await validated(
        {"text": more, "intent": {"name": "inform"}},
        target="旅行社",
        description="我要投诉旅行社不按合同走",
        place=None,
        requested_slot="place",
    )
    assert slots["description"] == f"我要投诉旅行社不按合同走\n{more}"
    assert "place" not in slots


async def test_a_place_only_planned_or_taken_back_is_not_where_it_happened() -> None:
    text = "我们下午去了龙潭瀑布，本来还打算接着去观音洞的，结果栈道护栏松了差点出事"
    slots = await validated(
        {"text": text, "intent": {"name": "complain"}}, place=None, requested_slot=None
    )
    assert slots["place"] == "龙潭瀑布"
    text = "行程包含云溪博物馆和观音洞两个景点，在云溪博物馆参观完，导游说观音洞不去了"
    entities = [{"entity": "place", "value": "观音洞"}]
    slots = await validated(
        {"text": text, "intent": {"name": "complain"}, "entities": entities},
        place=None,
        requested_slot=None,
    )
    assert slots["place"] == "云溪博物馆"
    correction = "哦不对，地方说错了，不是北站，是云溪机场旁边那家驿家快捷酒店"
    entities = [{"entity": "place", "value": "云溪北站"}]  # the synonym of 北站
    slots = await validated(
        {"text": correction, "intent": {"name": "inform"}, "entities": entities},
        place="云溪北站",
        requested_slot="confirmation",
    )
    assert slots["place"] == "云溪机场"


async def test_a_place_correction_keeps_the_place_said_in_place_of_the_wrong_one() -> None:
    correction = "哦不对，地方我说错了，不是白鹭洲，是在翠湖那边，白鹭洲是我们上午去的。"
    slots = await validated(
        {"text": correction, "intent": {"name": "inform"}},
        place="白鹭洲湿地公园",
        requested_slot="confirmation",
    )
    assert slots["place"] == "翠湖公园"


async def test_a_correction_of_part_of_a_name_puts_that_part_right_in_place_and_target() -> None:
    correction = "哎呀地点说错了，是北门那个停车场，不是东门，我们住的客栈在北门那边"
    slots = await validated(
        {"text": correction, "intent": {"name": "inform"}},
        place="云溪古镇东门",
        target="云溪古镇东门停车场",
        requested_slot="confirmation",
    )
    assert (slots["place"], slots["target"]) == ("云溪古镇北门", "云溪古镇北门停车场")


async def test_the_tourists_own_question_to_complain_of_a_place_is_no_plan() -> None:
    text = "您好，我是从台湾来的游客，想投诉云溪古镇里面的“听雨轩茶楼”，服务员态度非常差"
    entities = [{"entity": "place", "value": "游客"}]  # the NLU's guess
    slots = await validated(
        {"text": text, "intent": {"name": "complain"}, "entities": entities},
        place=None,
        requested_slot=None,
    )
    assert slots["place"] == "云溪古镇"
    assert slots["target"] == "听雨轩茶楼（服务员）"


async def test_digits_the_nlu_calls_a_time_are_a_phone_fragment() -> None:
    entities = [{"entity": "time", "value": "六六"}]
    text = "电话是 二三九 零五幺二 六六七八"
    slots = await validated(
        {"text": text, "intent": {"name": "inform"}, "entities": entities},
        incident_time=None,
        requested_slot="phone",
    )
    assert "incident_time" not in slots or slots["incident_time"] is None


async def test_a_business_others_are_inside_is_the_place() -> None:
    text = "导游把我们拉到云溪特产商城里面一家玉器店，不买不让走"
    entities = [{"entity": "business", "value": "云溪特产商城"}]
    slots = await validated(
        {"text": text, "intent": {"name": "complain"}, "entities": entities},
        place=None,
        requested_slot=None,
    )
    assert slots["place"] == "云溪特产商城"


def test_a_no_that_corrects_a_field_shows_the_summary_again() -> None:
    tracker = saved_tracker("complaint_first_message")
    tracker.latest_message = {"text": "不对 是15657839402", "intent": {"name": "deny"}}
    tracker.events = [
        {"event": "user", "text": "不对 是15657839402"},
        {"event": "slot", "name": "phone", "value": "15657839402"},
    ]
    dispatcher = CollectingDispatcher()
    ActionAskConfirmation().run(dispatcher, tracker, DOMAIN)
    assert "请核对" in dispatcher.messages[0]["text"]
    tracker.events = [{"event": "user", "text": "不对"}]
    dispatcher = CollectingDispatcher()
    ActionAskConfirmation().run(dispatcher, tracker, DOMAIN)
    assert "要修改的内容" in dispatcher.messages[0]["text"]


def test_a_read_back_answered_with_neither_yes_nor_a_change_says_how_to_answer() -> None:
    tracker = saved_tracker("complaint_first_message")
    tracker.slots["requested_slot"] = "confirmation"
    tracker.latest_message = {"text": "嗯……我再想想", "intent": {"name": "chitchat"}}
    asked = {"event": "slot", "name": "requested_slot", "value": "confirmation"}
    tracker.events = [asked, {"event": "user", "text": "嗯……我再想想"}, asked]
    dispatcher = CollectingDispatcher()
    ActionAskConfirmation().run(dispatcher, tracker, DOMAIN)
    assert "回复“确认”" in dispatcher.messages[0]["text"]
    assert "请核对" in dispatcher.messages[1]["text"]
    tracker.events = [{"event": "user", "text": "我要投诉"}, asked]  # shown the first time
    dispatcher = CollectingDispatcher()
    ActionAskConfirmation().run(dispatcher, tracker, DOMAIN)
    assert [m["text"][:4] for m in dispatcher.messages] == ["请核对您"]


async def test_a_known_business_is_not_cut_short_by_a_later_mention() -> None:
    entities = [{"entity": "business", "value": "青峰山索道公司"}]
    slots = await validated(
        {"text": "青峰山索道下站的寄存柜", "intent": {"name": "inform"}, "entities": entities},
        target="青峰山索道公司",
        requested_slot="incident_time",
    )
    assert "target" not in slots


async def test_a_place_said_only_in_a_company_name_is_not_the_place() -> None:
    text = "坐青峰山索道公司的缆车，车厢门关不严一路在晃"
    slots = await validated(
        {"text": text, "intent": {"name": "complain"}}, place=None, requested_slot=None
    )
    assert slots.get("place") != "青峰山"
    text = "我想说下云溪博物馆讲解员的事，讲解员是云溪文博讲解服务中心派的"
    slots = await validated(
        {"text": text, "intent": {"name": "complain"}}, place=None, requested_slot=None
    )
    assert slots["place"] == "云溪博物馆"


async def test_a_known_place_is_no_company_s_name() -> None:
    slots = await validated(
        {"text": "就在汽车客运总站旁边那个小旅馆", "intent": {"name": "inform"}},
        place="古镇",
        requested_slot="phone",
    )
    assert slots["place"] == "汽车客运总站"


async def test_places_are_filed_under_their_official_names() -> None:
    slots = await validated(
        {"text": "就是龙谈瀑布那个点", "intent": {"name": "inform"}},
        target="华夏旅行社",
        place="瀑布",  # what the first message said
        requested_slot="incident_time",
    )
    assert slots["place"] == "龙潭瀑布"
    slots = await validated(
        {"text": "我要投诉博物馆的讲解员，讲了十分钟就不耐烦", "intent": {"name": "complain"}},
        target=None,
        place=None,
        requested_slot=None,
    )
    assert slots["target"] == "云溪博物馆（讲解员）" and slots["place"] == "云溪博物馆"


async def test_whom_the_tourist_says_they_complain_of_at_the_read_back_is_filed() -> None:
    slots = await validated(
        {"text": "嗯对，投诉的就是那个望月山居，可以提交", "intent": {"name": "affirm"}},
        target="云溪大酒店",
        requested_slot="confirmation",
    )
    assert slots["target"] == "望月山居"


async def test_a_confirmation_the_intent_model_reads_as_thanks_files_the_order() -> None:
    slots = await validated(
        {"text": "确认，谢谢。", "intent": {"name": "thank"}}, requested_slot="confirmation"
    )
    assert slots["confirmation"] is True


# Everything told but who: the form asks who next.
TOLD_BUT_WHO = {
    "description": "你们管管青峰山天池那边的公共厕所吧，蹲坑全堵了",
    "category": "环境卫生",
    "place": "青峰山天池",
    "incident_time": "前天中午",
    "phone": "13816409927",
    "target": None,
    "requested_slot": "target",
}


async def test_submit_said_to_the_last_question_files_the_order_with_the_story() -> None:
    slots = await validated({"text": "对头，确认", "intent": {"name": "affirm"}}, **TOLD_BUT_WHO)
    assert slots["target"] == "青峰山天池" and slots["confirmation"] is True


async def test_submit_said_with_a_field_still_untold_asks_for_it() -> None:
    slots = await validated(
        {"text": "是的，提交吧", "intent": {"name": "affirm"}},
        **{
            **TOLD_BUT_WHO,
            "target": "青峰山天池公共厕所",
            "phone": None,
            "requested_slot": "phone",
        },
    )
    assert "confirmation" not in slots and "phone" not in slots


async def test_agreeing_to_a_question_files_the_field_and_waits_for_the_read_back() -> None:
    slots = await validated({"text": "对的", "intent": {"name": "affirm"}}, **TOLD_BUT_WHO)
    assert slots["target"] == "青峰山天池" and "confirmation" not in slots


async def test_a_field_said_again_with_confirm_is_filed_as_said() -> None:
    slots = await validated(
        {"text": "对，投诉司机老马，其他不变，确认。", "intent": {"name": "inform"}},
        target="老马（司机）",
        requested_slot="confirmation",
    )
    assert slots["confirmation"] is True and slots["target"] == "司机老马"


async def test_a_correction_without_confirm_waits_for_the_read_back() -> None:
    slots = await validated(
        {"text": "不对，地点说错了，是翠湖公园", "intent": {"name": "inform"}},
        place="云溪古镇",
        requested_slot="confirmation",
    )
    assert slots["place"] == "翠湖公园" and "confirmation" not in slots


async def test_a_correction_of_the_name_leaves_the_time_alone() -> None:
    slots = await validated(
        {
            "text": "哦不对，名字我记错了，演出方是星河演艺，月光剧场是旁边另外一家",
            "intent": {"name": "inform"},
            "entities": [{"entity": "time", "value": "月光"}],
        },
        target="月光剧场",
        incident_time="这周二晚上",
        requested_slot="confirmation",
    )
    assert "incident_time" not in slots


async def test_renaming_the_shop_in_a_correction_leaves_the_place_alone() -> None:
    slots = await validated(
        {"text": "哦不对，我记错了，那家店叫福满园，不是福满楼。", "intent": {"name": "inform"}},
        target="福满楼",
        place="云溪博物馆",
        requested_slot="confirmation",
    )
    assert slots.get("target") == "福满园"
    assert "place" not in slots


async def test_a_place_misheard_as_it_sounds_is_filed_as_the_place() -> None:
    slots = await validated(
        {
            "text": "投诉激浪漂流公司！12月2号下午在龙谭瀑布下面玩漂流，皮艇破了",
            "intent": {"name": "complain"},
        },
        target=None,
        place=None,
        requested_slot=None,
    )
    assert slots["place"] == "龙潭瀑布"


async def test_where_they_stayed_or_signed_up_is_not_where_it_happened() -> None:
    stayed = (
        "俺大前天上午在青锋山坐凌霄索道的缆车，走到一半停了二十多分钟，这也忒危险了！"
        "俺们住的是古镇的听雨轩民宿。俺手机15193826074。"
    )
    slots = await validated({"text": stayed, "intent": {"name": "complain"}}, place=None)
    assert slots["place"] == "青峰山风景区"
    signed_up = (
        "12月1号跟着逸程旅行社的团上青峰山，团是在南门游客中心报的名，合同写明含观光车，"
        "结果在青峰山上导游说观光车不坐了。手机号18903316452。"
    )
    slots = await validated({"text": signed_up, "intent": {"name": "complain"}}, place=None)
    assert slots["place"] == "青峰山风景区"


async def test_where_they_stayed_is_where_it_happened_when_no_other_place_is_said() -> None:
    text = "我住在云溪温泉度假区的汤泉山庄酒店，昨天晚上入住发现床单上有头发，房间里的泡池飘着垃圾"
    entities = [{"entity": "place", "value": "泡池"}]
    slots = await validated({"text": text, "intent": {"name": "complain"}, "entities": entities})
    assert slots["place"] == "云溪温泉度假区"


async def test_a_correction_that_says_the_wrong_name_again_files_the_other() -> None:
    correction = (
        "更正一下，店名我说错了，“银满楼”是隔壁那家，我们被拉进去的是“福银阁”，红底金字招牌那个。"
    )
    slots = await validated(
        {"text": correction, "intent": {"name": "inform"}},
        target="银满楼（导游）",
        requested_slot="confirmation",
    )
    assert slots["target"] == "福银阁"


async def test_a_correction_naming_another_guide_keeps_their_agency() -> None:
    correction = "哦对了 我刚才说错了 小刘是司机 导游是个姓陈的男的 大家都叫他陈导 是陈导让我们买的"
    slots = await validated(
        {"text": correction, "intent": {"name": "inform"}},
        target="乐途旅行社（导游小刘）",
        requested_slot="phone",
    )
    assert slots["target"] == "乐途旅行社（陈导）"


async def test_a_place_correction_that_says_the_wrong_place_again_files_the_other() -> None:
    correction = "啊地点讲错了，我搞混了，温泉是我们白天去泡的地方，那间客栈是在云溪古镇里面"
    slots = await validated(
        {"text": correction, "intent": {"name": "inform"}},
        place="云溪温泉度假区",
        requested_slot="confirmation",
    )
    assert slots["place"] == "云溪古镇"


async def test_a_place_correction_leaves_the_time_and_a_time_correction_the_place() -> None:
    correction = "不对不对，气糊涂了，不是翠湖，是白鹭洲，白鹭洲湿地公园门口那家，翠湖是前天去的"
    slots = await validated(
        {"text": correction, "intent": {"name": "inform"}},
        place="翠湖公园",
        incident_time="昨天傍晚六点左右",
        requested_slot="confirmation",
    )
    assert slots["place"] == "白鹭洲湿地公园" and "incident_time" not in slots
    correction = "等一下，日子说错了，是4号下午三点，5号我们一早就去机场了。"
    slots = await validated(
        {"text": correction, "intent": {"name": "inform"}},
        place="翠湖公园",
        incident_time="5号下午三点",
        requested_slot="confirmation",
    )
    assert slots["incident_time"] == "4号下午三点" and "place" not in slots
    correction = "等下 时间错了 是周日下午3点 周六我们还在古镇"  # 时间错了 corrects too
    slots = await validated(
        {"text": correction, "intent": {"name": "inform"}},
        place="龙潭瀑布",
        incident_time="周六下午3点",
        requested_slot="confirmation",
    )
    assert slots["incident_time"] == "周日下午3点" and "place" not in slots


async def test_a_shop_named_outright_later_does_not_replace_the_agency() -> None:
    story = "结果到了导游说酒店满房了，把我们拉到一个叫“便捷宾馆”的小旅馆，房间连窗户都没有"
    slots = await validated(
        {"text": story, "intent": {"name": "inform"}},
        target="云游国际旅行社",
        requested_slot="incident_time",
    )
    assert "target" not in slots
    # unseen30 #1: nor the car hire's driver who took them to the shop.
    where = "店叫福禄玉石馆 在去龙潭瀑布半路上的一个岔路口"
    slots = await validated(
        {"text": where, "intent": {"name": "inform"}},
        target="顺风包车行（刘师傅）",
        description="司机半路非把我们拖进一家玉石店，说不买不走\n顺风包车行的车，司机我们叫他刘师傅",
        requested_slot="place",
    )
    assert "target" not in slots


async def test_where_told_unasked_or_said_short_changes_neither_target_nor_place() -> None:
    entities = [{"entity": "business", "value": "古镇"}]  # the NLU's guess
    slots = await validated(
        {
            "text": "在古镇里头，云溪老街靠北那一头",
            "intent": {"name": "inform"},
            "entities": entities,
        },
        target="一品茶庄",
        place="一品茶庄",
        requested_slot="phone",
    )
    assert "target" not in slots and slots["place"] == "云溪古镇"
    entities = [{"entity": "place", "value": "瀑布"}]
    story = "就瀑布下面观景台旁边那家“老周冷饮店”，冰柜里农夫山泉标价2块，结账说一瓶15"
    slots = await validated(
        {"text": story, "intent": {"name": "inform"}, "entities": entities},
        place="龙潭瀑布",
        requested_slot="target",
    )
    assert slots["target"] == "老周冷饮店" and "place" not in slots


async def test_cantonese_particles_are_read_as_mandarin() -> None:
    text = "你好，我想投訴一間叫「山水茶坊」嘅茶館，衞生差到離譜。我電話係13528806197。"
    slots = await validated({"text": text, "intent": {"name": "complain"}}, requested_slot=None)
    assert slots["target"] == "山水茶坊"


async def test_a_shorter_name_in_a_correction_keeps_the_whole_name() -> None:
    correction = (
        "啊我讲错了，翠湖边上是我们前一晚住的那家，那家挺好的。悠然居是在白鹭洲湿地公园旁边"
    )
    slots = await validated(
        {"text": correction, "intent": {"name": "inform"}},
        target="悠然居民宿",
        place="翠湖公园",
        requested_slot="confirmation",
    )
    assert "target" not in slots and slots["place"] == "白鹭洲湿地公园"


async def test_a_correction_of_the_driver_leaves_the_place() -> None:
    correction = "哦司机我记错了，黄师傅是头一天从高铁站接我们的那个，人挺好。这次这个姓杨，杨师傅"
    slots = await validated(
        {"text": correction, "intent": {"name": "inform"}},
        target="黄师傅",
        place="汽车客运总站",
        requested_slot="confirmation",
    )
    assert slots["target"] == "杨师傅" and "place" not in slots


async def asked_for_target(answers: list[str]) -> dict[str, object]:
    """The slots the form sets for the last of ``answers``, each given to 投诉对象是谁？."""
    tracker = saved_tracker("complaint_first_message")
    for answer in answers:
        tracker.events = [
            *tracker.events,
            {"event": "slot", "name": "requested_slot", "value": "target"},
            {"event": "user", "text": answer},
        ]
    tracker.latest_message = {"text": answers[-1], "intent": {"name": "inform"}, "entities": []}
    tracker.slots = {
        **tracker.slots,
        "target": None,
        "place": "白鹭洲湿地公园",
        "description": answers[0],
        "requested_slot": "target",
    }
    events = await ValidateComplaintForm().run(CollectingDispatcher(), tracker, FORM_DOMAIN)
    return {e["name"]: e["value"] for e in events if e["event"] == "slot"}


async def test_who_asked_twice_without_a_name_files_the_place_of_the_story() -> None:
    story = "东区观鸟台旁边的公厕，粪水漫到步道上，垃圾桶全满没人清，苍蝇成群。带孩子没法走。"
    slots = await asked_for_target([story, "今天上午九点。"])
    assert slots["target"] == "白鹭洲湿地公园" and slots["incident_time"] == "今天上午九点"
    assert "target" not in await asked_for_target([story])  # asked once, the question stands


async def test_a_name_told_late_replaces_the_place_filed_for_want_of_one() -> None:
    slots = await validated(
        {
            "text": "找保洁找不着人，介事儿归景区管理处管吧，我就投诉他们",
            "intent": {"name": "inform"},
        },
        target="青峰山天池",
        place="青峰山天池",
        requested_slot="phone",
    )
    assert slots["target"] == "景区管理处"


async def test_a_time_told_of_the_name_a_correction_takes_back_is_not_the_incident_s() -> None:
    correction = (
        "哎呀说岔了，不是华夏旅行社，华夏是俺村里二叔去年报的那家。俺这回报的是云游国际旅行社"
    )
    entities = [{"entity": "business", "value": "云游国际旅行社"}]  # as the NLU tags it
    slots = await validated(
        {"text": correction, "intent": {"name": "inform"}, "entities": entities},
        target="华夏旅行社",
        incident_time="国庆后一天",
        requested_slot="confirmation",
    )
    assert "incident_time" not in slots and slots["target"] == "云游国际旅行社"
    correction = "不好意思说错了，不是刘记，刘记是昨天去的那家挺实在的，坑人的是它隔壁的阿福烧烤"
    slots = await validated(
        {"text": correction, "intent": {"name": "inform"}},
        target="刘记烧烤",
        incident_time="前天晚上八点多",
        requested_slot="confirmation",
    )
    assert "incident_time" not in slots and slots["target"] == "阿福烧烤"


async def test_a_time_taken_back_unpunctuated_still_gives_the_new_one() -> None:
    slots = await validated(
        {"text": "哦不对时间说错了不是昨天是前天下午", "intent": {"name": "inform"}},
        incident_time="昨天",
        requested_slot="confirmation",
    )
    assert slots["incident_time"] == "前天下午"


async def test_a_time_correction_keeps_the_time_it_gives() -> None:
    slots = await validated(
        {"text": "不好意思，时间说错了，不是上周三，是上周四下午", "intent": {"name": "inform"}},
        incident_time="上周三下午",
        requested_slot="confirmation",
    )
    assert slots["incident_time"] == "上周四下午"


async def answered(
    message: dict[str, object], answers: dict[str, str], asked: str, told: str = "是{}"
) -> dict:
    """The slots the form sets for ``message`` after each of ``answers`` was given as the answer
    to its own question (in the words ``told``), and ``asked`` is the question now."""
    tracker = saved_tracker("complaint_first_message")
    for slot, value in answers.items():
        tracker.events.append({"event": "slot", "name": "requested_slot", "value": slot})
        tracker.events.append({"event": "user", "text": told.format(value)})
        tracker.events.append({"event": "slot", "name": slot, "value": value})
    tracker.events.append({"event": "slot", "name": "requested_slot", "value": asked})
    tracker.latest_message = {"entities": [], **message}
    tracker.slots = {**tracker.slots, **answers, "requested_slot": asked}
    events = await ValidateComplaintForm().run(CollectingDispatcher(), tracker, FORM_DOMAIN)
    return {e["name"]: e["value"] for e in events if e["event"] == "slot"}


async def test_an_answer_stands_against_what_the_story_says_later() -> None:
    answers = {"target": "夜色酒吧", "place": "云溪古镇", "incident_time": "昨天夜里两点多"}
    story = (
        "音响开得震天响，一直放到凌晨三点多。我住在隔壁悦来客栈，客栈老板人挺好，还帮我过去说了，"
        "这个不是投诉客栈；酒吧的人根本不理，还说嫌吵就别住古镇。"
    )
    entities = [{"entity": "business", "value": "悦来客栈"}]
    slots = await answered(
        {"text": story, "intent": {"name": "complain"}, "entities": entities}, answers, "phone"
    )
    assert {slot: slots.get(slot, value) for slot, value in answers.items()} == answers
    # A correction still changes an answer, and a time told in more detail refines it.
    said = "不对，时间说错了，是前天夜里两点多"
    slots = await answered({"text": said, "intent": {"name": "inform"}}, answers, "phone")
    assert slots["incident_time"] == "前天夜里两点多"
    said = "是昨天夜里两点多，音响一直开到三点"
    slots = await answered(
        {"text": said, "intent": {"name": "inform"}}, {"incident_time": "昨天"}, "phone"
    )
    assert slots["incident_time"] == "昨天夜里两点多"


async def test_a_name_only_implied_or_said_short_is_replaced_by_the_one_told() -> None:
    implied = {"target": "青峰山索道公司（工作人员）"}
    story = "我们坐的缆车车厢门关不严，工作人员说没事"
    message = {
        "text": "凌云索道公司",
        "intent": {"name": "inform"},
        "entities": [{"entity": "business", "value": "凌云索道公司"}],
    }
    slots = await answered(message, implied, "incident_time", told=story)
    assert slots["target"] == "凌云索道公司"
    short = {"target": "玻璃栈道（工作人员）"}
    said = {"text": "叫云端玻璃栈道 是单独收费的那个项目", "intent": {"name": "inform"}}
    slots = await answered(said, short, "incident_time", told="玻璃栈道上工作人员照样让人上去")
    assert str(slots["target"]).startswith("云端玻璃栈道")


async def test_a_name_given_outright_in_a_story_stands() -> None:
    story = (
        "是那个“望山居民宿”，俺在手机上订的是带窗户带早饭的大床房，钱都交了，去了给俺们一间地下室"
    )
    later = {
        "text": "夜来晚上九点多住进去的。俺们是大前天到的云溪，头两天住的别处，那家没事儿",
        "intent": {"name": "inform"},
        "entities": [{"entity": "business", "value": "云溪"}],
    }
    slots = await answered(later, {"target": "望山居民宿"}, "incident_time", told=story)
    assert slots.get("target", "望山居民宿") == "望山居民宿"


async def test_a_vague_answer_is_made_specific_later() -> None:
    said = "就是阳光假日旅行社的导游，一路带我们进店"
    slots = await answered(
        {"text": said, "intent": {"name": "inform"}}, {"target": "导游"}, "phone"
    )
    assert str(slots["target"]).startswith("阳光假日旅行社")


async def test_a_vehicle_by_its_plate_is_the_target_not_the_place() -> None:
    said = "投诉的是云A3T827出租车的司机，车牌号就是云A3T827。"
    slots = await validated(
        {"text": said, "intent": {"name": "inform"}},
        target="出租车司机",
        place=None,
        requested_slot="place",
    )
    assert slots["target"] == "云A3T827出租车（司机）"
    assert "place" not in slots
    slots = await validated(
        {"text": "在云溪机场出租车候车点上的车", "intent": {"name": "inform"}},
        target="云A3T827出租车（司机）",
        place=None,
        requested_slot="place",
    )
    assert slots["place"] == "云溪机场" and "target" not in slots


STORY_BEFORE_NUMBER = (
    "我在云溪北站的鑫达停车场停了两天车，前天下午去取车的时候发现车门上被划了一长道，"
    "找停车场的人调监控，他们说摄像头那个位置拍不到，一句解释都没有"
)


def told_then_detail(story: str, number: str) -> Tracker:
    """A story answered from the knowledge base, then a detail (a number, a time) sent alone."""
    tracker = saved_tracker("complaint_first_message")
    tracker.events = [
        {"event": "user", "text": story, "parse_data": {}},
        {"event": "bot", "text": "正规公共停车场会在入口处公示收费标准…"},
        {"event": "user", "text": number, "parse_data": {}},
    ]
    tracker.latest_message = {"text": number, "entities": [], "intent": {"name": "inform"}}
    tracker.slots = {slot: None for slot in tracker.slots}
    return tracker


async def test_a_number_sent_after_a_story_opens_the_form_on_both() -> None:
    tracker = told_then_detail(STORY_BEFORE_NUMBER, "11098765432")
    dispatcher = CollectingDispatcher()
    events = await ValidateComplaintForm().run(dispatcher, tracker, FORM_DOMAIN)
    slots = {e["name"]: e["value"] for e in events if e["event"] == "slot"}
    assert (slots["target"], slots["place"], slots["incident_time"]) == (
        "鑫达停车场",
        "云溪北站",
        "前天下午",
    )
    assert str(slots["description"]).startswith("我在云溪北站") and slots["phone"] is None
    assert "11位" in dispatcher.messages[0]["text"]  # the number is refused, and asked again
    # A number after a greeting, or a story once the form has asked, is read alone.
    assert story_before_detail(told_then_detail("你好", "11098765432")) is None
    asked = told_then_detail(STORY_BEFORE_NUMBER, "13812345678")
    asked.slots["requested_slot"] = "phone"
    assert story_before_detail(asked) is None


def test_a_time_sent_after_a_story_opens_the_form_on_both() -> None:
    # Asked 请问您是想投诉吗？ after a story with no cue word, the tourist answers with the time.
    story = "我车停在云溪古镇东门停车场，逛完回来发现车门被人剐了一长条，找管理员看监控，说坏了"
    assert story_before_detail(told_then_detail(story, "前天下午")) is not None
    assert story_before_detail(told_then_detail(story, "明天上午")) is None  # yet to happen
    # The two-stage fallback takes the answer back and tells it again, as clarified.
    clarified = told_then_detail(story, "前天下午")
    clarified.events[1:] = [
        {"event": "bot", "text": "请问您是想投诉吗？"},
        {"event": "user", "text": "前天下午", "parse_data": {}},
        {"event": "rewind"},
        {"event": "action", "name": "action_listen"},
        {"event": "user", "text": "前天下午", "parse_data": {}},
    ]
    assert (story_before_detail(clarified) or {}).get("text") == story


async def test_a_badge_number_is_no_day_and_names_the_driver() -> None:
    slots = await validated(
        {
            "text": "天池观光车0357号司机，他胸口牌牌上写起嘞",
            "intent": {"name": "inform"},
            "entities": [{"entity": "business", "value": "天池观光车"}],
        },
        target="天池观光车（司机）",
        place="青峰山风景区",
        requested_slot="incident_time",
    )
    assert slots["target"] == "天池观光车（0357号司机）"
    assert "incident_time" not in slots and "place" not in slots  # 天池 of 天池观光车 is no place


async def test_a_place_given_as_who_is_made_specific_by_a_business_in_it() -> None:
    said = "张记竹筒饭的摊位，牌子上写竹筒饭15元一份，结账的时候说是按斤算"
    slots = await answered(
        {"text": said, "intent": {"name": "inform"}}, {"target": "老街小吃城"}, "incident_time"
    )
    assert slots["target"] == "张记竹筒饭"


async def test_where_the_lodging_complained_of_is_is_where_it_happened() -> None:
    said = (
        "我要投诉悦来客栈。前天晚上我们入住云溪古镇的悦来客栈，床单上有头发，浴室一直发臭。"
        "第二天一早我们就去望月楼了。"
    )
    slots = await validated({"text": said, "intent": {"name": "complain"}})
    assert slots["place"] == "云溪古镇"


async def test_cantonese_not_is_read_in_a_correction() -> None:
    said = (
        "唔好意思，講錯咗，唔係悅來客棧，悅來係我哋第一晚住嘅，冇問題。係第二晚住嘅雲棲小院民宿。"
    )
    slots = await validated(
        {"text": said, "intent": {"name": "inform"}},
        target="悦来客栈",
        requested_slot="phone",
    )
    assert slots["target"] == "云栖小院民宿"


async def told_over(turns: list[str], message: str) -> dict[str, object]:
    """The slots the open form sets for ``message`` after the tourist said ``turns``, the first
    of which opened it."""
    tracker = saved_tracker("complaint_first_message")
    earlier = "上回那个导游一直骂人，态度太差了，这个怎么投诉"  # asked before; the form not open
    tracker.events = [{"event": "user", "text": earlier}, {"event": "user", "text": turns[0]}]
    tracker.events.append({"event": "active_loop", "name": "complaint_form"})
    for turn in turns[1:]:
        tracker.events.append({"event": "user", "text": turn})
    tracker.events.append({"event": "user", "text": message})
    tracker.active_loop = {"name": "complaint_form"}
    tracker.latest_message = {"entities": [], "text": message, "intent": {"name": "inform"}}
    tracker.slots = {**tracker.slots, "requested_slot": "phone", "category": "其他"}
    events = await ValidateComplaintForm().run(CollectingDispatcher(), tracker, FORM_DOMAIN)
    return {e["name"]: e["value"] for e in events if e["event"] == "slot"}


async def test_the_category_is_read_in_everything_told_to_the_form() -> None:
    opened = ["我想投诉一下", "我们住的农家乐说好的包三餐，结果第二天就不管饭了，还要另外加钱"]
    slots = await told_over(opened, "电话13812345678")
    assert slots["category"] == "合同违约"
    # What was asked before the form opened is not part of this complaint.
    assert (await told_over(["我想投诉一下"], "嗯"))["category"] == "其他"
    # The tourist's own word on the category stands against the story.
    slots = await told_over([*opened, "类别不对，应该算退费纠纷，加的钱要退"], "对")
    assert slots["category"] == "退费纠纷"


async def test_a_number_said_again_without_what_it_takes_back() -> None:
    said = "哦 前面是一 不是二 一五九一六八三四零二七"
    slots = await validated({"text": said, "intent": {"name": "inform"}}, requested_slot="phone")
    assert slots["phone"] == "15916834027"


async def test_a_number_given_for_the_time_is_no_time() -> None:
    said = {"text": "139731208", "intent": {"name": "inform"}}
    slots = await validated(said, incident_time=None, requested_slot="incident_time")
    assert "incident_time" not in slots and slots["phone"] is None  # refused, asked again


async def test_the_form_opens_on_the_story_told_before_it() -> None:
    story = (
        "今天下午两点多我们进洞，走到一半洞里的灯突然全部熄了，地上又湿又滑，那一段冇得扶手，"
        "我婆婆一脚踩空摔了一跤，喊工作人员喊了十几分钟才来一个"
    )
    tracker = told_then_detail(story, "投诉观音洞景区，这个管理太差了")
    slots = {
        e["name"]: e["value"]
        for e in await ValidateComplaintForm().run(CollectingDispatcher(), tracker, FORM_DOMAIN)
        if e["event"] == "slot"
    }
    assert slots["incident_time"] == "今天下午两点多" and slots["category"] == "安全隐患"
    assert str(slots["description"]).startswith("今天下午两点多我们进洞")
    # A question asked before (no grievance in it) stays out of the complaint.
    asked = told_then_detail("请问观音洞明天下午几点关门，导游说要带外套吗", "我要投诉观音洞景区")
    assert story_before_opening(asked) is None


async def test_the_guides_agency_named_later_takes_the_guide_with_it() -> None:
    slots = await validated(
        {"text": "华夏旅行社，网上报的团", "intent": {"name": "inform"}},
        target="鑫悦快捷宾馆（导游小聂）",
        requested_slot="phone",
    )
    assert slots["target"] == "华夏旅行社（导游小聂）"


async def test_a_stop_is_a_landmark_and_a_desk_refines_its_place() -> None:
    said = "青峰山，天池旁边观光车站那间"  # the NLU maps 观光车 to 天池观光车
    entities = [{"entity": "business", "value": "天池观光车", "start": 8, "end": 11}]
    slots = await validated(
        {"text": said, "intent": {"name": "inform"}, "entities": entities},
        target="天池便利店（店员）",
        requested_slot="phone",
    )
    assert "target" not in slots
    slots = await validated(
        {"text": "就是云溪博物馆服务台，胸牌好像是A017", "intent": {"name": "inform"}},
        target="云溪博物馆（工作人员）",
        requested_slot="phone",
    )
    assert slots["target"] == "云溪博物馆服务台"


async def test_agreement_at_the_read_back_confirms_and_a_desk_refines_a_bare_business() -> None:
    said = {"text": "对，没有问题，麻烦你们了。", "intent": {"name": "thank"}}
    assert (await validated(said, requested_slot="confirmation"))["confirmation"] is True
    # unseen31 #13: the corrected agency said again with the yes.
    again = {"text": "是的，就是华信旅行社，麻烦您了。", "intent": {"name": "thank"}}
    slots = await validated(again, target="华信旅行社", requested_slot="confirmation")
    assert slots["confirmation"] is True
    # What the read-back did not show is no yes said again: 对，是白鹭洲 puts the place right.
    tracker = saved_tracker("complaint_first_message")
    tracker.latest_message = {"text": "对，是白鹭洲", "intent": {"name": "inform"}, "entities": []}
    tracker.slots = {**tracker.slots, "place": "云溪古镇", "requested_slot": "confirmation"}
    tracker.events = [
        {"event": "slot", "name": "place", "value": "云溪古镇"},
        {"event": "slot", "name": "requested_slot", "value": "confirmation"},
        {"event": "user", "text": "对，是白鹭洲"},
    ]
    events = await ValidateComplaintForm().run(CollectingDispatcher(), tracker, FORM_DOMAIN)
    slots = {e["name"]: e["value"] for e in events if e["event"] == "slot"}
    assert slots["place"] == "白鹭洲湿地公园" and slots.get("confirmation") is not True
    slots = await validated(
        {"text": "我就去天池观光车售票处说回程不坐了，售票员说不退", "intent": {"name": "inform"}},
        target="天池观光车",
        requested_slot="phone",
    )
    assert slots["target"] == "天池观光车（售票处）"


def test_the_guide_misheard_is_the_guide_but_a_surname_and_导_stays() -> None:
    assert MISHEARD_GUIDE.sub("导游", "那个导有姓钱") == "那个导游姓钱"
    assert MISHEARD_GUIDE.sub("导游", "陈导有点凶，有人引导有序") == "陈导有点凶，有人引导有序"


@pytest.mark.parametrize(
    ("said", "held", "target"),
    [
        ("司机姓黄 我们叫他黄师傅", "乐途旅行社（司机）", "乐途旅行社（黄师傅）"),
        ("老板 姓陈 都叫他陈老板", "龙潭农家乐（老板）", "龙潭农家乐（陈老板）"),
        ("带队的是郑导 说时间来不及 直接拉回市区了", "云游国际旅行社", "云游国际旅行社（郑导）"),
    ],
)
async def test_the_person_a_target_holds_by_role_named_later_is_filed_by_name(
    said: str, held: str, target: str
) -> None:
    message = {"text": said, "intent": {"name": "inform"}}
    slots = await validated(message, target=held, requested_slot="incident_time")
    assert slots["target"] == target


async def test_where_in_the_place_held_told_later_refines_the_place() -> None:
    message = {"text": "南门码头上的船", "intent": {"name": "inform"}}
    slots = await validated(
        message, target="翠湖游船公司", place="翠湖公园", requested_slot="place"
    )
    assert slots["place"] == "翠湖公园南门码头" and "target" not in slots  # the company stands
    said = "北门停车场边上那个 地上全是尿 冲水的没水 苍蝇一大堆"
    slots = await validated(
        {"text": said, "intent": {"name": "inform"}},
        place="白鹭洲湿地公园",
        requested_slot="incident_time",
    )  # the toilet by the car park: the park's, not the car park's as a business
    assert slots["place"] == "白鹭洲湿地公园北门停车场"
    assert slots["target"] == "白鹭洲湿地公园北门停车场"


async def test_a_person_put_right_at_the_read_back_keeps_the_business() -> None:
    said = "补充一下 刚又问了 拍板的是他们前台经理 姓汪 三点水那个汪 投诉他 不是那小姑娘"
    slots = await validated(
        {"text": said, "intent": {"name": "inform"}},
        target="云溪大酒店",
        incident_time="5月1号晚上9点",
        requested_slot="confirmation",
    )
    assert slots["target"] == "云溪大酒店（汪经理）"
    assert "incident_time" not in slots  # 三点水 is how 汪 is written


async def test_a_place_keeps_the_stop_said_after_it_anywhere() -> None:
    said = "我要投訴青峰山天池觀光車的司機。今天下午4點20分左右在青峰山天池站上車，司機就大聲罵人"
    slots = await validated({"text": said, "intent": {"name": "complain"}})
    assert slots["place"] == "青峰山天池站"


async def test_a_place_keeps_the_place_it_is_in_said_before_it() -> None:
    said = "今儿早上九点左右 在青峰山南门游客中心停车场坐天池观光车 那司机嚷嚷快点快点磨叽啥呢"
    slots = await validated({"text": said, "intent": {"name": "complain"}})
    assert slots["place"] == "青峰山风景区南门游客中心停车场"  # not 南门游客中心停车场


@pytest.mark.parametrize(
    ("said", "held", "place"),
    [
        ("翠湖游船公司 南门码头收押金的大姐", None, "翠湖公园南门码头"),
        ("就在北门 进去右手边", "云溪古镇", "云溪古镇北门"),
        ("在南门游客中心寄存的", "云溪古镇", "南门游客中心"),  # a place of its own
    ],
)
async def test_where_in_a_place_said_apart_from_its_name(
    said: str, held: str | None, place: str
) -> None:
    message = {"text": said, "intent": {"name": "inform"}}
    slots = await validated(message, target="翠湖游船公司", place=held, requested_slot="place")
    assert slots["place"] == place


async def test_a_person_named_while_the_place_is_asked_is_no_place() -> None:
    said = "导游是金桥旅行社的，叫张伟，我们叫他张导。"
    slots = await validated(
        {"text": said, "intent": {"name": "inform"}}, target="导游", requested_slot="place"
    )
    assert slots["target"] == "金桥旅行社（导游张伟）"
    assert "place" not in slots


def test_a_complaint_mistyped_is_read_as_one() -> None:
    assert "投诉" in _read("我要投述一个出租车司机")


async def test_a_fellow_tourist_tagged_as_a_business_is_none() -> None:
    said = (
        "我与老伴到观音洞景区售票处买票，售票员说景区只能手机扫码，不收现金。"
        "最后是一位好心游客用手机帮我们买的票"
    )
    entities = [{"entity": "business", "value": "游客"}]
    slots = await validated(
        {"text": said, "intent": {"name": "complain"}, "entities": entities}, requested_slot=None
    )
    assert slots["target"].startswith("观音洞")
