"""Does an FAQ speak of everything the query asks about, in meaning and not only in words?

A near miss shares most of its words with an FAQ and adds one the FAQ never speaks of: 青峰山
滑雪场几点开门 against 青峰山几点开门. BM25 cannot see that word (no FAQ has it, so it has no
weight) and a sentence vector averages it away. Here each of the query's words is compared, as a
vector, with every word of the FAQ's question, similar questions and answer; a word with no close
counterpart is uncovered. Words are weighted by their idf in general Chinese (jieba's table), so
滑雪场 counts and 听说 hardly does, whether or not the KB knows either.
"""

import threading
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from statistics import median

import jieba
import numpy as np

from knowledge_base.embedding import Embedder, Vectors

# Read directly: importing jieba.analyse opens this file and never closes it.
IDF_TABLE = Path(jieba.__file__).resolve().parent / "analyse" / "idf.txt"


@lru_cache(maxsize=1)
def general_idf() -> tuple[dict[str, float], float]:
    """jieba's idf of general Chinese, and its median for words the table lacks."""
    table: dict[str, float] = {}
    with IDF_TABLE.open(encoding="utf-8") as lines:
        for line in lines:
            word, _, value = line.rstrip("\n").rpartition(" ")
            if word:
                table[word] = float(value)
    return table, median(table.values())


def weights_of(words: Sequence[str]) -> np.ndarray:
    idf, default = general_idf()
    return np.asarray([idf.get(w, default) for w in words], dtype=np.float32)


class WordCoverage:
    """Word vectors of every word the FAQs use (each embedded once) and each FAQ's words."""

    def __init__(self, embedder: Embedder) -> None:
        self._embedder = embedder
        self._lock = threading.Lock()
        self._row: dict[str, int] = {}
        self._vectors = np.zeros((0, embedder.dim), dtype=np.float32)
        self._words_of: dict[str, np.ndarray] = {}  # FAQ id -> rows of its words

    def update(self, words_by_faq: Mapping[str, Iterable[str]], removed: Iterable[str]) -> None:
        """Forget the removed FAQs, then record these FAQs' words (embedding the new ones)."""
        by_faq = {faq_id: sorted(set(words)) for faq_id, words in words_by_faq.items()}
        new = sorted({w for words in by_faq.values() for w in words} - self._row.keys())
        vectors = self._embedder.queries(new) if new else None
        with self._lock:
            for faq_id in removed:
                self._words_of.pop(faq_id, None)
            if vectors is not None:
                start = len(self._vectors)
                self._vectors = np.vstack([self._vectors, vectors.astype(np.float32)])
                self._row.update({w: start + i for i, w in enumerate(new)})
            for faq_id, words in by_faq.items():
                self._words_of[faq_id] = np.asarray([self._row[w] for w in words], dtype=np.int64)

    def uncovered(
        self, words: Sequence[str], vectors: Vectors | None, faq_ids: Iterable[str]
    ) -> dict[str, float]:
        """Per FAQ: the idf-weighted share of the query's words it does not cover, where a word
        is covered as far as its closest FAQ word is similar (cosine, floored at 0)."""
        faq_ids = list(faq_ids)
        if not words or vectors is None:
            return {faq_id: 0.0 for faq_id in faq_ids}
        weights = weights_of(words)
        result = {}
        with self._lock:
            for faq_id in faq_ids:
                rows = self._words_of.get(faq_id)
                if rows is None or not len(rows):
                    result[faq_id] = 1.0
                    continue
                closest = np.clip((vectors @ self._vectors[rows].T).max(axis=1), 0.0, 1.0)
                result[faq_id] = float(weights @ (1.0 - closest) / weights.sum())
        return result
