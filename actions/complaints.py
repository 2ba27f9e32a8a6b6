import re
from functools import lru_cache
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import AllSlotsReset, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.deps import channel_of, services
from bot.complaints import categories, intake
from bot.complaints.names import PLACE_PART, known_names, official_place, official_target
from bot.complaints.service import ComplaintDraft, Lookup
from knowledge_base.pinyin import default_matcher
from knowledge_base.text import to_simplified

FORM = "complaint_form"
SHOWN_FIELDS = ("target", "place", "incident_time", "category", "phone")  # said again: a yes
FORM_SLOTS = (
    "description",
    "target",
    "category",
    "place",
    "incident_time",
    "phone",
    "confirmation",
)
MIN_DESCRIPTION_CHARS = 8
STORY_CHARS = intake.STORY_CHARS
MORE_STORY_CHARS = 20

MAX_NAME_CHARS = 30
AGENCY = re.compile("|".join(intake.AGENCIES))
GUIDE = re.compile("^(?:导游|领队)")
AGENCY_OR_PERSON = re.compile("|".join([*intake.AGENCIES, *intake.PEOPLE]))
TOOK_THEM = ("导游", "领队", "司机")  # who takes tourists to a shop
# What asks after a complaint made: 我之前要投诉的那个事情…, 投诉过…想查一下处理结果.
STATUS_ASKED = re.compile(
    r"进度|处理结果|处理到|处理得|有回复|单号|查一下|查询|投诉过|投诉的(?:那|这)"
)
# Kinds of business that are places themselves: 龙潭瀑布停车场 is at 龙潭瀑布, and so are
# 云溪机场出租车 at the airport; 青峰山索道公司 is a company.
PLACE_KINDS = ("景区", "停车场", "码头", "广场", "出租车", "网约车")
# Businesses others are in: 老街小吃城 holds 张记竹筒饭.
# A business others are inside: 云溪特产商城里面一家玉器店.
CONTAINS = re.compile(r"里面|里头|里|内")
# A question answered with "I don't know".
UNKNOWN = re.compile(r"不知道|不清楚|没注意|没看清|不记得|记不得|忘了|没看到")
UNNAMED = "未说明（见事情经过）"
# An answer that tells where: 在白鹭洲…, 就在万亩竹海出口.
WHERE = re.compile(r"\s*(?:就|是)?在")
# A message that opens with where in a place: 南门码头上的船, 就在北门停车场边上.
PART_ALONE = re.compile(rf"(?:^|[\s，,。；;]|就是|就在|是在|在)({PLACE_PART.pattern})")
# Where the group met or signed up: 在云溪北站集合, 在南门游客中心报的名.
MEETING = re.compile(r"(?:的)?(?:集合|上车|碰头|碰面|出发|接我们|报的?名|报团)")


# Cantonese particles every rule reads as Mandarin: 叫「山水茶坊」嘅茶馆 is 叫“山水茶坊”的茶馆,
# 唔系悦来客栈 is 不是悦来客栈.
PARTICLES = str.maketrans({"嘅": "的", "喺": "在"})
CANTONESE_NOT = re.compile("唔[系係]")
# The guide as speech recognition and hurried typing write them: 导有, 导由 (not 引导有序, nor
# 陈导有点凶: 陈导 is the guide).
MISHEARD_GUIDE = re.compile(f"(?<![引指领督教开辅主报倡疏向误{intake.SURNAMES}])导[有由友]")
# Who travelled or helped, whom the NLU may tag as a business (一位好心游客用手机帮我们买的票).
FELLOW_TOURISTS = re.compile(r"^(?:好心)?(?:游客|乘客|旅客|客人|老人|老伴|同事|朋友)$")
MISTYPED_COMPLAINT = re.compile("投述|头诉|投拆")  # 我要投述一个出租车司机


def _entities(tracker: Tracker, entity: str) -> list[str]:
    return [str(value) for value in tracker.get_latest_entity_values(entity)]


def _users(events: list[dict[str, Any]]) -> list[int]:
    """Where the tourist's messages are among the events, as the engine holds them: a message
    the two-stage fallback took back (``rewind``: 前天下午 answered 请问您是想投诉吗？, and
    is told again as clarified) is not among them."""
    kept: list[int] = []
    for i, event in enumerate(events):
        if event.get("event") == "user":
            kept.append(i)
        elif event.get("event") == "rewind" and kept:
            kept.pop()
    return kept


def _user_messages(tracker: Tracker) -> list[dict[str, Any]]:
    return [tracker.events[i] for i in _users(tracker.events)]


def told_before(before: str, opening: str) -> bool:
    """Whether a complaint opening on ``opening`` takes in the message ``before`` it: a story of
    something that went wrong (the tourist told it, got an answer, then said 投诉观音洞景区),
    or of any incident when the opening is a detail sent on its own: a number to be called back
    on, or when it happened (asked 请问您是想投诉吗？, the tourist answered 前天下午)."""
    if not intake.tells_an_incident(before):
        return False
    return intake.only_a_detail(opening) or intake.classify_category(before) not in (None, "其他")


def story_before_detail(tracker: Tracker) -> dict[str, Any] | None:
    """The message before the latest when the latest is a detail sent on its own (a number, a
    time) and that one told an incident (车停在鑫达停车场…被划了一长道…一句解释都没有, then
    11098765432): the tourist goes on with the complaint, and the form opens on both."""
    if not intake.only_a_detail(str(tracker.latest_message.get("text") or "")):
        return None
    return story_before_opening(tracker)


