"""Questions the knowledge base could not answer outright, for the admin's unanswered view."""

from datetime import datetime

from sqlalchemy import JSON, DateTime, Integer, String, Text, select
from sqlalchemy.orm import Mapped, mapped_column

from bot.db import Base, Database, utcnow
from knowledge_base.search import SearchResult


class UnansweredQuery(Base):
    __tablename__ = "unanswered_queries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    query: Mapped[str] = mapped_column(Text)
    decision: Mapped[str] = mapped_column(String(16), index=True)
    candidates: Mapped[list[dict]] = mapped_column(JSON, default=list)  # top ids and scores
    channel: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)


class UnansweredLog:
    def __init__(self, db: Database) -> None:
        self._db = db

    def record(self, result: SearchResult, channel: str) -> None:
        """Keep every ``clarify`` and ``none``; an ``answer`` is not recorded."""
        if result.decision == "answer":
            return
        with self._db.session() as session:
            session.add(
                UnansweredQuery(
                    query=result.query,
                    decision=result.decision,
                    candidates=[{"id": h.id, "score": round(h.score, 4)} for h in result.hits],
                    channel=channel,
                )
            )

    def recent(self, limit: int = 100) -> list[UnansweredQuery]:
        with self._db.session() as session:
            return list(
                session.scalars(
                    select(UnansweredQuery).order_by(UnansweredQuery.id.desc()).limit(limit)
                )
            )
