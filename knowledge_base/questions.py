"""Every question the knowledge base decided on: the admin's unanswered view (``clarify`` and
``none``, grouped by meaning) and the dashboard's daily counts and top FAQs."""

from collections import Counter
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import numpy as np
from sqlalchemy import JSON, DateTime, Integer, String, Text, func, select
from sqlalchemy.orm import Mapped, mapped_column

from bot.db import Base, Database, utcnow
from knowledge_base.search import SearchResult
from knowledge_base.text import normalize

SAME_QUESTION = 0.8  # cosine of two query embeddings taken as one question asked twice
MAX_GROUPED = 2000  # the most recent unanswered questions grouped at once


class KbQuestion(Base):
    __tablename__ = "kb_questions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    query: Mapped[str] = mapped_column(Text)
    decision: Mapped[str] = mapped_column(String(16), index=True)
    faq_id: Mapped[str | None] = mapped_column(String(64), nullable=True)  # answered with
    candidates: Mapped[list[dict]] = mapped_column(JSON, default=list)  # top ids and scores
    channel: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)


@dataclass
class Group:
    """Unanswered questions that mean the same thing."""

    label: str
    queries: list[KbQuestion] = field(default_factory=list)
    candidates: dict[str, float] = field(default_factory=dict)  # best score per FAQ id


class QuestionLog:
    def __init__(self, db: Database, clock: Callable[[], datetime] = utcnow) -> None:
        self._db = db
        self._clock = clock

    def record(self, result: SearchResult, channel: str) -> None:
        with self._db.session() as session:
            session.add(
                KbQuestion(
                    query=result.query,
                    decision=result.decision,
                    faq_id=result.hits[0].id if result.decision == "answer" else None,
                    candidates=[{"id": h.id, "score": round(h.score, 4)} for h in result.hits],
                    channel=channel,
                    created_at=self._clock(),
                )
            )

    def unanswered(self, limit: int = 100, since: datetime | None = None) -> list[KbQuestion]:
        query = select(KbQuestion).where(KbQuestion.decision != "answer")
        if since is not None:
            query = query.where(KbQuestion.created_at >= since)
        with self._db.session() as session:
            return list(session.scalars(query.order_by(KbQuestion.id.desc()).limit(limit)))

    def groups(
        self,
        embed: Callable[[list[str]], np.ndarray | None],
        days: int = 30,
        skip: Collection[str] = (),
    ) -> list[Group]:
        """The unanswered questions of the last ``days`` (but those in ``skip``), grouped by
        meaning, largest first."""
        rows = self.unanswered(MAX_GROUPED, since=self._clock() - timedelta(days=days))
        rows = [row for row in rows if row.query not in skip]
        texts = [normalize(row.query) for row in rows]
        vectors = embed([row.query for row in rows]) if rows else None
        groups: list[Group] = []
        firsts: list[int] = []  # each group's first question, the one others are compared with
        for i, row in enumerate(rows):
            home = _nearest(i, texts, vectors, firsts)
            if home is None:
                groups.append(Group(label=row.query))
                firsts.append(i)
                home = len(groups) - 1
            group = groups[home]
            group.queries.append(row)
            for candidate in row.candidates:
                faq_id, score = candidate["id"], float(candidate["score"])
                group.candidates[faq_id] = max(group.candidates.get(faq_id, 0.0), score)
        for group in groups:
            asked = Counter(q.query for q in group.queries)
            group.label = max(asked, key=lambda text: (asked[text], -len(text)))
        return sorted(groups, key=lambda g: len(g.queries), reverse=True)

    def daily(self, days: int) -> list[dict[str, Any]]:
        """Questions per day and how they were decided, oldest first, every day present."""
        first = self._first_day(days)
        day = func.date(KbQuestion.created_at)
        with self._db.session() as session:
            counts = session.execute(
                select(day, KbQuestion.decision, func.count())
                .where(KbQuestion.created_at >= _start_of(first))
                .group_by(day, KbQuestion.decision)
            ).all()
        by_day: dict[str, dict[str, int]] = {}
        for when, decision, count in counts:
            by_day.setdefault(str(when), {})[decision] = count
        rows = []
        for offset in range(days):
            key = (first + timedelta(days=offset)).isoformat()
            decided = by_day.get(key, {})
            rows.append(
                {
                    "date": key,
                    "questions": sum(decided.values()),
                    **{d: decided.get(d, 0) for d in ("answer", "clarify", "none")},
                }
            )
        return rows

    def _first_day(self, days: int) -> date:
        """The first of the last ``days`` days, today included."""
        return self._clock().date() - timedelta(days=days - 1)

    def top_faqs(self, days: int, limit: int = 10) -> list[tuple[str, int]]:
        since = _start_of(self._first_day(days))
        with self._db.session() as session:
            return [
                (str(faq_id), count)
                for faq_id, count in session.execute(
                    select(KbQuestion.faq_id, func.count().label("n"))
                    .where(KbQuestion.faq_id.is_not(None), KbQuestion.created_at >= since)
                    .group_by(KbQuestion.faq_id)
                    .order_by(func.count().desc(), KbQuestion.faq_id)
                    .limit(limit)
                ).all()
            ]


def _nearest(i: int, texts: list[str], vectors: np.ndarray | None, firsts: list[int]) -> int | None:
    """The group whose first question is the same text, or nearest above ``SAME_QUESTION``."""
    best, best_score = None, SAME_QUESTION
    for g, first in enumerate(firsts):
        if texts[first] == texts[i]:
            return g
        if vectors is not None:
            score = float(vectors[i] @ vectors[first])
            if score >= best_score:
                best, best_score = g, score
    return best


def _start_of(day: date) -> datetime:
    return datetime.combine(day, datetime.min.time())
