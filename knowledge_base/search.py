"""The knowledge base as the rest of the app sees it: search, then answer / clarify / none."""

import threading
from dataclasses import asdict, dataclass
from typing import Any, Literal

from knowledge_base.lexical import BM25Index
from knowledge_base.store import Faq, FaqStore

Decision = Literal["answer", "clarify", "none"]


@dataclass(frozen=True)
class Hit:
    id: str
    score: float
    question: str
    answer: str
    short_answer: str | None = None


@dataclass(frozen=True)
class SearchResult:
    query: str
    decision: Decision
    hits: list[Hit]

    def as_dict(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "decision": self.decision,
            "hits": [
                {"id": h.id, "score": round(h.score, 4), "question": h.question, "answer": h.answer}
                for h in self.hits
            ],
        }

    def as_full_dict(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "decision": self.decision,
            "hits": [asdict(h) for h in self.hits],
        }


@dataclass(frozen=True)
class Thresholds:
    answer: float = 0.5
    clarify: float = 0.3
    margin: float = 0.05  # answer outright only when the best FAQ leads the next by this much


class KnowledgeBase:
    def __init__(self, store: FaqStore, thresholds: Thresholds | None = None) -> None:
        self._store = store
        self.thresholds = thresholds or Thresholds()
        self._lock = threading.Lock()
        self._faqs: list[Faq] = []
        self._doc_owner: list[int] = []
        self._index = BM25Index()

    def reload(self) -> None:
        faqs = self._store.live()
        owners: list[int] = []
        texts: list[str] = []
        for position, faq in enumerate(faqs):
            for text in [faq.question, *faq.similar_questions]:
                owners.append(position)
                texts.append(text)
        index = BM25Index().build(texts)
        with self._lock:
            self._faqs, self._doc_owner, self._index = faqs, owners, index

    @property
    def size(self) -> int:
        return len(self._faqs)

    def search(self, query: str, k: int = 5) -> SearchResult:
        with self._lock:
            faqs, owners, index = self._faqs, self._doc_owner, self._index
        best: dict[int, float] = {}
        for doc_id, score in index.scores(query).items():
            owner = owners[doc_id]
            best[owner] = max(best.get(owner, 0.0), score)
        ranked = sorted(best.items(), key=lambda item: item[1], reverse=True)[:k]
        hits = [
            Hit(
                id=faqs[i].id,
                score=score,
                question=faqs[i].question,
                answer=faqs[i].answer,
                short_answer=faqs[i].short_answer,
            )
            for i, score in ranked
        ]
        return SearchResult(query=query, decision=self._decide(hits), hits=hits)

    def _decide(self, hits: list[Hit]) -> Decision:
        if not hits or hits[0].score < self.thresholds.clarify:
            return "none"
        runner_up = hits[1].score if len(hits) > 1 else 0.0
        if (
            hits[0].score >= self.thresholds.answer
            and hits[0].score - runner_up >= self.thresholds.margin
        ):
            return "answer"
        return "clarify"
