from collections import Counter

import pytest

from bot.complaints import categories, intake
from bot.settings import PROJECT_DIR


def test_the_examples_hold_every_category_and_are_the_scripted_conversations() -> None:
    examples = categories.read_examples()
    counts = Counter(example["category"] for example in examples)
    assert set(counts) == set(intake.CATEGORIES) and min(counts.values()) >= 20
    # Each example is what scripts/category_examples.py makes of the set it names.
    sources = {example["source"].split("#")[0] for example in examples}
    rebuilt = [
        row
        for source in sorted(sources, key=categories.set_order)
        for row in categories.conversation_examples(PROJECT_DIR / source, PROJECT_DIR)
    ]
    assert rebuilt == examples


def test_the_sets_are_in_the_order_they_were_written() -> None:
    names = ["complaint_conversations_unseen10.yml", "complaint_conversations_unseen2.yml"]
    names += ["complaint_conversations_unseen.yml", "complaint_conversations.yml"]
    assert sorted(names, key=categories.set_order) == names[::-1]


@pytest.mark.parametrize(
    ("story", "category"),
    [  # none of these is among the examples
        ("观光车刹车不灵，下坡的时候差点冲出护栏，司机还说没事", "安全隐患"),
        ("合同上写的是四星级酒店，结果把我们安排在一个招待所，行程也少了一个景点", "合同违约"),
        ("菜单上一斤六十八，结账按一百六十八算，说我们看错了", "价格欺诈"),
        ("厕所门都关不上，地上全是水，臭得人进不去", "环境卫生"),
        ("導遊帶我們進玉器店，說不買夠兩千不准上車", "强制购物"),
        ("订的房间没住成，说好全额退款，半个月了一分钱没退", "退费纠纷"),
        ("问了售票员两遍怎么走，她翻个白眼说自己看牌子，还骂我们乡巴佬", "服务态度"),
    ],
)
def test_a_story_it_has_not_seen_gets_its_category(story: str, category: str) -> None:
    assert categories.classify(story) == category


def test_a_classifier_is_trained_on_the_examples_given() -> None:
    examples = [("门票多收了钱", "价格欺诈"), ("导游骂人", "服务态度")] * 3
    classifier = categories.train(examples)
    assert categories.classify("导游骂人了", classifier) == "服务态度"
    with pytest.raises(ValueError, match="乱收费"):
        categories.train([*examples, ("收了两百块", "乱收费")])


@pytest.mark.parametrize(
    ("text", "complaint"),
    [
        ("汤泉山庄订了房后来取消了 说好订金全额退 结果只退了一半 电话19912340876", True),
        ("昨天下午云游国际旅行社的导游强迫我们进购物店", True),
        ("白鹭洲栈道上的木板断了 我的手机15233445566", True),
        ("景区安全吗", False),  # a category cue but no incident
        ("我住在云溪大酒店 手机13800138000", False),  # an incident-less fact
        ("退票怎么退", False),
    ],
)
def test_reads_like_complaint(text: str, complaint: bool) -> None:
    assert categories.reads_like_complaint(text) is complaint


def test_a_reported_story_with_a_phone_reads_like_a_complaint() -> None:
    story = "我想反应个情况。行李寄存点把我们的箱子弄丢了，我电话15290483716"
    assert categories.reads_like_complaint(story)
    assert not categories.reads_like_complaint("行李寄存点在哪，我电话15290483716")
    landline = "上周五住的归雁旅馆，卫生间地上全是头发，被子发霉。联系电话 0871-6532 8874"
    assert categories.reads_like_complaint(landline)  # the form asks for a mobile
    assert categories.reads_like_complaint("我要投诉汤泉里，说好的不能退钱，电话138057129934")
    assert not categories.reads_like_complaint("2026-11-28的门票能退吗")  # a date is no number


def test_a_grievance_with_no_answer_given_and_a_number_reads_like_a_complaint() -> None:
    text = "我去云溪机场那个安心行李寄存点取箱子，箱子没了！到现在也没个说法。电话 138-0659-27140"
    assert categories.reads_like_complaint(text)


def test_a_story_with_a_local_landline_reads_like_a_complaint() -> None:
    story = (
        "鹭鸣便利店老板娘态度太恶劣了 骂我们外地人事多 还让我们滚 今天上午十点左右的事 电话87652301"
    )
    assert intake.leaves_a_number(story)
    assert categories.reads_like_complaint(story)
    assert not intake.leaves_a_number("订单号是12345678")


def test_a_story_with_no_cue_word_reads_like_a_complaint_by_the_detector() -> None:
    story = (
        "昨天下午坐索道下山，车厢门根本关不严实，一路嘎吱嘎吱响，我跟工作人员说了，"
        "他瞄一眼说没事照样开。电话 1390 8712 36"
    )
    assert not intake.grievance_cue(story)  # no cue word says what went wrong
    assert categories.grievance(story) >= categories.GRIEVANCE
    assert categories.reads_like_complaint(story)
    # Short details share words with the stories, but only a story is read by the detector.
    for detail in ("我的手机是18912345678", "改一下时间 是昨天晚上", "前天下午", "电话17712345678"):
        assert not categories.tells_grievance(detail)
    # Questions, even with a number to call back, are no grievance.
    assert not categories.reads_like_complaint("请问明天索道开不开？我电话13908712366")
    question = "我们一家四口下周想去青峰山玩两天，请问住山上还是山下方便？我电话13908712366"
    assert not categories.reads_like_complaint(question)


def test_a_story_both_readings_take_for_a_grievance_reads_like_one_without_a_number() -> None:
    for story in (  # none of these is among the examples
        "在青峰山脚下报了个一日游，说好全程无购物，结果导游带我们进了三家茶叶店，不买就甩脸色，"
        "说下次不带我们了",
        "白鹭洲湿地公园租的自行车，骑了不到半小时链条就掉了，还车的时候反倒说是我们弄坏的，"
        "要扣押金两百块，太不讲理了",
    ):
        assert not intake.can_follow_up(story)  # no number, no time
        assert categories.plainly_grievance(story)
        assert categories.reads_like_complaint(story)
    question = "我们订了云溪温泉度假区的温泉加住宿套餐，如果提前三天取消的话能全额退款吗？"
    assert not categories.plainly_grievance(question)


def test_a_grievance_detector_is_trained_on_the_messages_given() -> None:
    detector = categories.train_grievance(["导游骂人", "房间很脏"], ["几点开门", "门票多少钱"])
    told, asked = (categories.grievance(text, detector) for text in ("导游骂我们", "几点关门"))
    assert told > 0.5 > asked
