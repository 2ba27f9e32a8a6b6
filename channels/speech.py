"""Rewrite a chat reply so that a Chinese TTS engine reads it well on a hotline call.

Replies are written for WeChat and the web page: they carry emoji, links, markdown, clock
times and phone numbers that read badly aloud. :func:`for_speech` turns such a reply into
plain spoken text for the 12301/12345 IVR:

* emoji, pictographs and decorative symbols (★ ● ▶ → ✅ …) are removed;
* links are removed, together with a lead-in such as 详见 / 请访问 / 链接： left dangling;
* markdown is stripped, every line (heading, bullet, quote) becomes a sentence;
* times, dates, percentages, prices and units are written the way they are said, and phone
  numbers (5 or more digits) are read digit by digit, 1 as 幺;
* a parenthesis becomes a pause: ``（…）`` → ``，…，``; one holding only English is dropped.

The function is idempotent: its output passes through it unchanged.
"""

import re
from collections.abc import Iterable

CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
HAN_RE = re.compile(f"[{CJK}]")
# Stands where a symbol separated two words (热线📞12301, 东门 → 步行) until the line is read:
# it becomes a pause (，) between words and disappears at either end of a clause.
BREAK = "\u2063"

FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
DIGIT_READINGS = str.maketrans("0123456789", "零幺二三四五六七八九")

# --- links and markup removed before a reply is split into lines -------------------------

BR_RE = re.compile(r"<br\s*/?>", re.IGNORECASE)
HTML_TAG_RE = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>")
MARKDOWN_LINK_RE = re.compile(r"!?\[([^\]\n]*)\]\([^)\n]*\)")

URL_CHARS = r"A-Za-z0-9\-_~/?#@$&+=%"  # what a link holds, less the marks that may end a sentence
URL_BODY = f"[{URL_CHARS}.,;:!]*[{URL_CHARS}]"
URL = f"(?:https?://|www\\.){URL_BODY}"
BARE_DOMAIN = (
    r"(?<![A-Za-z0-9@./-])[A-Za-z0-9][A-Za-z0-9-]*(?:\.[A-Za-z0-9-]+)*"
    rf"\.(?:cn|com|net|org|gov|edu)(?![A-Za-z0-9-])(?:/{URL_BODY})?"
)
# A lead-in that means nothing once its link is gone: 详见 / 请访问 / 点击链接 / 链接：/ 网址：
URL_LEAD = (
    r"(?:(?:详情)?(?:请|可)?(?:详见|参见|访问|登录|点击|查看|浏览)"
    r"(?:下方|以下)?(?:链接|网址|网站|网页)?"
    r"|(?:链接|网址)\s*[:：])"
)
URL_RE = re.compile(f"(?:{URL_LEAD}\\s*[:：]?\\s*)?<?(?:{URL}|{BARE_DOMAIN})>?")

KEYCAP_RE = re.compile("[0-9#*]\ufe0f?\u20e3")
EMOJI_RE = re.compile(
    "["
    "\U0001f000-\U0001fbff"  # mahjong, cards, enclosed supplements, pictographs, emoticons, flags
    "\u2190-\u21ff"  # arrows → ⇨
    "\u2300-\u23ff"  # miscellaneous technical ⌚ ⏰
    "\u2460-\u24ff"  # enclosed alphanumerics ① Ⓜ
    "\u2500-\u25ff"  # box drawing, block elements, geometric shapes ■ ● ◆ ▶
    "\u2600-\u27bf"  # miscellaneous symbols and dingbats ★ ☆ ☎ ✅ ❗
    "\u2900-\u297f"  # supplemental arrows ⤴
    "\u2b00-\u2bff"  # miscellaneous symbols and arrows ⭐ ⬆
    "\u00a9\u00ae\u2022\u203b\u203c\u2049\u2122\u2139\u3030\u303d\u3297\u3299"
    "\ufe00-\ufe0f\U000e0000-\U000e007f\U000e0100-\U000e01ef"  # variation selectors, tags
    "\u200b-\u200d\u2060\u2063\ufeff\u20e3"  # zero-width characters, ZWJ, combining keycap
    "]+"
)

# --- markdown on a single line -----------------------------------------------------------

