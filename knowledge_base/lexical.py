"""Okapi BM25 over jieba words and character bigrams, editable in place (add and remove texts)."""

import math
from collections import Counter


class BM25Index:
    """Texts are keyed by an integer row id; the caller tokenizes (see ``text.tokens``)."""

    def __init__(self, k1: float = 1.2, b: float = 0.75) -> None:
        self.k1, self.b = k1, b
        self._docs: dict[int, Counter[str]] = {}
        self._lengths: dict[int, int] = {}
        self._total_length = 0
        self._postings: dict[str, set[int]] = {}

    def __len__(self) -> int:
        return len(self._docs)

    def add(self, row: int, terms: list[str]) -> None:
        if row in self._docs:
            self.remove(row)
        counts = Counter(terms)
        self._docs[row] = counts
        self._lengths[row] = sum(counts.values())
        self._total_length += self._lengths[row]
        for term in counts:
            self._postings.setdefault(term, set()).add(row)

    def remove(self, row: int) -> None:
        counts = self._docs.pop(row, None)
        if counts is None:
            return
        self._total_length -= self._lengths.pop(row)
        for term in counts:
            rows = self._postings[term]
            rows.discard(row)
            if not rows:
                del self._postings[term]

    def _idf(self, term: str) -> float:
        n = len(self._postings.get(term, ()))
        return math.log(1 + (len(self._docs) - n + 0.5) / (n + 0.5))

    def query_weights(self, terms: list[str]) -> dict[str, float]:
        """Each distinct query term's idf; a term no text has weighs most (it is unexplained)."""
        return {term: self._idf(term) for term in set(terms)}

    def coverage(self, row: int, weights: dict[str, float]) -> float:
        """The share of the query's idf mass that this text contains."""
        total = sum(weights.values())
        if not total:
            return 0.0
        return sum(w for term, w in weights.items() if term in self._docs[row]) / total

    def scores(self, terms: list[str]) -> dict[int, float]:
        """BM25 score per row, divided by the row's score against itself.

        The ratio is comparable across queries (1.0 means the query covers the text), which a
        raw BM25 score is not.
        """
        if not self._docs:
            return {}
        average = self._total_length / len(self._docs)
        idf = {term: self._idf(term) for term in set(terms) if term in self._postings}
        raw: dict[int, float] = {}
        for term, weight in idf.items():
            for row in self._postings[term]:
                raw[row] = raw.get(row, 0.0) + weight * self._saturation(row, term, average)
        return {row: score / self._self_score(row, average) for row, score in raw.items()}

    def _saturation(self, row: int, term: str, average: float) -> float:
        tf = self._docs[row][term]
        norm = self.k1 * (1 - self.b + self.b * self._lengths[row] / average)
        return tf * (self.k1 + 1) / (tf + norm)

    def _self_score(self, row: int, average: float) -> float:
        return sum(self._idf(t) * self._saturation(row, t, average) for t in self._docs[row]) or 1.0
