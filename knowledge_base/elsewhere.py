"""Other destinations named in a question: 黄山门票多少钱 reads like one of ours, and is not.

The names are data (``elsewhere.txt``); the knowledge base decides which of them are its own
(a name any FAQ mentions never counts), so the list can stay national while a bureau's KB grows.
Two-character names must be a whole word of the question (天山 is not in 今天山上冷吗).
"""

from collections.abc import Collection, Iterable
from functools import lru_cache
from pathlib import Path

NAMES_FILE = Path(__file__).resolve().parent / "elsewhere.txt"


class Destinations:
    def __init__(self, names: Iterable[str]) -> None:
        self._names = tuple(sorted(set(names), key=len, reverse=True))

    def named_in(self, prepared: str, words: Collection[str]) -> list[str]:
        """The names the normalized question mentions, longest first, none inside another."""
        found: list[str] = []
        for name in self._names:
            if name in prepared and (len(name) > 2 or name in words):
                if not any(name in longer for longer in found):
                    found.append(name)
        return found


def read_names(path: Path = NAMES_FILE) -> list[str]:
    lines = (line.strip() for line in path.read_text(encoding="utf-8").splitlines())
    return [line for line in lines if line and not line.startswith("#")]


@lru_cache(maxsize=1)
def default_destinations() -> Destinations:
    return Destinations(read_names())