LINE_EDGE_RE = re.compile(f"^[\\s{BREAK}，。、；：！？]+|[\\s{BREAK}]+$")
FENCE_RE = re.compile(r"^\s*(?:```|~~~)")
DECORATION_LINE_RE = re.compile(r"^[\s|:*_=~-]*$")  # --- *** ___ |---|:--:| …
LINE_MARKER_RE = re.compile(
    r"^(?:\s*(?:>|#{1,6}(?=\s)|[-*+](?=\s)|[•·]|\d{1,2}(?:[.．)）、])(?!\d)"
    r"|[（(]\d{1,2}[)）]|[一二三四五六七八九十]{1,3}、))+"
)
BOLD_UNDERSCORE_RE = re.compile(r"__(.+?)__")
INLINE_MARK_RE = re.compile(r"~~|[*`]")
TABLE_BAR_RE = re.compile(r"[|｜]")
ENGLISH_PAREN_RE = re.compile(r"\s*[(（]\s*[A-Za-z][A-Za-z\s.,'&/-]*[)）]")
SPACES_RE = re.compile(r"\s+")
SPACE_RE = re.compile(" ")
BREAK_RE = re.compile(BREAK)
BREAKS_RE = re.compile(f"[\\s{BREAK}]*{BREAK}[\\s{BREAK}]*")

# --- numbers -----------------------------------------------------------------------------

NUMBER = r"\d+(?:\.\d+)?"
RANGE_SEP = r"(?:[-–—－~～〜]|至|到)"
THOUSANDS_RE = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
CURRENCY_RE = re.compile(rf"[¥￥]\s*({NUMBER})(?:\s*{RANGE_SEP}\s*[¥￥]?\s*({NUMBER}))?(?:\s*元)?")
DATE_RE = re.compile(r"(?<!\d)(\d{4})([-/.])(\d{1,2})\2(\d{1,2})(?!\d)")
TIME = r"(?<!\d)([01]?\d|2[0-4])[:：]([0-5]\d)(?:[:：][0-5]\d)?(?![\d点])"
TIME_RANGE_RE = re.compile(rf"{TIME}\s*{RANGE_SEP}\s*{TIME}")
TIME_RE = re.compile(TIME)
PHONE_RE = re.compile(
    r"(?<![\d.])(?:"
    r"0\d{2,3}[- ]?\d{3,4}[- ]?\d{4}"  # landline with area code: 0871-1234567
    r"|1[3-9]\d[- ]?\d{4}[- ]?\d{4}"  # mobile: 138 0013 8000
    r"|[48]00[- ]?\d{3}[- ]?\d{4}"  # 400-800-1234
    r"|\d{5,}"  # hotlines and any other run: 12301, 12345
    r")(?!\d|\.\d)"
)
# A long number followed by one of these is a quantity (12000元, 20000人), not a phone number.
QUANTITY_UNIT_RE = re.compile(
    r"\s*(?:[元块角人次个位名张米天年万亿千百件辆座间平公克斤吨里多余条步%％℃°]|km|m(?![A-Za-z]))",
    re.IGNORECASE,
)
PERCENT = "百分之"
TILDE_RANGE_RE = re.compile(f"(?<=[0-9℃°{CJK}])\\s*[~～〜]\\s*(?=\\d|{PERCENT})")
HYPHEN_RANGE_RE = re.compile(f"(?<=[0-9℃°])\\s*[-–—－]\\s*(?=\\d|{PERCENT})")
PERCENT_RE = re.compile(rf"({NUMBER})\s*[%％]")
UNIT_REPLACEMENTS = (
    (re.compile(r"(?<=\d)\s*km/h(?![A-Za-z])", re.IGNORECASE), "公里每小时"),
    (re.compile(r"(?<=\d)\s*km(?![A-Za-z])", re.IGNORECASE), "公里"),
    (re.compile(r"(?<=\d)\s*(?:m²|㎡)"), "平方米"),
    (re.compile(r"(?<=\d)\s*m(?![A-Za-z²])"), "米"),
)
NON_DIGIT_RE = re.compile(r"\D")
STRAY_TILDE_RE = re.compile(r"[~～〜]+")
DASH_RE = re.compile(r"—+")

# --- punctuation -------------------------------------------------------------------------

