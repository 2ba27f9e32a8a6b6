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
        ("下午三点左右", "下午三点左右"),
        ("能不能便宜一点", None),  # 一点 is "a little" without a day or part of day
        ("下午3点左右", "下午3点左右"),
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


@pytest.mark.parametrize(
    ("text", "time"),
    [
        ("上个礼拜六下午两点多", "上个礼拜六下午两点多"),
        ("礼拜天早上", "礼拜天早上"),
        ("上周的事", "上周"),
        ("这个周末在古镇", "这个周末"),
        ("十月三号晚上", "十月三号晚上"),
        ("国庆那天", "国庆"),
        ("坐地铁一号线", None),
    ],
)
def test_find_time_reads_colloquial_days(text: str, time: str | None) -> None:
    assert intake.find_time(text) == time


@pytest.mark.parametrize(
    ("text", "businesses", "target"),
    [
        ("我要投诉逍遥游旅行社的导游昨天上午", [], "逍遥游旅行社（导游）"),
        ("投诉山水人家农家乐，就在龙潭瀑布下面", [], "山水人家农家乐"),
        ("投诉望月楼旁边的听雨轩茶馆", [], "听雨轩茶馆"),
        ("我要投诉那家酒店", [], "酒店"),
        ("逍遥游旅行社的导游", ["旅行社"], "逍遥游旅行社（导游）"),  # a fragment widened
        ("云游国际旅行社的导游", ["云游国际旅行社"], "云游国际旅行社（导游）"),
    ],
)
def test_target_keeps_an_unknown_business_name(
    text: str, businesses: list[str], target: str
) -> None:
    assert intake.find_target(text, businesses) == target


def test_a_correction_takes_back_what_follows_not() -> None:
    said = "不对不对，客栈名字说错了，是隔壁的竹林雅居民宿，不是悦来客栈"
    assert intake.correcting(said) and not intake.correcting("悦来客栈")
    assert "悦来客栈" not in intake.without_negated(said)
    assert intake.find_target(intake.without_negated(said), []) == "竹林雅居民宿"
    assert intake.named_business("一家叫“明月楼酒家”的饭店") == "明月楼酒家"


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("喝了一壶茶收我三百八，菜单上明明写的是三十八", "价格欺诈"),
        ("订的是带窗的大床房，到了给一间没窗户的小屋，跟订单上写的完全不一样", "合同违约"),
    ],
)
def test_more_category_cues(text: str, category: str) -> None:
    assert intake.classify_category(text) == category


def test_a_verb_before_a_kind_is_not_a_name() -> None:
    assert intake.named_business("导游直接拉回酒店") is None
    assert intake.named_business("龙潭瀑布那边的飞流漂流公司") == "飞流漂流公司"
    assert intake.named_business("老街的渔家乐海鲜馆吃饭") == "渔家乐海鲜馆"
