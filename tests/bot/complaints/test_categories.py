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