PAREN_RE = re.compile(r"[（(]([^（）()]*)[）)]")
STRAY_PAREN_RE = re.compile(r"[（）()]")
EMPTY_PAIR_RE = re.compile(f"“[\\s{BREAK}]*”|「[\\s{BREAK}]*」|【[\\s{BREAK}]*】|《[\\s{BREAK}]*》")
ASCII_PUNCT_RE = re.compile(r"[,!?;:]+")
FULLWIDTH_PUNCT = str.maketrans(",!?;:", "，！？；：")
PERIOD_RE = re.compile(f"(?<=[{CJK}）」”’])\\.(?!\\d)")
# Strongest first: a run of marks collapses to its strongest one (，。 → 。).
PUNCT_STRENGTH = "？！。；：，、"
PUNCT_RUN_RE = re.compile(f"[{PUNCT_STRENGTH}]{{2,}}")
LEADING_PUNCT_RE = re.compile(f"^[{PUNCT_STRENGTH}\\s]+")
TRAILING_WEAK_PUNCT_RE = re.compile(r"[；：，、]+$")
# A line ending in one of these is not given a 。 when lines are joined.
SENTENCE_END = "。！？；，、：…!?;,:."
PAUSE_MARKS = SENTENCE_END + "“”「」"


def for_speech(text: str) -> str:
    """Return ``text`` rewritten to be read aloud by a Chinese TTS engine on a phone call."""
    text = _remove_links_and_symbols(text.translate(FULLWIDTH_DIGITS))
    return _finish(_join_sentences(_speak_line(line) for line in text.splitlines()))


def _remove_links_and_symbols(text: str) -> str:
    text = BR_RE.sub("\n", text)
    text = MARKDOWN_LINK_RE.sub(r"\1", text)
    text = URL_RE.sub(" ", text)
    text = HTML_TAG_RE.sub("", text)
    text = KEYCAP_RE.sub(BREAK, text)
    return EMOJI_RE.sub(BREAK, text)


def _speak_line(line: str) -> str:
    line = LINE_EDGE_RE.sub("", line)
    if FENCE_RE.match(line) or DECORATION_LINE_RE.match(line):
        return ""
    line = _soften_parentheses(_tidy_spaces(_strip_markdown(line)))
    line = _fullwidth_punctuation(_say_numbers(line))
    # Tidied again: a date or time may now stand next to Chinese text (2026年10月8日 17点).
    return _strip_line_start(_resolve_breaks(_tidy_spaces(line)))


def _strip_line_start(line: str) -> str:
    """Drop what a removed link or symbol left at the start of the line: pauses, markers."""
    while True:
        stripped = LINE_MARKER_RE.sub("", LINE_EDGE_RE.sub("", line))
        if stripped == line:
            return "" if DECORATION_LINE_RE.match(line) else line
        line = stripped


def _strip_markdown(line: str) -> str:
    line = LINE_MARKER_RE.sub("", line)  # first, for the * of a bullet
    line = BOLD_UNDERSCORE_RE.sub(r"\1", line)
    line = LINE_MARKER_RE.sub("", INLINE_MARK_RE.sub("", line))  # again, for **1.** 门票
    line = TABLE_BAR_RE.sub(BREAK, line)
    return ENGLISH_PAREN_RE.sub("", line)


def _tidy_spaces(line: str) -> str:
    """Collapse whitespace; a space between two Chinese words becomes a pause (，), one next to
    other Chinese text or punctuation is dropped, one between English words or digits stays."""
    line = BREAKS_RE.sub(BREAK, line)
    line = SPACES_RE.sub(" ", line).strip()
    return SPACE_RE.sub(_space_replacement, line)


def _space_replacement(match: re.Match[str]) -> str:
    before, after = match.string[match.start() - 1], match.string[match.end()]
    if HAN_RE.match(before) and HAN_RE.match(after):
        return "，"
    if before.isascii() and after.isascii():
        return " "
    return ""


