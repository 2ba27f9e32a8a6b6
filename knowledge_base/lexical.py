"""Okapi BM25 over jieba words and character bigrams."""

import math
from collections import Counter
from collections.abc import Iterable

from knowledge_base.text import tokens


class BM25Index:
    def __init__(self, k1: float = 1.2, b: float = 0.75) -> None:
        self.k1, self.b = k1, b
        self._docs: list[Counter[str]] = []
        self._lengths: list[int] = []
        self._postings: dict[str, list[int]] = {}

    def build(self, texts: Iterable[str]) -> "BM25Index":
        for text in texts:
            terms = Counter(tokens(text))
            doc_id = len(self._docs)
            self._docs.append(terms)
            self._lengths.append(sum(terms.values()))
            for term in terms:
                self._postings.setdefault(term, []).append(doc_id)
        self._avg_length = sum(self._lengths) / max(len(self._lengths), 1)
        return self

    def __len__(self) -> int:
        return len(self._docs)

    def _idf(self, term: str) -> float:
        n = len(self._postings.get(term, ()))
        return math.log(1 + (len(self._docs) - n + 0.5) / (n + 0.5))

    def _term_score(self, term: str, doc_id: int) -> float:
        tf = self._docs[doc_id][term]
        norm = self.k1 * (1 - self.b + self.b * self._lengths[doc_id] / self._avg_length)
        return self._idf(term) * tf * (self.k1 + 1) / (tf + norm)

    def scores(self, query: str) -> dict[int, float]:
        """BM25 score per document, divided by the document's score against itself.

        The ratio is comparable across queries (1.0 means the query covers the document),
        which a raw BM25 score is not.
        """
        query_terms = set(tokens(query))
        raw: dict[int, float] = {}
        for term in query_terms:
            for doc_id in self._postings.get(term, ()):
                raw[doc_id] = raw.get(doc_id, 0.0) + self._term_score(term, doc_id)
        return {doc_id: score / self._self_score(doc_id) for doc_id, score in raw.items()}

    def _self_score(self, doc_id: int) -> float:
        return sum(self._term_score(term, doc_id) for term in self._docs[doc_id]) or 1.0
