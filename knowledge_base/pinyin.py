"""ASR homophones of place and business names, matched by pinyin and written back as the real name.

Speech recognition hears 青峰山 and writes 青锋山 or 清风山; a typist writes 脆湖 for 翠湖. Both
sound like a name in the jieba user dictionary, so the query is rewritten to that name before
searching.
Names of three or more characters match on "fuzzy" toneless pinyin (zh/z, ch/c, sh/s, n/l and the
-ng finals merged, as southern accents and ASR confuse them); two-character names must match with
tones, which keeps ordinary words (被占 bei4 zhan4) from turning into names (北站 bei3 zhan4).
"""

from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

from pypinyin import Style, lazy_pinyin

from knowledge_base.text import USER_DICTIONARY

MIN_FUZZY_LENGTH = 3


def _fuzzy(syllable: str) -> str:
    for retroflex, flat in (("zh", "z"), ("ch", "c"), ("sh", "s")):
        if syllable.startswith(retroflex):
            syllable = flat + syllable[2:]
    if syllable.startswith("n") and len(syllable) > 1:
        syllable = "l" + syllable[1:]
    for back, front in (("ang", "an"), ("eng", "en"), ("ing", "in")):
        if syllable.endswith(back):
            syllable = syllable[: -len(back)] + front
    return syllable


@lru_cache(maxsize=50_000)
def _fuzzy_cached(syllable: str) -> str:
    return _fuzzy(syllable)


@lru_cache(maxsize=50_000)
def _char(char: str, style: Style) -> str:
    # One character at a time, so a cache makes long texts cheap; a non-Chinese character
    # stands for itself. Names are matched with each character's usual reading.
    keep: Any = list
    return str(lazy_pinyin(char, style=style, errors=keep)[0])


def _syllables(text: str, style: Style) -> list[str]:
    return [_char(char, style) for char in text]


def _key(syllables: list[str], fuzzy: bool) -> tuple[str, ...]:
    return tuple(_fuzzy(s) for s in syllables) if fuzzy else tuple(syllables)


class NameMatcher:
    def __init__(self, names: Iterable[str]) -> None:
        self._by_key: dict[tuple[str, ...], str] = {}
        for name in names:
            if len(name) < 2:
                continue
            fuzzy = len(name) >= MIN_FUZZY_LENGTH
            style = Style.NORMAL if fuzzy else Style.TONE3
            # The first name with a sound wins: the dictionary lists canonical names before the
            # misspellings that sound like them, so those are rewritten to the canonical one.
            self._by_key.setdefault(_key(_syllables(name, style), fuzzy), name)
        self._lengths = sorted({len(name) for name in self._by_key.values()}, reverse=True)

    def canonicalize(self, text: str) -> str:
        """Replace every span that sounds like a known name (and isn't one) by that name."""
        if not self._by_key or not text:
            return text
        fuzzy = [_fuzzy_cached(s) for s in _syllables(text, Style.NORMAL)]
        toned = _syllables(text, Style.TONE3)
        out: list[str] = []
        i = 0
        while i < len(text):
            for length in self._lengths:
                if i + length > len(text):
                    continue
                syllables = fuzzy if length >= MIN_FUZZY_LENGTH else toned
                name = self._by_key.get(tuple(syllables[i : i + length]))
                if name is not None:
                    out.append(name)
                    i += length
                    break
            else:
                out.append(text[i])
                i += 1
        return "".join(out)


def read_names(path: Path) -> list[str]:
    if not path.exists():
        return []
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.split()[0] for line in lines if line.strip()]


@lru_cache(maxsize=1)
def default_matcher() -> NameMatcher:
    return NameMatcher(read_names(USER_DICTIONARY))
