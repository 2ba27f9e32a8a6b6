"""Reading a complaint out of the tourist's words: category, target, time, phone, summary."""

import re

# Patterns, tried in order: the first that matches names the category.
CATEGORIES: dict[str, re.Pattern[str]] = {
    name: re.compile(pattern)
    for name, pattern in {
        "强制购物": r"强制购物|(强迫|逼|硬拉|非要|拉|带)[^，。,.]{0,8}(购物|买|消费|进店)"
        r"|不买[^，。,.]{0,4}不让|购物店|购物点|买够|必须(买|消费)|不准走|不让走|锁了?门|把门一关",
        "价格欺诈": r"价格欺诈|宰客|乱收费|多收|天价|虚高|明码标价|缺斤短两|坑钱|被坑|黑心|乱涨价"
        r"|加价|收费不合理|价格不一样|欺诈|收了[^，。,.]{0,4}(百|千|块)|收我[^，。,.]{0,4}(百|千|块)"
        r"|菜单上|明明写|标价",
        "服务态度": r"态度|骂人|爱答不理|不耐烦|辱骂|甩脸|很凶|凶我|吼|骂我|不理人",
        "安全隐患": r"安全|隐患|危险|护栏|塌|超载|消防|设施坏|松动|没有防护"
        r"|断了|坏了|掉下|掉进|摔|漏电|救生",
        "合同违约": r"合同|行程|缩水|擅自改|降低标准|没按约定|甩团|不按|违约|更换"
        r"|订单上|跟订单|和订单|与订单|不一样|不符|货不对板",
        "退费纠纷": r"退款|退费|退钱|不退|押金|退票|退订|扣钱"
        r"|订金|定金|只退|少退|没退|退还|退[了回]?一半",
        "环境卫生": r"卫生|脏|厕所|垃圾|臭|蟑螂|不干净|异味|苍蝇|老鼠|头发|发霉|变质|馊",
        "其他": r"其他",
    }.items()
}
ROLES = (
    "导游",
    "领队",
    "司机",
    "旅行社",
    "酒店",
    "宾馆",
    "客栈",
    "民宿",
    "饭店",
    "餐馆",
    "餐厅",
    "商店",
    "购物店",
    "景区",
    "索道",
    "缆车",
    "游船",
    "观光车",
    "出租车",
    "农家乐",
    "特产店",
    "售票处",
    "售票员",
    "工作人员",
    "保安",
    "停车场",
)
PEOPLE = ("导游", "领队", "司机", "售票员", "工作人员", "保安", "店员", "服务员", "老板")
# Kinds of business that follow their name; the words before a name that are not part of it.
KINDS = (
    "旅行社", "酒店", "宾馆", "客栈", "民宿", "饭店", "餐馆", "餐厅", "茶馆", "农家乐",
    "山庄", "度假村", "商城", "小吃城", "购物店", "特产店", "玉器店", "商店", "管理处",
    "公司", "会所", "酒家", "中心", "超市", "店", "馆",
)  # fmt: skip
NAMED = re.compile(
    r"([\u4e00-\u9fff]{2,8}?)(" + "|".join(sorted(KINDS, key=len, reverse=True)) + ")"
)
LEADING_WORDS = re.compile(
    r"投诉|举报|反映|我要|我想|我们|就是|那个|这个|一个|一家|那家|这家|旁边|对面|里面|附近"
    r"|那边|这边|一下|名叫|叫做|[拉带进回]"  # 直接拉回酒店 names no hotel
    r"|[的在是住去到被给了和跟把叫]"
)
QUOTED = re.compile(r"[“「『\"]([^”」』\"]{2,20})[”」』\"]")
CORRECTION = re.compile(r"说错|不是|不对|改成|改为|应该是|更正|搞错|弄错")
NEGATED = re.compile(r"(而)?不是[^，。,.！!？?；;]*")
PHONE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
PHONE_LIKE = re.compile(r"\d[\d\s-]{5,}\d")
HOUR = r"(\d{1,2}|[一二两三四五六七八九十]{1,3})"  # 3点 or 三点
WEEKDAY = r"(周|星期|礼拜)[一二三四五六日天]"
DAY = (
    r"(大前天|前天|昨天|昨儿|今天|今儿|今早|昨晚|前几天|前两天|上个?周末|这个?周末|周末"
    r"|(上个?|这个?|本)"
    + WEEKDAY
    + r"|(上个?|这个?|本)(周|星期|礼拜)|"
    + WEEKDAY
    + r"|(\d{1,2}|[一二三四五六七八九十]{1,3})月(\d{1,2}|[一二三四五六七八九十]{1,3})[日号]"
    r"|\d{1,2}[日号]|上个?月|国庆|五一|春节|元旦|端午|中秋|刚才|刚刚)"
)
PART = r"(早上|上午|中午|下午|傍晚|晚上|凌晨|夜里|半夜)"
CLOCK = HOUR + r"点(半|多|\d{1,2}分)?(左右)?"
TIME = re.compile(DAY + PART + r"?(" + CLOCK + r")?|" + PART + CLOCK)


