"""The places and businesses the destination knows, by every name tourists give them.

The NLU's lookup tables list the names (``place``, ``business``) and its synonyms say which
official name each other spelling stands for (古镇, 云西古镇 → 云溪古镇). A work order is filed
under the official name, so that the queue's filters and the statistics by place count one place
once, however the tourist wrote it; the tourist's own words stay in the description.
"""

import re
from functools import cache, lru_cache

import yaml

from bot.complaints import intake
from bot.settings import PROJECT_DIR

LOOKUPS = PROJECT_DIR / "nlu_data" / "lookups.yml"
# A place said with its gate, pier, stop or desk: 云溪古镇东门, 翠湖2号码头, 青峰山索道下站,
# 青峰山天池站, 观音洞洞口, 南门游客中心服务台 (not 天池站着, 洞口站满了人).
PLACE_PART = re.compile(
    r"(?:[东西南北]门|[东西南北]广场|\d+号码头|码头|出站口|进站口|游客中心|停车场|服务台|售票处"
    r"|[上下]?站(?![着起住在了满])|洞口|入口|出口)+"
)


def _examples(item: dict) -> list[str]:
    lines = str(item["examples"]).splitlines()
    return [line.strip().lstrip("- ").strip() for line in lines if line.strip()]


@lru_cache
def _tables() -> tuple[dict[str, list[str]], dict[str, str]]:
    data = yaml.safe_load(LOOKUPS.read_text(encoding="utf-8"))
    lookups = {item["lookup"]: _examples(item) for item in data["nlu"] if "lookup" in item}
    official = {
        spelling: item["synonym"]
        for item in data["nlu"]
        if "synonym" in item
        for spelling in _examples(item)
    }
    return lookups, official


@lru_cache
def known_names(kind: str) -> tuple[str, ...]:
    """Every name of a ``place`` or ``business``: the lookup table and the other spellings of
    its official names (青锋山, 白路洲), longest first."""
    lookups, official = _tables()
    names = set(lookups[kind])
    names |= {spelling for spelling, name in official.items() if name in names}
    return tuple(sorted(names, key=len, reverse=True))


def official_name(name: str, kind: str, *, keep: tuple[str, ...] = ()) -> str:
    """The official name of a known name said at the start of ``name``, with a gate or pier or
    a role after it kept: 古镇东门 → 云溪古镇东门, 博物馆（讲解员） → 云溪博物馆（讲解员）. Names
    in ``keep`` stay as said (a kind of business such as 游船 may be another company's boat)."""
    _, official = _tables()
    for known in known_names(kind):
        rest = name[len(known) :]
        if not name.startswith(known) or known in keep:
            continue
        if not rest or rest.startswith("（") or PLACE_PART.fullmatch(rest):
            return official.get(known, known) + rest
        inner = official.get(rest, rest)
        if inner.endswith(intake.MARKETS) and inner in known_names("business"):
            return inner  # 古镇小吃城 is the 小吃城 of 古镇: 老街小吃城
        return name  # 青峰山索道公司 is not 青峰山 with something after it
    return name


@cache
def _kinds_of_business() -> tuple[str, ...]:
    """Known business names that are only a kind (游船, 索道): another company's may be meant."""
    kinds = {*intake.KINDS, *intake.ROLES}
    return tuple(name for name in known_names("business") if name in kinds)


def official_target(target: str) -> str:
    """美食街 → 老街小吃城, 博物馆（讲解员） → 云溪博物馆（讲解员）; 游船 stays 游船."""
    return official_name(official_name(target, "business", keep=_kinds_of_business()), "place")


def official_place(place: str) -> str:
    return official_name(place, "place")