def story_before_opening(tracker: Tracker) -> dict[str, Any] | None:
    """The message before the latest, when the latest opens the complaint form and that one
    is part of the complaint (see told_before): the form reads both as its first message."""
    if tracker.get_slot("requested_slot"):  # the form has asked: it is no opening
        return None
    messages = _user_messages(tracker)
    if len(messages) < 2:
        return None
    before, opening = (to_simplified(str(m.get("text") or "")) for m in messages[-2:])
    return messages[-2] if told_before(before, opening) else None


def _text_of(message: dict[str, Any], *, as_written: bool) -> str:
    original = (message.get("metadata") or {}).get("original_text") if as_written else None
    return str(original or message.get("text") or "")


def _message(tracker: Tracker, *, as_written: bool = False) -> str:
    """The latest message's text (``as_written``: before the engine's simplified-character
    copy); at the form's opening, with the story told before it (see story_before_opening)."""
    text = _text_of(tracker.latest_message, as_written=as_written)
    before = story_before_opening(tracker)
    return text if before is None else f"{_text_of(before, as_written=as_written)}\n{text}"


def _said(tracker: Tracker) -> str:
    """The latest message in simplified characters, with names misheard or mistyped as they
    sound written as the name (龙谭瀑布 → 龙潭瀑布, as the knowledge base reads queries; 导有 →
    导游; 投述 → 投诉)."""
    return _read(_message(tracker))


@lru_cache(maxsize=256)
def _read(text: str) -> str:
    """Every extractor of a turn reads the same message: its pinyin is worked out once."""
    mandarin = CANTONESE_NOT.sub("不是", to_simplified(text).translate(PARTICLES))
    mandarin = MISTYPED_COMPLAINT.sub("投诉", MISHEARD_GUIDE.sub("导游", mandarin))
    return default_matcher().canonicalize(mandarin)


def _names(tracker: Tracker, kind: str) -> list[str]:
    """The entities of ``kind`` the NLU tagged, in simplified characters and widened to the
    longest known name the message holds (大酒店 in 雲溪大酒店 is 云溪大酒店); when it tagged
    none (e.g. traditional characters), the known names the message contains."""
    text = _said(tracker)
    # Not a stop named after it (天池旁边观光车站那间: the NLU maps 观光车 to 天池观光车).
    message = str(tracker.latest_message.get("text") or "")
    tagged = [
        to_simplified(str(entity.get("value")))
        for entity in tracker.latest_message.get("entities") or []
        if entity.get("entity") == kind
        and entity.get("role") is None  # as get_latest_entity_values reads them
        and entity.get("group") is None
        and not message.startswith("站", int(entity.get("end") or 0))
        and not FELLOW_TOURISTS.search(str(entity.get("value")))
    ]
    if tagged:
        every = sorted({*known_names("business"), *known_names("place")}, key=len, reverse=True)
        wider = [name for name in every if name in text]
        return [next((name for name in wider if t in name), t) for t in tagged]
    return [name for name in known_names(kind) if name in text and len(name) > 2][:1]


def _business(target: str | None) -> str:
    """The business of a target, without the role: 金桥旅行社（导游） → 金桥旅行社."""
    return (target or "").split("（")[0]


def _role_held(target: str | None) -> str | None:
    """The role of the person a target holds: 顺风包车行（刘师傅） → 司机, 金桥旅行社（导游） →
    导游."""
    person = (target or "").partition("（")[2].rstrip("）")
    return person if person in intake.PEOPLE else intake.role_of(person)


def _taken_back(name: str, said: str) -> bool:
    """Named only in what a correction takes back (不是悦来客栈)."""
    return name in said and name not in intake.without_negated(said)


def _corrects_another_field(said: str, field: str) -> bool:
    """A correction that names a field other than ``field`` (手机号说错了 while reading a place).
    Worth asking only once the form holds values: a first story's 不是 is no correction."""
    places = known_names("place")
    return intake.correcting(said) and intake.corrected_field(said, places) not in (None, field)


def _told_to_form(tracker: Tracker) -> list[str]:
    """The tourist's messages to the complaint form, as read (see _said), the latest last:
    from the one that opened it, with the story told before a number that opened it."""
    told = [_said(tracker)]
    if tracker.active_loop.get("name") != FORM:
        return told  # this message opens it
    events = tracker.events
    users = _users(events)
    opened = max(
        (
            i
            for i, e in enumerate(events)
            if e.get("event") == "active_loop" and e.get("name") == FORM
        ),
        default=0,
    )
    opening = max((i for i in users if i < opened), default=users[-1] if users else 0)
    if not users or opening == users[-1]:
        return told  # the form opened on this message
    earlier = [i for i in users[:-1] if i >= opening]
    at = users.index(opening)
    if at > 0:  # the message before the opening, and the opening itself
        before, opened_on = (str(events[i].get("text") or "") for i in users[at - 1 : at + 1])
        if told_before(to_simplified(before), to_simplified(opened_on)):
            earlier.insert(0, users[at - 1])
    return [_read(str(events[i].get("text") or "")) for i in earlier] + told


def _verbatim(tracker: Tracker) -> str:
    """The tourist's own words: the engine reads a simplified-character copy, the work order
    keeps what was written (``original_text`` in the message metadata)."""
    return _message(tracker, as_written=True).strip()


def _intent(tracker: Tracker) -> str | None:
    return (tracker.latest_message.get("intent") or {}).get("name")


