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


def _syllables(text: str, style: Style) -> list[str]:
    # A callable ``errors`` may return a list: one item per non-Chinese character.
    keep_each: Any = list
    syllables = lazy_pinyin(text, style=style, errors=keep_each)
    if len(syllables) != len(text):  # pypinyin merged something: fall back to one char at a time
        syllables = [lazy_pinyin(char, style=style, errors=keep_each)[0] for char in text]
    return syllables


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
        plain = _syllables(text, Style.NORMAL)
        toned = _syllables(text, Style.TONE3)
        out: list[str] = []
        i = 0
        while i < len(text):
            for length in self._lengths:
                if i + length > len(text):
                    continue
                fuzzy = length >= MIN_FUZZY_LENGTH
                key = _key((plain if fuzzy else toned)[i : i + length], fuzzy)
                name = self._by_key.get(key)
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