def _say_numbers(line: str) -> str:
    line = THOUSANDS_RE.sub("", line).replace("°C", "℃")
    line = CURRENCY_RE.sub(_say_price, line)
    line = DATE_RE.sub(_say_date, line)
    line = TIME_RANGE_RE.sub(_say_time_range, line)
    line = TIME_RE.sub(_say_time, line)
    line = PERCENT_RE.sub(f"{PERCENT}\\1", line)
    line = PHONE_RE.sub(_say_phone, line)
    line = TILDE_RANGE_RE.sub("到", line)
    line = HYPHEN_RANGE_RE.sub("到", line)
    line = STRAY_TILDE_RE.sub("", line)
    for pattern, spoken in UNIT_REPLACEMENTS:
        line = pattern.sub(spoken, line)
    return DASH_RE.sub("，", line)


def _say_price(match: re.Match[str]) -> str:
    low, high = match.group(1), match.group(2)
    return f"{low}到{high}元" if high else f"{low}元"


def _say_date(match: re.Match[str]) -> str:
    year, _, month, day = match.groups()
    if not (1 <= int(month) <= 12 and 1 <= int(day) <= 31):
        return match.group(0)
    return f"{year}年{int(month)}月{int(day)}日"


def _clock(hour: str, minute: str) -> str:
    return f"{int(hour)}点" if minute == "00" else f"{int(hour)}点{minute}分"


def _say_time_range(match: re.Match[str]) -> str:
    start_hour, start_minute, end_hour, end_minute = match.groups()
    return f"{_clock(start_hour, start_minute)}到{_clock(end_hour, end_minute)}"


def _say_time(match: re.Match[str]) -> str:
    return _clock(match.group(1), match.group(2))


def _say_phone(match: re.Match[str]) -> str:
    text, start, end = match.string, match.start(), match.end()
    if QUANTITY_UNIT_RE.match(text, end) or text.endswith(PERCENT, 0, start):
        return match.group(0)
    digits = NON_DIGIT_RE.sub("", match.group(0))
    return digits.translate(DIGIT_READINGS)


def _resolve_breaks(line: str) -> str:
    return BREAK_RE.sub(_break_replacement, line)


def _break_replacement(match: re.Match[str]) -> str:
    text, start, end = match.string, match.start(), match.end()
    if start == 0 or end == len(text):
        return ""
    if text[start - 1] in PAUSE_MARKS + "（(" or text[end] in PAUSE_MARKS + "）)":
        return ""
    return "，"


def _fullwidth_punctuation(text: str) -> str:
    return ASCII_PUNCT_RE.sub(_fullwidth_mark, PERIOD_RE.sub("。", text))


def _fullwidth_mark(match: re.Match[str]) -> str:
    """``,!?;:`` next to Chinese text become ``，！？；：``; between English words they stay."""
    text, start, end = match.string, match.start(), match.end()
    before = text[start - 1] if start > 0 else ""
    after = text[end] if end < len(text) else ""
    if (before and not before.isascii()) or (after and not after.isascii()):
        return match.group(0).translate(FULLWIDTH_PUNCT)
    return match.group(0)


def _soften_parentheses(line: str) -> str:
    """``（…）`` → ``，…，``, innermost first, without a comma where a clause already breaks."""
    while True:
        softened = PAREN_RE.sub(_paren_replacement, line)
        if softened == line:
            break
        line = softened
    line = STRAY_PAREN_RE.sub("", line)
    return EMPTY_PAIR_RE.sub("", line)


def _paren_replacement(match: re.Match[str]) -> str:
    inner = match.group(1).strip(f" {BREAK}")
    if not inner:
        return ""
    text, start, end = match.string, match.start(), match.end()
    lead = "" if start == 0 or text[start - 1] in PAUSE_MARKS else "，"
    trail = "" if end == len(text) or text[end] in PAUSE_MARKS else "，"
    return f"{lead}{inner}{trail}"


def _join_sentences(lines: Iterable[str]) -> str:
    sentences: list[str] = []
    for line in lines:
        if not line:
            continue
        sentences.append(line if line[-1] in SENTENCE_END else f"{line}。")
    return "".join(sentences)


def _finish(text: str) -> str:
    text = _tidy_spaces(_fullwidth_punctuation(text))  # marks that met across a line break
    text = PUNCT_RUN_RE.sub(_strongest_mark, text)
    text = LEADING_PUNCT_RE.sub("", text)
    return TRAILING_WEAK_PUNCT_RE.sub("。", text).strip()


def _strongest_mark(match: re.Match[str]) -> str:
    return min(match.group(0), key=PUNCT_STRENGTH.index)
