"""Okapi BM25 over jieba words and character bigrams, editable in place (add and remove texts).

Scores are the BM25 score divided by the text's score against itself, so they are comparable
across queries (1.0: the query covers the text). Postings are dicts for cheap edits; each term
keeps a numpy copy of its postings, rebuilt only after that term changed, so a query over tens
of thousands of texts is a few vector operations instead of a Python loop per posting.
"""

import math
from collections import Counter

import numpy as np

REFRESH_SHARE = 0.1  # recompute the length norms and self-scores once a tenth of texts changed


class BM25Index:
    """Texts are keyed by an integer row id; the caller tokenizes (see ``text.tokens``)."""

    def __init__(self, k1: float = 1.2, b: float = 0.75) -> None:
        self.k1, self.b = k1, b
        self._docs: dict[int, Counter[str]] = {}
        self._lengths: dict[int, int] = {}
        self._total_length = 0
        self._postings: dict[str, dict[int, int]] = {}  # term -> row -> term frequency
        self._arrays: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self._norm = np.zeros(0, dtype=np.float64)  # by row: k1 * (1 - b + b * len / avg)
        self._self = np.ones(0, dtype=np.float64)  # by row: the text's score against itself
        self._changes = 0

    def __len__(self) -> int:
        return len(self._docs)

    def add(self, row: int, terms: list[str]) -> None:
        if row in self._docs:
            self.remove(row)
        counts = Counter(terms)
        self._docs[row] = counts
        self._lengths[row] = sum(counts.values())
        self._total_length += self._lengths[row]
        for term, tf in counts.items():
            self._postings.setdefault(term, {})[row] = tf
            self._arrays.pop(term, None)
        if row >= len(self._norm):
            grow = max(row + 1, 2 * len(self._norm))
            self._norm = np.resize(self._norm, grow)
            self._self = np.resize(self._self, grow)
        self._refresh_row(row, self._average())
        self._changes += 1

    def remove(self, row: int) -> None:
        counts = self._docs.pop(row, None)
        if counts is None:
            return
        self._total_length -= self._lengths.pop(row)
        for term in counts:
            rows = self._postings[term]
            del rows[row]
            self._arrays.pop(term, None)
            if not rows:
                del self._postings[term]
        self._changes += 1

    def _average(self) -> float:
        return self._total_length / max(len(self._docs), 1)

    def _idf(self, term: str) -> float:
        n = len(self._postings.get(term, ()))
        return math.log(1 + (len(self._docs) - n + 0.5) / (n + 0.5))

    def _refresh_row(self, row: int, average: float) -> None:
        self._norm[row] = self.k1 * (1 - self.b + self.b * self._lengths[row] / average)
        self._self[row] = (
            sum(
                self._idf(t) * tf * (self.k1 + 1) / (tf + self._norm[row])
                for t, tf in self._docs[row].items()
            )
            or 1.0
        )

    def _maybe_refresh(self) -> None:
        if self._changes > REFRESH_SHARE * len(self._docs):
            average = self._average()
            for row in self._docs:
                self._refresh_row(row, average)
            self._changes = 0

    def _array(self, term: str) -> tuple[np.ndarray, np.ndarray]:
        arrays = self._arrays.get(term)
        if arrays is None:
            postings = self._postings[term]
            arrays = (
                np.fromiter(postings.keys(), dtype=np.int64, count=len(postings)),
                np.fromiter(postings.values(), dtype=np.float64, count=len(postings)),
            )
            self._arrays[term] = arrays
        return arrays

    def query_weights(self, terms: list[str]) -> dict[str, float]:
        """Each distinct query term's idf; a term no text has weighs most (it is unexplained)."""
        return {term: self._idf(term) for term in set(terms)}

    def coverage(self, row: int, weights: dict[str, float]) -> float:
        """The share of the query's idf mass that this text contains."""
        total = sum(weights.values())
        if not total:
            return 0.0
        return sum(w for term, w in weights.items() if term in self._docs[row]) / total

    def top(self, terms: list[str], n: int) -> dict[int, float]:
        """The ``n`` best-scoring rows and their scores."""
        if not self._docs:
            return {}
        self._maybe_refresh()
        parts_rows, parts_scores = [], []
        for term in set(terms):
            if term not in self._postings:
                continue
            rows, tf = self._array(term)
            parts_rows.append(rows)
            parts_scores.append(self._idf(term) * tf * (self.k1 + 1) / (tf + self._norm[rows]))
        if not parts_rows:
            return {}
        rows, inverse = np.unique(np.concatenate(parts_rows), return_inverse=True)
        raw = np.bincount(inverse, weights=np.concatenate(parts_scores))
        scores = np.minimum(raw / self._self[rows], 1.0)
        if len(rows) > n:
            best = np.argpartition(-scores, n)[:n]
            rows, scores = rows[best], scores[best]
        return {int(r): float(s) for r, s in zip(rows, scores, strict=True)}

    def score(self, rows: list[int], weights: dict[str, float]) -> dict[int, float]:
        """Exact scores of the given rows for a query's ``query_weights`` (0 for a row that
        shares no term)."""
        self._maybe_refresh()
        result = {}
        for row in rows:
            doc = self._docs[row]
            raw = sum(
                w * doc[t] * (self.k1 + 1) / (doc[t] + self._norm[row])
                for t, w in weights.items()
                if t in doc
            )
            result[row] = min(raw / self._self[row], 1.0)
        return result
