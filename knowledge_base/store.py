"""FAQ entries with a version row for every edit."""

import enum
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Enum, ForeignKey, Integer, String, Text, func, select
from sqlalchemy.orm import Mapped, mapped_column

from bot.db import Base, Database, utcnow


class FaqStatus(enum.StrEnum):
    draft = "draft"
    published = "published"


class Faq(Base):
    __tablename__ = "faqs"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    category: Mapped[str] = mapped_column(String(32), index=True)
    question: Mapped[str] = mapped_column(Text)
    similar_questions: Mapped[list[str]] = mapped_column(JSON, default=list)
    answer: Mapped[str] = mapped_column(Text)
    short_answer: Mapped[str | None] = mapped_column(Text, nullable=True)
    english_answer: Mapped[str | None] = mapped_column(Text, nullable=True)
    status: Mapped[FaqStatus] = mapped_column(
        Enum(FaqStatus, native_enum=False), default=FaqStatus.published
    )
    valid_from: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    valid_until: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_by: Mapped[str] = mapped_column(String(64), default="system")
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    def is_live(self, now: datetime) -> bool:
        return (
            self.status == FaqStatus.published
            and (self.valid_from is None or self.valid_from <= now)
            and (self.valid_until is None or now < self.valid_until)
        )


class FaqVersion(Base):
    __tablename__ = "faq_versions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    faq_id: Mapped[str] = mapped_column(ForeignKey("faqs.id", ondelete="CASCADE"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON)
    changed_by: Mapped[str] = mapped_column(String(64))
    changed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


@dataclass
class FaqInput:
    id: str
    category: str
    question: str
    answer: str
    similar_questions: list[str] = field(default_factory=list)
    short_answer: str | None = None
    english_answer: str | None = None
    status: FaqStatus = FaqStatus.published


CONTENT_FIELDS = (
    "category",
    "question",
    "similar_questions",
    "answer",
    "short_answer",
    "english_answer",
    "status",
)


def _snapshot(faq: Faq) -> dict[str, Any]:
    return {
        name: str(getattr(faq, name)) if name == "status" else getattr(faq, name)
        for name in CONTENT_FIELDS
    }


class FaqStore:
    def __init__(self, db: Database) -> None:
        self._db = db

    def upsert_many(self, entries: list[FaqInput], *, changed_by: str) -> int:
        """Insert or update by id in one transaction; returns how many rows changed."""
        changed = 0
        with self._db.session() as session:
            for entry in entries:
                faq = session.get(Faq, entry.id)
                values = {name: getattr(entry, name) for name in CONTENT_FIELDS}
                if faq is None:
                    faq = Faq(id=entry.id, version=1, updated_by=changed_by, **values)
                    session.add(faq)
                elif _snapshot(faq) == {**values, "status": str(entry.status)}:
                    continue
                else:
                    for name, value in values.items():
                        setattr(faq, name, value)
                    faq.version += 1
                    faq.updated_by, faq.updated_at = changed_by, utcnow()
                session.flush()
                session.add(
                    FaqVersion(
                        faq_id=faq.id,
                        version=faq.version,
                        snapshot=_snapshot(faq),
                        changed_by=changed_by,
                    )
                )
                changed += 1
        return changed

    def all(self) -> list[Faq]:
        with self._db.session() as session:
            return list(session.scalars(select(Faq).order_by(Faq.id)))

    def live(self, now: datetime | None = None) -> list[Faq]:
        now = now or utcnow()
        return [faq for faq in self.all() if faq.is_live(now)]

    def get(self, faq_id: str) -> Faq | None:
        with self._db.session() as session:
            return session.get(Faq, faq_id)

    def count(self) -> int:
        with self._db.session() as session:
            return session.scalar(select(func.count()).select_from(Faq)) or 0
