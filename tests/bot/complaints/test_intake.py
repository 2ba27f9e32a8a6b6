import pytest

from bot.complaints import intake


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("导游强迫我们购物", "强制购物"),
        ("不买东西就不让走", "强制购物"),
        ("饭店宰客，一盘菜收了八百", "价格欺诈"),
        ("售票员态度很差还骂人", "服务态度"),
        ("栈道护栏松动太危险了", "安全隐患"),
        ("旅行社擅自改了行程", "合同违约"),
        ("酒店不给退押金", "退费纠纷"),
        ("厕所太脏了", "环境卫生"),
        ("我想说一件事", None),
    ],
)
def test_classify_category(text: str, category: str | None) -> None:
    assert intake.classify_category(text) == category


def test_target_names_the_business_and_the_role() -> None:
    text = "云游国际旅行社的导游强迫我们购物"
    assert intake.find_target(text, ["云游国际旅行社"]) == "云游国际旅行社（导游）"
    assert intake.find_target("导游强迫我们购物", []) == "导游"
    assert intake.find_target("云溪大酒店很差", ["云溪大酒店"]) == "云溪大酒店"
    assert intake.find_target("东西难吃", []) is None


@pytest.mark.parametrize(
    ("text", "phone"),
    [
        ("我电话13812345678", "13812345678"),
        ("手机 138-1234-5678", "13812345678"),
        ("12345678901", None),
        ("1381234567", None),
    ],
)
def test_find_phone(text: str, phone: str | None) -> None:
    assert intake.find_phone(text) == phone


@pytest.mark.parametrize(
    ("text", "time"),
    [
        ("昨天下午在古镇", "昨天下午"),
        ("11月20号晚上8点出的事", "11月20号晚上8点"),
        ("上周六上午", "上周六上午"),
        ("下午三点左右", "下午三点"),
        ("能不能便宜一点", None),  # 一点 is "a little" without a day or part of day
        ("下午3点左右", "下午3点"),
        ("前天下午三点在索道站", "前天下午三点"),
        ("晚上十一点半", "晚上十一点半"),
    ],
)
def test_find_time(text: str, time: str | None) -> None:
    assert intake.find_time(text) == time


def test_mask_phone_and_summary_never_show_the_full_number() -> None:
    assert intake.mask_phone("13812345678") == "138****5678"
    text = intake.summary({"phone": "13812345678", "target": "导游", "category": "强制购物"})
    assert "138****5678" in text and "13812345678" not in text


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
    assert intake.reads_like_complaint(text) is complaint