def _place_in_story(tracker: Tracker) -> str | None:
    """The place the slot holds, or the first known place the story names."""
    story = to_simplified(tracker.get_slot("description") or "")
    known = [place for place in known_names("place") if place in story]
    return tracker.get_slot("place") or min(known, key=story.find, default=None)


def _with_part(place: str, said: str) -> str:
    """The place with the gate or pier said right after it, where it is: 云溪古镇 + 东门
    (投訴青峰山天池觀光車…在青峰山天池站上車: 青峰山天池站)."""
    for at in re.finditer(re.escape(place), said):
        part = PLACE_PART.match(said, at.end())
        if part:
            return place + part.group(0)
    return place


def _within(place: str, said: str) -> str:
    """The place with the place it is in said right before it: 青峰山南门游客中心."""
    outer = next((o for o in known_names("place") if o + place in said and o not in place), "")
    return outer + place


def _part_of_place(said: str, held: str | None) -> str | None:
    """Where in a place it happened, said apart from the place's name: of the place named
    before it (翠湖游船公司 南门码头收押金的大姐: 翠湖南门码头), else of the place held (南门码头上
    的船, told after 翠湖公园). Not a place of its own (在南门游客中心寄存)."""
    part = PART_ALONE.search(said)
    if not part or len(part.group(1)) < 2:  # 站台上等到八点多: no stop of a place
        return None
    if any(said.startswith(p, part.start(1)) for p in known_names("place")):
        return None
    before = said[: part.start(1)]
    named = [p for p in known_names("place") if p in before]
    if named:
        return max(named, key=lambda p: (before.rfind(p) + len(p), len(p))) + part.group(1)
    return held + part.group(1) if held in known_names("place") else None


def _told_already(tracker: Tracker, slot: str) -> bool:
    """The question about ``slot`` answered with 对/确认/提交吧 (the tourist thinks the story
    said it) or with 不知道: the form files what it has, and the read-back shows it for
    correction."""
    said = _said(tracker)
    return tracker.get_slot("requested_slot") == slot and (
        _intent(tracker) == "affirm" or bool(UNKNOWN.search(said)) or intake.confirms(said)
    )


def _answers_to(tracker: Tracker, slot: str) -> int:
    """How many messages, this one included, have come since the question about ``slot`` was
    first asked and while it still was (0 when it is not the question)."""
    if tracker.get_slot("requested_slot") != slot:
        return 0
    messages = answers = 0
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            messages += 1
        elif event.get("event") == "slot" and event.get("name") == "requested_slot":
            if event.get("value") != slot:
                break
            answers = messages
    return answers


def _answer(tracker: Tracker, slot: str) -> str | None:
    """The message that gave ``slot`` the value it holds while its question was the one asked
    (None when the value came otherwise)."""
    asked = message = answer = None
    for event in tracker.events:
        if event.get("event") == "user":
            message = event.get("text") or ""
        elif event.get("event") == "slot" and event.get("name") == "requested_slot":
            asked = event.get("value")
        elif event.get("event") == "slot" and event.get("name") == slot:
            answer = message if asked == slot else None
    return answer


def _standing_answer(tracker: Tracker, slot: str, said: str, value: str) -> str | None:
    """The answer to the question about ``slot`` when it gave ``value`` outright: it stands
    against what the story says later (the bar's neighbour the tourist stayed at, the hour the
    music stopped), and only a correction of it changes it. Outright is a short answer or a
    story that names it (是那个“望山居民宿”，…); what a story told instead of an answer was read
    for is a guess. The callers also pass over an answer that names nothing (a role alone,
    导游, is made specific by a name told later; a story told for the time)."""
    current = tracker.get_slot(slot)
    if not current or current == UNNAMED or tracker.get_slot("requested_slot") == slot:
        return None
    answer = None if intake.correcting(said) else _answer(tracker, slot)
    if answer is None:
        return None
    outright = len(answer) <= STORY_CHARS or value in intake.outright_names(_read(answer))
    return answer if outright else None


def _refines(current: str | None, target: str | None) -> bool:
    """The same business with its person told more exactly: 天池观光车（司机） →
    天池观光车（0357号司机）, 华夏旅行社（导游） → 华夏旅行社（导游小王）, 天池观光车 →
    天池观光车（售票处）; or its desk: 云溪博物馆（工作人员） → 云溪博物馆服务台."""
    role = (current or "").partition("（")[2].rstrip("）")
    business = _business(target)
    if current and business.endswith(intake.COUNTERS) and business != _business(current):
        return business.startswith(_business(current))
    if current and not role and target and "（" in target:
        return business == current  # 天池观光车 → 天池观光车（售票处）
    return (
        current is not None
        and target is not None
        and target != current
        and bool(role)
        and _business(target) == _business(current)
        and role in target.partition("（")[2]
    )


def _names_the_person(current: str, person: str) -> bool:
    """A person named on their own later (司机姓黄 我们叫他黄师傅; 带队的是郑导; 拍板的是前台
    经理 姓汪) who is the one the target holds by their role only (乐途旅行社（司机）), or one of
    the business it holds, a guide of an agency: 乐途旅行社（黄师傅）, 云游国际旅行社（郑导）,
    云溪大酒店（汪经理）."""
    role = intake.role_of(person)
    business, _, held = current.rstrip("）").partition("（")
    if role is None or _business(person) != person or intake.is_person(business):
        return False  # 黄师傅, 老马（司机） are a person already
    if not held:  # a guide works for an agency, not for the shop they took the tourists to
        return role not in intake.EMPLOYERS or bool(AGENCY.search(business))
    return held == role


