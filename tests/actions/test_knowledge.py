from rasa_sdk.executor import CollectingDispatcher

from actions.knowledge import ActionAnswerFaq, ActionOutOfScope
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


def test_every_kb_decision_is_logged_and_out_of_scope_counts_as_unanswered(
    services: Services,
) -> None:
    ask("青峰山门票多少钱啊")
    tracker = saved_tracker("complaint_first_message")
    tracker.latest_message.update({"text": "景区里能放无人机吗", "metadata": {"channel": "sms"}})
    dispatcher = CollectingDispatcher()
    assert ActionOutOfScope().run(dispatcher, tracker, DOMAIN) == []
    assert dispatcher.messages[0]["response"] == "utter_out_of_scope"
    [declined] = services.questions.unanswered()
    assert (declined.query, declined.decision, declined.channel) == (
        "景区里能放无人机吗",
        "none",
        "sms",
    )
    today = services.questions.daily(1)[0]
    assert today["questions"] == 2 and today["answer"] == 1 and today["none"] == 1
    assert services.questions.top_faqs(1) == [("faq-0001", 1)]


def test_an_incident_told_as_inform_starts_the_complaint_form(services: Services) -> None:
    story = "汤泉山庄 订了房后来取消了 说好订金全额退 结果只退了一半 电话 19912340876"
    tracker = saved_tracker("complaint_first_message")
    tracker.latest_message.update({"text": story, "intent": {"name": "inform"}})
    dispatcher = CollectingDispatcher()
    events = ActionAnswerFaq().run(dispatcher, tracker, DOMAIN)
    assert events == [{"event": "followup", "timestamp": None, "name": "complaint_form"}]
    assert dispatcher.messages == []
    question = "青峰山门票多少钱啊"  # inform without an incident is still answered
    tracker.latest_message.update({"text": question, "intent": {"name": "inform"}})
    assert ActionAnswerFaq().run(dispatcher, tracker, DOMAIN) == []
    assert "120元" in str(dispatcher.messages[0]["text"])


def test_a_story_with_a_mobile_number_is_a_complaint_even_as_a_question(services: Services) -> None:
    story = "导游今天上午带我们进购物店不买不让走，这正常吗？我手机13912345678"
    tracker = saved_tracker("complaint_first_message")
    tracker.latest_message.update({"text": story, "intent": {"name": "ask_faq"}})
    assert ActionAnswerFaq().run(CollectingDispatcher(), tracker, DOMAIN) == [
        {"event": "followup", "timestamp": None, "name": "complaint_form"}
    ]
    question = "导游带我们去购物店不买不让走怎么办"  # no story to file: answered
    tracker.latest_message.update({"text": question, "intent": {"name": "ask_faq"}})
    dispatcher = CollectingDispatcher()
    assert ActionAnswerFaq().run(dispatcher, tracker, DOMAIN) == []
    assert dispatcher.messages


def test_a_complaint_said_outright_starts_the_form_whatever_the_intent(services: Services) -> None:
    said = "我要投诉揽月照相馆！今天下午路过望月楼，看到他们拿我的照片做广告"
    tracker = saved_tracker("complaint_first_message")
    tracker.latest_message.update({"text": said, "intent": {"name": "ask_faq"}})
    assert ActionAnswerFaq().run(CollectingDispatcher(), tracker, DOMAIN) == [
        {"event": "followup", "timestamp": None, "name": "complaint_form"}
    ]
    question = "想投诉的话打什么电话"  # how to complain: answered
    tracker.latest_message.update({"text": question, "intent": {"name": "ask_faq"}})
    dispatcher = CollectingDispatcher()
    assert ActionAnswerFaq().run(dispatcher, tracker, DOMAIN) == []
    assert dispatcher.messages


def test_a_number_sent_on_its_own_after_a_story_starts_the_complaint_form(
    services: Services,
) -> None:
    story = (
        "我在云溪北站的停车场停了两天车，前天下午去取车的时候发现车门上被划了一长道，"
        "找停车场的人调监控，一句解释都没有"
    )
    tracker = saved_tracker("complaint_first_message")
    tracker.events = [
        {"event": "user", "text": story},
        {"event": "bot", "text": "正规公共停车场会在入口处公示收费标准…"},
        {"event": "user", "text": "11098765432"},
    ]
    tracker.slots["requested_slot"] = None
    tracker.latest_message.update({"text": "11098765432", "intent": {"name": "inform"}})
    assert ActionAnswerFaq().run(CollectingDispatcher(), tracker, DOMAIN) == [
        {"event": "followup", "timestamp": None, "name": "complaint_form"}
    ]
    tracker.events[0]["text"] = "你好"  # a number with no story before it is no complaint
    dispatcher = CollectingDispatcher()
    assert ActionAnswerFaq().run(dispatcher, tracker, DOMAIN) == []
    assert "投诉单号" in str(dispatcher.messages[0]["text"])  # asked what it is for
