import pytest

from channels.speech import for_speech

EMOJI_AND_SYMBOLS = [
    ("✅ 已为您登记投诉\n❗ 请保持电话畅通", "已为您登记投诉。请保持电话畅通。"),
    ("青峰山是国家5A级景区★★★★★", "青峰山是国家5A级景区。"),
    ("欢迎光临😊！", "欢迎光临！"),
    ("👨\u200d👩\u200d👧 家庭套票 ¥200-300", "家庭套票200到300元。"),
    ("1️⃣ 门票 2️⃣ 交通 3️⃣ 住宿", "门票，交通，住宿。"),
    ("北门→索道→山顶 ▶ 约需2小时", "北门，索道，山顶，约需2小时。"),
    ("咨询热线📞12301", "咨询热线，幺二三零幺。"),
    ("停车场（P1）距离东门约200m → 步行5分钟", "停车场，P1，距离东门约200米，步行5分钟。"),
    ("🇨🇳 国庆假期 ●●● 景区照常开放", "国庆假期，景区照常开放。"),
]

LINKS = [
    (
        "青峰山景区开放时间：8:00-17:30（16:30停止入园）😊 详见 https://example.gov.cn/qfs",
        "青峰山景区开放时间：8点到17点30分，16点30分停止入园。",
    ),
    ("门票可在线预约，请访问 www.qfs-travel.com/booking 。", "门票可在线预约。"),
    ("预约链接：https://yy.example.cn/book?id=12&from=wx", "预约。"),
    ("请访问官网 https://qfs.example.cn 预约门票", "请访问官网，预约门票。"),
    ("投诉渠道详见12301.cn，或拨打12301", "投诉渠道，或拨打幺二三零幺。"),
    ("预约入口：**https://yy.example.cn/book**", "预约入口。"),
    (
        '<a href="https://x.example.cn">官网</a><br>投诉电话：<b>12345</b>',
        "官网。投诉电话：幺二三四五。",
    ),
    (
        "[点击这里预约](https://a.example.cn/x) 或拨打 400-800-1234",
        "点击这里预约，或拨打四零零八零零幺二三四。",
    ),
]

MARKDOWN = [
    (
        "## 门票价格\n- **成人票**：¥80\n- 学生票：￥40（凭学生证）\n- 1.2米以下儿童免票",
        "门票价格。成人票：80元。学生票：40元，凭学生证。1.2米以下儿童免票。",
    ),
    (
        "1. 乘坐地铁3号线到青峰站\n2. 步行约1.5km\n3. 换乘景区接驳车（约800m）",
        "乘坐地铁3号线到青峰站。步行约1.5公里。换乘景区接驳车，约800米。",
    ),
    (
        "> 温馨提示：周末客流较大\n> 请*错峰*出行，留意`景区公告`",
        "温馨提示：周末客流较大。请错峰出行，留意景区公告。",
    ),
    (
        "开放时间：\n* 周一至周五 9:00-17:00\n* 周六 9:00 - 12:00",
        "开放时间：周一至周五9点到17点。周六9点到12点。",
    ),
    ("| 票种 | 价格 |\n|---|---|\n| 成人 | ¥80 |", "票种，价格。成人，80元。"),
    ("一、购票须知\n\n---\n二、交通指南", "购票须知。交通指南。"),
    ("**1.** 携带身份证\n**2.** 提前预约", "携带身份证。提前预约。"),
    ("1、2号线均可到达青峰站", "1、2号线均可到达青峰站。"),
]

NUMBERS = [
    ("投诉请拨打12301或12345热线", "投诉请拨打幺二三零幺或幺二三四五热线。"),
    (
        "客服电话：0871-1234567，手机 138 0013 8000。",
        "客服电话：零八七幺幺二三四五六七，手机幺三八零零幺三八零零零。",
    ),
    (
        "首班车 6:05 发车，末班车 24:00，索道17:00停运",
        "首班车6点05分发车，末班车24点，索道17点停运。",
    ),
    ("冬季开放时间8:00～17:30，夏季8:30至18:00", "冬季开放时间8点到17点30分，夏季8点30分到18点。"),
    ("活动时间 2026-11-24 至 2026/11/30", "活动时间2026年11月24日至2026年11月30日。"),
    ("预约截止时间为2026.10.08 17:00", "预约截止时间为2026年10月8日17点。"),
    (
        "客流已达最大承载量的85%，门票打5折（即50%优惠）！！",
        "客流已达最大承载量的百分之85，门票打5折，即百分之50优惠！",
    ),
    ("门票80~120元，学生半价～", "门票80到120元，学生半价。"),
    (
        "年接待游客12000人次，步道全长10,000m，海拔1,800 m",
        "年接待游客12000人次，步道全长10000米，海拔1800米。",
    ),
    ("气温 -5°C~10°C，车速限60km/h", "气温-5℃到10℃，车速限60公里每小时。"),
]

PUNCTUATION_AND_PARENTHESES = [
    ("青峰山（Qingfeng Mountain）景区", "青峰山景区。"),
    ("VIP通道 (Very Important Person) 仅限持卡游客", "VIP通道，仅限持卡游客。"),
    ("游客中心（位于东门（售票处旁））", "游客中心，位于东门，售票处旁。"),
    ("（温馨提示）本周末客流较大", "温馨提示，本周末客流较大。"),
    ("请拨打12345。。。谢谢!!", "请拨打幺二三四五。谢谢！"),
    ("成人 80元 儿童 40元", "成人80元，儿童40元。"),
    ("东门——南门步行约20分钟", "东门，南门步行约20分钟。"),
    ("\u3000\u3000请拨打 12345。\r\n\r\n", "请拨打幺二三四五。"),
    ("Welcome to Qingfeng Mountain!", "Welcome to Qingfeng Mountain!"),
]

EMPTY = [("", ""), ("   \n\t ", ""), ("😊🎉", ""), ("详见 https://example.gov.cn", "")]

CASES = EMOJI_AND_SYMBOLS + LINKS + MARKDOWN + NUMBERS + PUNCTUATION_AND_PARENTHESES + EMPTY


@pytest.mark.parametrize(("reply", "spoken"), EMOJI_AND_SYMBOLS)
def test_emoji_and_decorative_symbols_are_removed(reply: str, spoken: str) -> None:
    assert for_speech(reply) == spoken


@pytest.mark.parametrize(("reply", "spoken"), LINKS)
def test_links_are_removed_with_their_dangling_lead_in(reply: str, spoken: str) -> None:
    assert for_speech(reply) == spoken


@pytest.mark.parametrize(("reply", "spoken"), MARKDOWN)
def test_markdown_is_stripped_and_lines_become_sentences(reply: str, spoken: str) -> None:
    assert for_speech(reply) == spoken


@pytest.mark.parametrize(("reply", "spoken"), NUMBERS)
def test_numbers_are_written_as_they_are_said(reply: str, spoken: str) -> None:
    assert for_speech(reply) == spoken


@pytest.mark.parametrize(("reply", "spoken"), PUNCTUATION_AND_PARENTHESES)
def test_punctuation_and_parentheses_read_as_pauses(reply: str, spoken: str) -> None:
    assert for_speech(reply) == spoken


@pytest.mark.parametrize(("reply", "spoken"), EMPTY)
def test_nothing_left_to_say_is_an_empty_string(reply: str, spoken: str) -> None:
    assert for_speech(reply) == spoken


@pytest.mark.parametrize("reply", [reply for reply, _ in CASES])
def test_for_speech_is_idempotent(reply: str) -> None:
    spoken = for_speech(reply)
    assert for_speech(spoken) == spoken