def _holds_businesses(target: str | None) -> bool:
    """A place or a market, which stalls and shops are in: 老街小吃城, 云溪古镇."""
    return target is not None and (
        target in known_names("place") or target.endswith(intake.MARKETS)
    )


def _business_at_place(target: str | None) -> bool:
    """A business of its own, not a place, a kind, an agency or a person: one a place can
    hold."""
    return (
        target is not None
        and not intake.is_vague(target)
        and _business(target) not in known_names("place")
        and not AGENCY_OR_PERSON.search(target)
    )


def _without_companies(text: str, names: list[str], places: list[str]) -> str:
    """The text with the companies' names blanked out, so that the places in them are not
    read: 汽车客运 in 汽车客运总站, or a name that ends in a kind of place, is no company."""
    for name in names:
        if not name.endswith(PLACE_KINDS) and not any(name in place for place in places):
            text = text.replace(name, "、")
    return text


def _located(place: str, said: str, target: str | None) -> bool:
    """Said as where the target is: 入住云溪古镇的悦来客栈, when the complaint is of 悦来客栈."""
    business = _business(target)
    if not business or business in place:
        return False
    return bool(
        re.search(
            f"{re.escape(place)}(?:{intake.SIDE}|里|上)?{intake.THAT}?{re.escape(business)}", said
        )
    )


def _named_in(target: str | None, answer: str) -> bool:
    """Whether the answer names the target, not a role alone (导游) nor a name the story only
    implied (缆车 → 青峰山索道公司) or a stretch of it taken for the answer (馆子太脏了)."""
    business, said = _business(target), _read(answer)
    if intake.is_vague(business) or business not in said:
        return False
    return business in known_names("business") or business in intake.named_businesses(said)


def _free_text(tracker: Tracker, slot: str, *, entities_allowed: bool = False) -> str | None:
    """The message as the answer to the question we asked, unless it was about something else
    (it names an entity meant for another slot, or it is a yes/no)."""
    if tracker.get_slot("requested_slot") != slot:
        return None
    message = tracker.latest_message
    if _intent(tracker) in ("affirm", "deny") or UNKNOWN.search(_said(tracker)):
        return None
    if message.get("entities") and not entities_allowed:
        return None
    return (message.get("text") or "").strip() or None


