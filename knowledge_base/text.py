"""Chinese text normalization and tokenization shared by indexing and querying."""

import re
import threading
import unicodedata
from functools import lru_cache
from pathlib import Path

import jieba
import zhconv
from jieba import posseg

from bot.settings import PROJECT_DIR

USER_DICTIONARY = PROJECT_DIR / "nlu_data" / "jieba" / "userdict.txt"
FILLERS = (
    "那个",
    "就是说",
    "就是",
    "然后",
    "这个",
    "嗯",
    "呃",
    "啊",
    "额",
    "哦",
    "请问",
    "你好",
    "您好",
    "我想问一下",
    "我想问",
    "想问一下",
    "问一下",
    "麻烦问下",
    "请教一下",
)
STOPWORDS = frozenset(
    "的 了 吗 呢 吧 啊 呀 嘛 么 我 我们 你 你们 是 在 有 没有 要 想 能 可以 怎么 怎样 "
    "一下 请 问 下 个 这 那 就 都 也 还 和 跟 去 到 给 多少".split()
)
# Tourists mix English travel words into Chinese (青峰山cable car往返ticket多少钱); the FAQs are
# Chinese, so each is read as its Chinese word before matching. Whole English words only.
ENGLISH = {
    "ticket": "票",
    "tickets": "票",
    "cable car": "索道",
    "cableway": "索道",
    "ropeway": "索道",
    "hotel": "酒店",
    "room": "房间",
    "check in": "入住",
    "check-in": "入住",
    "check out": "退房",
    "check-out": "退房",
    "checkout": "退房",
    "luggage": "行李",
    "baggage": "行李",
    "parking": "停车",
    "passport": "护照",
    "sunrise": "日出",
    "kids": "孩子",
    "kid": "孩子",
    "children": "儿童",
    "child": "儿童",
    "student": "学生",
    "senior": "老人",
    "discount": "优惠",
    "jacket": "外套",
    "bus": "公交",
    "shuttle": "接驳车",
    "taxi": "出租车",
    "airport": "机场",
    "train": "火车",
    "boat": "船",
    "museum": "博物馆",
    "opening hours": "开放时间",
    "open": "开门",
    "toilet": "厕所",
    "restroom": "厕所",
    "wheelchair": "轮椅",
    "refund": "退款",
    "cancel": "取消",
    "book": "预约",
    "booking": "预约",
    "reservation": "预约",
    "pet": "宠物",
    "dog": "狗",
    "cat": "猫",
    "guide": "导游",
    "restaurant": "餐厅",
    "breakfast": "早餐",
    "night market": "夜市",
    "weather": "天气",
    "hospital": "医院",
    "police": "警察",
    "lost": "丢了",
    "express": "快递",
    "foreigner": "外国人",
    "foreign": "外国",
    "english": "英语",
    "cash": "现金",
    "invoice": "发票",
    "price": "价格",
}
_ENGLISH = re.compile(
    r"(?<![a-z])("
    + "|".join(re.escape(w) for w in sorted(ENGLISH, key=len, reverse=True))
    + r")(?![a-z])"
)
# zhconv would read its dictionary through a file it never closes; hand it the path instead.
zhconv.zhconv.loaddict(str(Path(zhconv.__file__).with_name("zhcdict.json")))
_NON_WORD = re.compile(r"[^\w]+")
_CJK = re.compile(r"[\u4e00-\u9fff]+")
_lock = threading.Lock()
# Digits and Latin letters typed full-width on a Chinese keyboard: １３６０７７９, ｗｘ.
_HALF_WIDTH = str.maketrans(
    {
        chr(wide): chr(wide - 0xFEE0)
        for start, end in ("０９", "ＡＺ", "ａｚ")
        for wide in range(ord(start), ord(end) + 1)
    }
)


def to_simplified(text: str) -> str:
    return str(zhconv.convert(text, "zh-cn"))


def to_half_width(text: str) -> str:
    """Full-width digits and Latin letters as ASCII (１３６０７７９１５４２ → 13607791542); the
    punctuation stays as typed."""
    return text.translate(_HALF_WIDTH)


def normalize(text: str) -> str:
    """Simplified characters, half-width, lower case, English travel words in Chinese, fillers
    and punctuation removed."""
    text = to_simplified(unicodedata.normalize("NFKC", text)).lower()
    text = _ENGLISH.sub(lambda m: f" {ENGLISH[m.group(1)]} ", text)
    for filler in FILLERS:
        text = text.replace(filler, " ")
    return " ".join(_NON_WORD.sub(" ", text).split())


@lru_cache(maxsize=1)
def _tokenizer(dictionary: Path = USER_DICTIONARY) -> jieba.Tokenizer:
    with _lock:
        tokenizer = jieba.Tokenizer()
        tokenizer.initialize()
        if dictionary.exists():
            with dictionary.open("rb") as words_file:  # jieba leaves a path's file open
                tokenizer.load_userdict(words_file)
        return tokenizer


@lru_cache(maxsize=1)
def _pos_tagger() -> posseg.POSTokenizer:
    return posseg.POSTokenizer(_tokenizer())


def dictionary_tag(word: str) -> str | None:
    """The part of speech jieba's dictionary gives a word, None for a word it does not list
    (a person's name it tags by its model: 张伟); the dictionary lists 温泉 and 毛巾 as nr."""
    tag = _pos_tagger().word_tag_tab.get(word)
    return str(tag) if tag is not None else None


@lru_cache(maxsize=256)
def tagged_words(text: str) -> tuple[tuple[str, str], ...]:
    """jieba's words of the text as written, with their part of speech (nr: a person's name).
    Every extractor of a turn reads the same message: it is tagged once."""
    return tuple((pair.word, pair.flag) for pair in _pos_tagger().cut(text))


def words(text: str) -> list[str]:
    tokenizer = _tokenizer()
    return [w for w in tokenizer.lcut(normalize(text)) if w.strip() and w not in STOPWORDS]


def char_bigrams(text: str) -> list[str]:
    grams: list[str] = []
    for run in _CJK.findall(normalize(text)):
        grams.extend(run[i : i + 2] for i in range(len(run) - 1))
    return grams


def tokens(text: str) -> list[str]:
    """Words plus character bigrams: words carry meaning, bigrams survive typos and odd splits."""
    return words(text) + ["#" + gram for gram in char_bigrams(text)]
