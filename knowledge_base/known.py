"""Questions tourists already asked, labelled: the FAQ that answers each, or that none does.

A near miss (青峰山海拔多高, 翠湖能游泳不) looks like its neighbouring FAQ to every encoder; what
tells it apart is that questions like it were asked before and no FAQ answered them. So the
labelled questions the calibration was fitted on are kept: a query close to a known
out-of-scope question, closer than to any FAQ text or known answered question, is likely out of
scope too (the scope model reads ``oos_near`` and ``near_diff``), and a candidate whose known
questions resemble the query is likely right (the combiner reads ``known``).

A label holds for the knowledge base it was given on. An answered question's label goes with
its FAQ: it counts only while that FAQ is live. An out-of-scope question's label goes when an
FAQ text comes closer to it than the closest FAQ text was when it was labelled — an admin added
the FAQ that answers it (the unanswered view's "add as similar question" does exactly that).
"""

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from knowledge_base.embedding import Vectors

KNOWN_FILE = Path(__file__).resolve().parent / "known_questions.jsonl"
CANDIDATE_FEATURES = ("known",)
QUERY_FEATURES = ("oos_near", "near_diff")
# An FAQ text this much closer than the closest one at labelling time answers the question now
# (float noise between two embeddings of the same text is far smaller).
CLOSER = 0.01


@dataclass(frozen=True)
class KnownQuestion:
    query: str
    faq_id: str | None  # None: no FAQ answers it
    # Out of scope: per embedding model, the closest FAQ text's similarity when it was labelled.
    nearest: dict[str, float] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {"query": self.query, "faq_id": self.faq_id, "nearest": self.nearest}


def read(path: Path = KNOWN_FILE) -> list[KnownQuestion]:
    if not path.exists():
        return []
    rows = (json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line)
    return [KnownQuestion(r["query"], r.get("faq_id"), r.get("nearest", {})) for r in rows]


def write(questions: Iterable[KnownQuestion], path: Path = KNOWN_FILE) -> None:
    lines = (json.dumps(q.as_dict(), ensure_ascii=False) for q in questions)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


class KnownQuestions:
    """The labelled questions of one embedding model, as vectors."""

    def __init__(self, questions: Sequence[KnownQuestion], vectors: Vectors, model: str) -> None:
        if len(questions) != len(vectors):
            raise ValueError("one vector per known question")
        self.questions = list(questions)
        self._vectors = np.asarray(vectors, dtype=np.float32).reshape(len(questions), -1)
        self._faq_ids = np.asarray([q.faq_id or "" for q in questions])
        self._answered = self._faq_ids != ""
        # An out-of-scope question without a recorded nearest text for this model can never be
        # told answered later: it is not used.
        self._nearest = np.asarray([q.nearest.get(model, np.inf) for q in questions])
        self._active = self._answered | np.isfinite(self._nearest)

    @property
    def vectors(self) -> Vectors:
        return self._vectors

    def __len__(self) -> int:
        return int(self._active.sum())

    def subset(self, keep: Sequence[bool]) -> "KnownQuestions":
        """The same questions but only those kept (cross-validation leaves folds out)."""
        chosen = np.asarray(keep, dtype=bool)
        known = object.__new__(KnownQuestions)
        known.questions = [q for q, k in zip(self.questions, chosen, strict=True) if k]
        known._vectors = self._vectors[chosen]
        known._faq_ids = self._faq_ids[chosen]
        known._answered = self._answered[chosen]
        known._nearest = self._nearest[chosen]
        known._active = self._active[chosen]
        return known

    def live(self, faq_ids: Iterable[str]) -> None:
        """Answered questions count only while their FAQ is live."""
        live = np.isin(self._faq_ids, list(faq_ids))
        self._active = np.where(self._answered, live, self._active)

    def texts_added(self, vectors: Vectors) -> list[str]:
        """New FAQ texts: retire the out-of-scope questions they come closer to than any FAQ
        text was; returns those questions."""
        if not len(vectors):
            return []
        closest = (self._vectors @ np.asarray(vectors, dtype=np.float32).T).max(axis=1)
        answered_now = ~self._answered & self._active & (closest > self._nearest + CLOSER)
        self._active &= ~answered_now
        return [self.questions[i].query for i in np.nonzero(answered_now)[0]]

    def retired(self) -> set[str]:
        """The out-of-scope questions FAQ texts added since have answered."""
        gone = ~self._answered & ~self._active & np.isfinite(self._nearest)
        return {self.questions[i].query for i in np.nonzero(gone)[0]}

    def retire(self, queries: Iterable[str]) -> None:
        """Out-of-scope questions known to be answered now (kept across a rebuild)."""
        named = np.isin(np.asarray([q.query for q in self.questions]), list(queries))
        self._active &= ~(named & ~self._answered)

    def features(
        self, vector: Vectors, best_text: float, candidate_ids: Sequence[str]
    ) -> tuple[dict[str, float], dict[str, float]]:
        """The query's features (how close the closest known out-of-scope question is, and by
        how much it beats the closest FAQ text or known answered question; ``best_text``: the
        query's highest similarity to an FAQ text) and each candidate's ``known``: its closest
        known answered question's similarity, 0 without one."""
        similarity = self._vectors @ np.asarray(vector, dtype=np.float32).reshape(-1)
        out = similarity[self._active & ~self._answered]
        answered = self._active & self._answered
        oos_near = float(out.max()) if len(out) else 0.0
        in_near = max(best_text, float(similarity[answered].max()) if answered.any() else -1.0)
        per_candidate = {}
        for faq_id in candidate_ids:
            mine = answered & (self._faq_ids == faq_id)
            per_candidate[faq_id] = float(similarity[mine].max()) if mine.any() else 0.0
        return {"oos_near": oos_near, "near_diff": oos_near - in_near}, per_candidate


def no_features(candidate_ids: Sequence[str]) -> tuple[dict[str, float], dict[str, float]]:
    """What a knowledge base without labelled questions reads: nothing known."""
    return {"oos_near": 0.0, "near_diff": 0.0}, {faq_id: 0.0 for faq_id in candidate_ids}