class ValidateComplaintForm(FormValidationAction):
    def name(self) -> str:
        return "validate_complaint_form"

    def extract_description(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> dict[str, Any]:
        text = _verbatim(tracker)
        first_message = tracker.get_slot("requested_slot") is None
        if (
            first_message
            and len(text) >= MIN_DESCRIPTION_CHARS
            and not tracker.get_slot("description")
        ):
            return {"description": text}
        # What happened may well name the business or the place: that is still the answer.
        answer = _free_text(tracker, "description", entities_allowed=True)
        if answer:
            return {"description": text}
        told = tracker.get_slot("description")
        asked = tracker.get_slot("requested_slot")
        if (
            told
            and asked not in (None, "confirmation")
            and len(text) >= MORE_STORY_CHARS
            and _intent(tracker) not in ("affirm", "deny")
            and not intake.correcting(text)
        ):
            # More of the story, told instead of an answer: the case officer reads it all, and
            # the question is asked again rather than the message refused.
            return {"description": f"{told}\n{text}"}
        return {}

    def extract_target(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> dict[str, Any]:
        said = _said(tracker)
        current = tracker.get_slot("target")
        fixed = intake.corrected_part(said, current) if current else None
        if fixed:
            # Whatever field the tourist says they correct, the part taken back is the
            # target's too: 地点说错了，是北门那个停车场，不是东门 (云溪古镇东门停车场).
            return {"target": official_target(fixed)}
        if current and _corrects_another_field(said, "target"):
            return {}  # 地点说错了，是云溪特产商城里面那家 names a place, not the target
        text = intake.without_negated(said)  # 是竹林雅居民宿，不是悦来客栈
        businesses = [name for name in _names(tracker, "business") if not _taken_back(name, said)]
        places = [place for place in known_names("place") if place in text]
        target = intake.find_target(text, businesses, places)
        if target and PLACE_PART.fullmatch(target):  # 北门停车场边上那个 (厕所), of 白鹭洲
            place = _place_in_story(tracker)
            target = f"{place}{target}" if place in known_names("place") else target
        # The agency of a guide filed with the lodging they took the tourists to, named later,
        # takes the guide with it: 鑫悦快捷宾馆（导游小聂）, then 华夏旅行社，网上报的团.
        person = (current or "").partition("（")[2]  # 导游小聂）
        if GUIDE.match(person) and target and AGENCY.search(target) and "（" not in target:
            if not AGENCY.search(_business(current)):
                return {"target": official_target(f"{target}（{person}")}
        if current and target and _names_the_person(current, target):
            return {"target": official_target(f"{_business(current)}（{target}）")}
        answer = _standing_answer(tracker, "target", said, _business(current))
        # A name the tourist gave when asked who stands, but not one the answer's story only
        # implied (缆车 → 青峰山索道公司); a name told outright later (摊位叫「阿强烧烤」) or the
        # same said again in full (玻璃栈道 → 叫云端玻璃栈道) still replaces it.
        named = answer is not None and _named_in(current, answer)
        said_in_full = _business(current) in _business(target) and target != current
        # 老街小吃城 given as who is where; a business named later (张记竹筒饭的摊位) is who.
        within = _holds_businesses(current) and _business_at_place(target)
        if named and not said_in_full and not within and not intake.names_outright(text):
            return {}
        # 在古镇里头，云溪老街靠北那一头 tells where, asked or not.
        answering_place = tracker.get_slot("requested_slot") == "place" or bool(WHERE.match(said))
        correcting = intake.correcting(said)
        if correcting and current and target and _business(target) == _business(current):
            # A correction changes the name: the one it says again is what it takes back
            # (“银满楼”是隔壁那家，我们被拉进去的是“福银阁”).
            without = text.replace(_business(current), "")
            other = intake.find_target(without, [b for b in businesses if b in without], places)
            target = other if other and not intake.is_vague(other) else target
        # 悠然居 said again of 悠然居民宿 (or 青峰山索道 of 青峰山索道公司) is the same name.
        shorter = _business(current).startswith(_business(target))
        renamed = (businesses or intake.named_business(text)) and correcting and not shorter
        # A name given outright renames the target, but not the agency, the guide or the driver
        # who took the tourists to it (拉到一个叫“便捷宾馆”的小旅馆; 顺风包车行（刘师傅）, then
        # 店叫福禄玉石馆).
        took = AGENCY_OR_PERSON.search(_business(current)) or _role_held(current) in TOOK_THEM
        kept = took and not AGENCY_OR_PERSON.search(_business(target))
        renamed = renamed or (intake.names_outright(text) and not kept)
        # 投诉的就是那个望月山居, said again later: whom the tourist complains of, outright.
        candidates = [*businesses, *intake.named_businesses(text)]
        renamed = renamed or intake.complained_of(text, candidates, places) is not None
        # Filed for want of a name (the place, or nothing) when who was not told.
        unnamed = (
            current == UNNAMED
            or within
            or (current == tracker.get_slot("place") and current in known_names("place"))
        )
        if current and (intake.is_vague(current) or unnamed):
            # A role-only target is made specific by a name, but a 导游's by their agency's,
            # not by the shop they took the tourists to; so is one filed for want of a name
            # (介事儿归景区管理处管吧，我就投诉他们).
            better = target is not None and not intake.is_vague(target)
            better = better and intake.same_trade(current, target or "")
            better = better and not (unnamed and answering_place)
        else:
            # A named business said later replaces the target, but a shop the guide took them
            # to does not replace the guide's agency.
            better = bool(businesses) and not answering_place and not intake.is_vague(target)
            agency_kept = AGENCY.search(_business(current)) and not AGENCY.search(target or "")
            better = better and not agency_kept and not shorter
            better = better or _refines(current, target)
        # Where they stayed or were headed (说去悦来客栈) does not replace whom they complain of.
        better = better and not intake.is_setting(text, _business(target))
        # 小刘是司机 导游是个姓陈的男的 大家都叫他陈导: the guide put right, their agency kept.
        agency, _, person = (current or "").partition("（")
        guide = target is not None and intake.is_guide(target)
        if correcting and guide and AGENCY.search(agency) and GUIDE.match(person):
            return {"target": official_target(f"{agency}（{target}）")}
        if target and (not current or renamed or better):
            return {"target": official_target(target)}
        # A place named as the answer is the target (a museum's cloakroom); a phone or a time
        # is the answer to another question.
        answer = _free_text(tracker, "target", entities_allowed=True)
        if (
            answer
            and len(answer) <= MAX_NAME_CHARS  # a story is not a name
            and not intake.looks_like_phone(answer)  # 手机 138 2604 71953 answers no who
            and not intake.find_time(answer)
            and not answer.startswith("在")  # 在白鹭洲，坐那个摆渡船… answers where
            and not _corrects_another_field(answer, "target")  # 地点我说错了…
        ):
            return {"target": official_target(answer)}
        # Asked twice and told no name (the story of a toilet, then the time): the place the
        # story names is whom it concerns, and the read-back shows it for correction.
        if _told_already(tracker, "target") or _answers_to(tracker, "target") >= 2:
            return {"target": official_target(_place_in_story(tracker) or UNNAMED)}  # 观音洞
        return {}

    def extract_category(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> dict[str, Any]:
        """The category the tourist last corrected it to (类别不对，是退费纠纷), else the one
        the classifier reads in all they told the form. Before anything is told (我想投诉) it
        is 其他: the tourist is not asked to classify, and the read-back shows it."""
        told = _told_to_form(tracker)
        for said in reversed(told):
            if intake.correcting(said) and not _corrects_another_field(said, "category"):
                if category := intake.classify_category(said):
                    return {"category": category}
        story = "\n".join(told)
        if len(story) < STORY_CHARS and intake.classify_category(story) is None:
            return {"category": "其他"}
        return {"category": categories.classify(story)}

    def extract_place(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> dict[str, Any]:
        said = _said(tracker)
        current = tracker.get_slot("place")
        if current and _corrects_another_field(said, "place"):
            return {}  # 手机号说错了，是… names no place
        fixed = intake.corrected_part(said, current) if current else None
        if fixed:  # 是北门那个停车场，不是东门: 云溪古镇北门
            return {"place": official_place(fixed)}
        part_of = _part_of_place(said, current)
        if part_of:
            return {"place": official_place(part_of)}
        standing = _standing_answer(tracker, "place", said, current)
        if standing is not None and current in known_names("place"):
            return {}
        known = [p for p in known_names("place") if p in said]
        named = [
            n
            for n in intake.named_businesses(intake.without_negated(said))
            if not intake.straddles(n, known)
        ]
        # 青峰山 said only in 青峰山索道公司 is the company's name; in 青峰山景区 it is the place.
        # So is 天池 in 天池观光车, a business we know, unless no other place is told.
        outside = _without_companies(said, named, known)
        companies = [b for b in known_names("business") if b in outside]
        beyond = _without_companies(outside, companies, known)
        candidates = [
            p
            for p in dict.fromkeys([*_names(tracker, "place"), *known])
            if not _taken_back(p, said) and not any(p in k and p != k for k in known)  # 翠湖公园
        ]
        tagged = [p for p in candidates if p in beyond] or [
            p for p in candidates if p in outside and not current
        ]
        if current and not intake.correcting(said):
            # A word the NLU guessed is a place, said again of the one we have: 瀑布 of 龙潭瀑布.
            tagged = [p for p in tagged if p not in current or p in known_names("place")]
        told = intake.without_negated(said)
        if intake.correcting(said):  # 不是北站，是云溪机场: a synonym of what is taken back
            tagged = [p for p in tagged if p in told] or tagged
            if tracker.get_slot("place"):  # 不是白鹭洲，是在翠湖那边，白鹭洲是上午去的
                in_told = [p for p in tagged if p in told]
                # A correction changes the place: the one it names again is the one it takes
                # back (温泉是我们白天去泡的地方，那间客栈是在云溪古镇里面).
                in_told = [p for p in in_told if official_place(p) != current] or in_told
                tagged = [min(in_told, key=told.find)] if in_told else tagged[:1]
        tagged = [p for p in tagged if not intake.planned(p, said)] or tagged
        # A place we know beats a word the NLU guessed is one (竹筏); where the group met
        # (在云溪北站集合) is not where it happened while another place is said.
        tagged = [p for p in tagged if p in known_names("place")] or tagged
        # Where they stayed or were headed is the setting (住的是古镇的听雨轩民宿, 买去青峰山的
        # 车票), unless it is the only place, or where the lodging complained of is (入住云溪
        # 古镇的悦来客栈: the target, read from this message before the place, is in the slot).
        target = tracker.get_slot("target")
        tagged = [
            p for p in tagged if not intake.is_setting(said, p) or _located(p, said, target)
        ] or tagged
        # Nor is where they came from (从古镇玩回来取), nor a place the story clears.
        tagged = [
            p for p in tagged if not intake.came_from(said, p) and not intake.is_cleared(said, p)
        ] or tagged
        met = [p for p in tagged if MEETING.match(said, said.find(p) + len(p))]
        # A shop, hotel or boat company is where it happened; a travel agency or a person is
        # not. Of several, the one said after 在 (在老街小吃城一家叫聚福源的店).
        businesses = [
            business
            for business in [*_names(tracker, "business"), *named]
            if not AGENCY_OR_PERSON.search(business)
            and not intake.is_person(business)  # 叫他赵师傅, 叫张伟: whom, not where
            and not intake.is_full_name(business)
            and not intake.PLATE.match(business)
            and not any(business in p and business != p for p in known)  # 汽车客运 of 汽车客运总站
        ]  # nor is a vehicle (云A3T827出租车)
        at = [b for b in businesses if said.find(b) > 0 and said[said.find(b) - 1] == "在"]
        around = [b for b in businesses if CONTAINS.match(said, said.find(b) + len(b))]
        correcting = intake.correcting(said)
        if tracker.get_slot("place") and correcting:
            businesses = around = at = []  # 那家店叫福满园，不是福满楼 renames the target only
        places = [p for p in tagged if p not in met] or around or at or businesses or met
        if places and (not tracker.get_slot("place") or tagged or correcting):
            # Of several places, the one told nearest to what went wrong.
            cue = intake.cue_position(said)
            nearest = (
                min(places, key=lambda p: abs(said.find(p) - cue)) if cue is not None else places[0]
            )
            within = _within(to_simplified(nearest), said)
            return {"place": official_place(_with_part(within, said))}
        answer = _free_text(tracker, "place")
        if (
            answer
            and len(answer) <= MAX_NAME_CHARS  # a story is not a place
            and not intake.looks_like_phone(answer)  # a phone typed too early
            and not AGENCY_OR_PERSON.search(answer)  # 导游是兴旺旅行社的 answers who
        ):
            return {"place": official_place(to_simplified(answer))}
        if _told_already(tracker, "place"):
            return {"place": official_place(_place_in_story(tracker) or UNNAMED)}
        return {}

    def extract_incident_time(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> dict[str, Any]:
        text = told = _message(tracker)
        said = _said(tracker)
        current = tracker.get_slot("incident_time")
        if current and _corrects_another_field(said, "incident_time"):
            return {}  # 名字我记错了，… names no time
        if current and intake.correcting(said):
            # A time told of what a correction takes back is not when it happened: 不是华夏旅行社，
            # 华夏是俺二叔去年报的那家; 不是刘记，刘记是昨天去的那家.
            taken_back = {
                t[:2]
                for t in intake.taken_back(said)
                if len(t) >= 2 and not intake.find_time(t)  # 不是上周三，是上周四下午
            }
            clauses = intake.SENTENCE_PARTS.split(text)
            text = "，".join(
                c
                for c in clauses
                if intake.NEGATED.search(c) or not any(t in to_simplified(c) for t in taken_back)
            )
        # The longest reading wins: the NLU may tag 周六 where the text says 上周六下午.
        # What the NLU calls a time names a day or an hour; a run of digits, said or typed, is
        # a phone number's fragment (0871-6612345, 六六七八).
        # A unit alone is a fragment (号 of 门号), not a time.
        tagged = [
            t
            for t in _entities(tracker, "time")
            if len(t) > 1
            and intake.TIME_UNIT.search(t)
            and not intake.NUMBERED.search(t)
            and not intake.SPELLED_OUT.search(t)  # 三点水 (那个汪)
            and (t in text or t not in told)
        ]
        found = [t for t in [*tagged, intake.find_time(text)] if t]
        # When they booked is no time of the incident, unless it is the only one told.
        found = intake.not_booked(text, found) or ([] if current else found)
        refined = bool(found) and (current or "") in max(found, key=len)  # 昨天 → 昨天下午三点
        given = _standing_answer(tracker, "incident_time", said, current)
        stands = given is not None and bool(intake.find_time(current or ""))
        if found and not (stands and not refined):
            return {"incident_time": max(found, key=len)}
        answer = _free_text(tracker, "incident_time")
        if answer and not intake.looks_like_phone(answer):  # 139731208 answers no when
            return {"incident_time": answer}
        return {"incident_time": UNNAMED} if _told_already(tracker, "incident_time") else {}

    def extract_phone(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> dict[str, Any]:
        text = _message(tracker)
        # The NLU may tag a fragment of a number typed with spaces; the whole text may not.
        # What a correction takes back is no part of it: 前面是一 不是二 一五九一六八三四零二七.
        readings = [*_entities(tracker, "phone"), intake.find_phone(intake.without_negated(text))]
        readings.append(intake.find_phone(text))
        phone = next((p for p in readings if p and intake.PHONE.fullmatch(p)), None)
        if phone:
            return {"phone": phone}
        if intake.looks_like_phone(text):
            dispatcher.utter_message(
                text="这个手机号好像不对，请输入11位中国大陆手机号，例如13812345678。"
            )
            asked = tracker.get_slot("requested_slot") == "phone"
            return {"phone": tracker.get_slot("phone") if not asked else None}
        return {}

    def extract_confirmation(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> dict[str, Any]:
        """确认 at the read-back files the work order with whatever the same message restated
        (对，投诉司机老马，其他不变，确认): the fields it sets are extracted first; so does a
        message that only agrees (对，没有问题，麻烦你们了), or says again what the read-back
        shows (是的，就是华信旅行社)."""
        said = _said(tracker)
        asked = tracker.get_slot("requested_slot")
        shown = [_shown(tracker, slot) for slot in SHOWN_FIELDS]
        if asked == "confirmation" and (intake.confirms(said) or intake.agrees(said, shown)):
            return {"confirmation": True}
        # 是的，提交吧 said to a question (who?) by a tourist who has told all they will: the
        # question's field is filed as the story gives it, and the order with the read-back.
        told = all(tracker.get_slot(slot) for slot in FORM_SLOTS[:-1])
        if asked not in (None, "confirmation") and intake.confirms(said) and told:
            return {"confirmation": True}
        return {}

    def validate_confirmation(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> dict[str, Any]:
        return {"confirmation": True if value is True else None}


class ActionAskConfirmation(Action):
    def name(self) -> str:
        return "action_ask_confirmation"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        if _intent(tracker) == "deny" and not _changed_by_latest_message(tracker):
            dispatcher.utter_message(
                text="好的，请直接告诉我要修改的内容，例如“手机号是13812345678”或“地点是翠湖公园”。"
            )
            return []
        if _answers_to(tracker, "confirmation") and not _changed_by_latest_message(tracker):
            # An answer to the read-back that neither confirms nor changes anything: say how to.
            dispatcher.utter_message(
                text="抱歉，我没能确定您的意思。信息无误请回复“确认”；需要修改请直接说要改的内容，"
                "例如“时间是昨天下午”。"
            )
        slots = _as_filed({name: tracker.get_slot(name) for name in FORM_SLOTS}, tracker)
        dispatcher.utter_message(
            text=intake.summary(slots),
            buttons=[
                {"title": "确认提交", "payload": "确认"},
                {"title": "需要修改", "payload": "不对"},
            ],
        )
        return []


def _as_filed(slots: dict[str, Any], tracker: Tracker) -> dict[str, Any]:
    """The fields as the work order files them: the place with the shop, restaurant or lodging
    where it happened, which the case officer visits (云溪古镇（聚宝斋银饰店）; see
    intake.premise_in), unless the tourist put the place right at the read-back; the read-back
    shows the same."""
    if _place_put_right(tracker):
        return slots
    place, story = str(slots.get("place") or ""), _read(str(slots.get("description") or ""))
    businesses = [name for name in known_names("business") if name in story]
    places = [name for name in known_names("place") if name in story]
    premise = intake.premise_in(story, slots.get("target"), businesses, places)
    if not premise or premise in place or "（" in place:
        return slots
    filed = premise if place in ("", UNNAMED) or place in premise else f"{place}（{premise}）"
    return {**slots, "place": filed}


def _shown(tracker: Tracker, slot: str) -> str:
    """The value of ``slot`` before the latest message set any (what the read-back showed)."""
    values = [
        e.get("value") for e in tracker.events if e.get("event") == "slot" and e.get("name") == slot
    ]
    return str(values[-1] if values else tracker.get_slot(slot) or "")


def _place_put_right(tracker: Tracker) -> bool:
    """Whether this run of the form set the place after its read-back was shown."""
    shown = False
    for event in tracker.events:
        if event.get("event") == "active_loop" and event.get("name") == FORM:
            shown = False  # a new run of the form
        elif event.get("event") == "slot" and event.get("name") == "requested_slot":
            shown = shown or event.get("value") == "confirmation"
        elif shown and event.get("event") == "slot" and event.get("name") == "place":
            return True
    return False


def _changed_by_latest_message(tracker: Tracker) -> bool:
    """Whether the latest message set a field of the form (不对 是15657839402 did; 不对 did not)."""
    events = tracker.events
    last_user = max((i for i, e in enumerate(events) if e.get("event") == "user"), default=-1)
    return any(
        e.get("event") == "slot" and e.get("name") in FORM_SLOTS[:-1]
        for e in events[last_user + 1 :]
    )


class ActionSubmitComplaint(Action):
    def name(self) -> str:
        return "action_submit_complaint"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        slots = _as_filed({name: tracker.get_slot(name) or "" for name in FORM_SLOTS[:-1]}, tracker)
        draft = ComplaintDraft(
            channel=channel_of(tracker.latest_message), sender=tracker.sender_id, **slots
        )
        complaint = services().complaints.submit(draft, idempotency_key=_form_run_key(tracker))
        # Confirmed before the read-back (提交吧 said to a question): what was filed is shown.
        filed = "" if _read_back_shown(tracker) else f"已按以下信息登记：\n{intake.fields(slots)}\n"
        dispatcher.utter_message(
            text=f"{filed}您的投诉已受理，投诉单号：{complaint.number}。工作人员将在5个工作日内联系您，"
            "您可以随时发送单号查询处理进度。",
            json_message={"complaint_number": complaint.number},
        )
        return [AllSlotsReset(), SlotSet("complaint_number", complaint.number)]


def _read_back_shown(tracker: Tracker) -> bool:
    """Whether this run of the form asked for confirmation."""
    for event in reversed(tracker.events):
        if event.get("event") == "active_loop" and event.get("name") == FORM:
            return False
        if event.get("event") == "slot" and event.get("name") == "requested_slot":
            if event.get("value") == "confirmation":
                return True
    return False


def _form_run_key(tracker: Tracker) -> str:
    """One key per run of the form: a retried submit of the same run finds the same order."""
    started = max(
        (
            e.get("timestamp", 0)
            for e in tracker.events
            if e.get("event") == "active_loop" and e.get("name") == FORM
        ),
        default=0,
    )
    return f"{tracker.sender_id}:{started}"


class ActionComplaintStatus(Action):
    """Status by number for anyone; details only with the phone's last four digits."""

    def name(self) -> str:
        return "action_complaint_status"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        number = next(iter(_entities(tracker, "complaint_number")), None) or tracker.get_slot(
            "complaint_number"
        )
        if not number:
            said = _said(tracker)
            told = intake.classify_category(said) not in (None, "其他")
            told = told or intake.states_complaint(said) or categories.reads_like_complaint(said)
            if len(said) >= STORY_CHARS and told and not STATUS_ASKED.search(said):
                # 订了民宿…到现在只退了一半，客服一直拖着; 行李箱被人打开过了…我要投诉: a grievance
                # told, not a status asked.
                return [FollowupAction(FORM)]
            dispatcher.utter_message(text="请提供您的投诉单号（以TS开头，例如TS20261123001）。")
            return []
        number = str(number).upper()
        last4 = _last_four(tracker.latest_message.get("text") or "", number)
        if last4 is not None:
            return self._details(dispatcher, tracker, number, last4)
        complaint = services().complaints.get(number)
        if complaint is None:
            dispatcher.utter_message(text=f"没有查到单号为 {number} 的投诉，请核对后再试。")
            return [SlotSet("complaint_number", None)]
        dispatcher.utter_message(
            text=f"投诉单 {complaint.number} 当前状态：{complaint.status}。"
            f"如需查看处理详情，请发送单号和登记手机号的后四位，例如“{complaint.number} 1234”。",
            json_message={"complaint_number": complaint.number, "status": str(complaint.status)},
        )
        return [SlotSet("complaint_number", complaint.number)]

    @staticmethod
    def _details(
        dispatcher: CollectingDispatcher, tracker: Tracker, number: str, last4: str
    ) -> list[dict[str, Any]]:
        outcome, complaint = services().complaints.details(number, last4, sender=tracker.sender_id)
        if outcome is Lookup.locked:
            dispatcher.utter_message(
                text="查询失败次数过多，请1小时后再试，或拨打12301旅游服务热线由人工为您查询。"
            )
            return []
        if outcome is Lookup.unknown:
            dispatcher.utter_message(text=f"没有查到单号为 {number} 的投诉，请核对后再试。")
            return [SlotSet("complaint_number", None)]
        if complaint is None:
            dispatcher.utter_message(text="手机号后四位与登记信息不符，请核对后再试。")
            return [SlotSet("complaint_number", number)]
        lines = [
            f"投诉单 {complaint.number}",
            f"状态：{complaint.status}",
            f"类别：{complaint.category}　地点：{complaint.place}",
            f"被投诉对象：{complaint.target}",
        ]
        if complaint.department:
            lines.append(f"承办部门：{complaint.department}")
        if complaint.reply:
            lines.append(f"答复：{complaint.reply}")
        if complaint.reject_reason:
            lines.append(f"不予受理理由：{complaint.reject_reason}")
        dispatcher.utter_message(
            text="\n".join(lines),
            json_message={"complaint_number": complaint.number, "status": str(complaint.status)},
        )
        return [SlotSet("complaint_number", complaint.number)]


def _last_four(text: str, number: str) -> str | None:
    """Four digits standing alone in the message, once the work-order number is taken out."""
    rest = re.sub(re.escape(number), " ", text, flags=re.IGNORECASE)
    found = re.findall(r"(?<!\d)\d{4}(?!\d)", rest)
    return found[-1] if found else None