def classify_category(text: str) -> str | None:
    for category, pattern in CATEGORIES.items():
        if pattern.search(text):
            return category
    return None


def reads_like_complaint(text: str) -> bool:
    """A story of something that went wrong, told without the word 投诉: a complaint category's
    cue plus a phone number, or plus both a time and who did it."""
    category = classify_category(text)
    if category in (None, "其他"):
        return False
    return bool(find_phone(text)) or (
        find_time(text) is not None and any(role in text for role in ROLES)
    )


def correcting(text: str) -> bool:
    return bool(CORRECTION.search(text))


def without_negated(text: str) -> str:
    """A correction without what it takes back: 是竹林雅居民宿，不是悦来客栈 → 是竹林雅居民宿，"""
    return NEGATED.sub("", text)


def named_business(text: str) -> str | None:
    """A business the NLU does not know, named before its kind (逍遥游旅行社, 山水人家农家乐),
    or any name the tourist put in quotes (一家叫“明月楼酒家”的饭店)."""
    quoted = QUOTED.search(text)
    if quoted:
        return quoted.group(1)
    for match in NAMED.finditer(text):
        name = LEADING_WORDS.split(match.group(1))[-1]
        if len(name) >= 2:
            return name + match.group(2)
    return None


def is_vague(target: str | None) -> bool:
    """Only a kind of business or a role (导游, 酒店), no name."""
    return target is None or target in ROLES or target in KINDS or target in PEOPLE


def find_target(text: str, businesses: list[str]) -> str | None:
    """The business named, with the role in it when one is said (云游国际旅行社的导游)."""
    business = businesses[0] if businesses else None
    named = named_business(text)
    if named and (business is None or business in named or business not in text):
        business = named  # also over a synonym the tourist never said (游船 → 翠湖游船公司)
    rest = text.replace(business, " ") if business else text
    # After a business only a person is worth adding (its 导游), not another kind of business.
    roles = [role for role in (PEOPLE if business else ROLES) if role in rest]
    role = min(roles, key=rest.index) if roles else None
    if business:
        return f"{business}（{role}）" if role else business
    return role


def find_phone(text: str) -> str | None:
    match = PHONE.search(text.replace(" ", "").replace("-", ""))
    return match.group(0) if match else None


def looks_like_phone(text: str) -> bool:
    return bool(PHONE_LIKE.search(text))


def find_time(text: str) -> str | None:
    match = TIME.search(text)
    return match.group(0) if match else None


def mask_phone(phone: str) -> str:
    return phone[:3] + "****" + phone[-4:] if len(phone) >= 7 else "****"


def summary(slots: dict[str, str | None]) -> str:
    return (
        "请核对您的投诉信息：\n"
        f"投诉对象：{slots.get('target')}\n"
        f"问题类别：{slots.get('category')}\n"
        f"发生地点：{slots.get('place')}\n"
        f"发生时间：{slots.get('incident_time')}\n"
        f"联系电话：{mask_phone(slots.get('phone') or '')}\n"
        f"事情经过：{slots.get('description')}\n"
        "信息无误请回复“确认”，需要修改请直接说出要改的内容。"
    )
