"""FAQ entries with a version row for every edit, and the questions an admin marked as none of
the FAQs' business."""

import enum
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Enum, ForeignKey, Integer, String, Text, func, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from bot.db import Base, Database, utcnow

log = logging.getLogger(__name__)

MAX_LABELLED = 500  # characters of a question labelled out of scope


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


class KbRevision(Base):
    """One row; every write to the FAQs bumps it in the same transaction, so any process can
    tell with one cheap read whether its index is behind."""

    __tablename__ = "kb_revision"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    revision: Mapped[int] = mapped_column(Integer, default=0)


class FaqVersion(Base):
    __tablename__ = "faq_versions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    faq_id: Mapped[str] = mapped_column(ForeignKey("faqs.id", ondelete="CASCADE"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON)
    changed_by: Mapped[str] = mapped_column(String(64))
    changed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class OutOfScopeLabel(Base):
    """A question an admin marked 不属于本知识库 in the unanswered view: the search reads it as
    a known out-of-scope question (``knowledge_base/known.py``) in every process."""

    __tablename__ = "kb_out_of_scope"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    query: Mapped[str] = mapped_column(String(MAX_LABELLED), unique=True)
    # Per embedding model, the closest FAQ text's similarity when it was labelled.
    nearest: Mapped[dict[str, float]] = mapped_column(JSON, default=dict)
    labelled_by: Mapped[str] = mapped_column(String(64))
    labelled_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


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
    valid_from: datetime | None = None
    valid_until: datetime | None = None

    @classmethod
    def of(cls, faq: "Faq") -> "FaqInput":
        return cls(
            id=faq.id,
            category=faq.category,
            question=faq.question,
            answer=faq.answer,
            similar_questions=list(faq.similar_questions),
            short_answer=faq.short_answer,
            english_answer=faq.english_answer,
            status=FaqStatus(faq.status),
            valid_from=faq.valid_from,
            valid_until=faq.valid_until,
        )


CONTENT_FIELDS = (
    "category",
    "question",
    "similar_questions",
    "answer",
    "short_answer",
    "english_answer",
    "status",
    "valid_from",
    "valid_until",
)


def _jsonable(name: str, value: Any) -> Any:
    if name == "status":
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def _snapshot(faq: Faq) -> dict[str, Any]:
    return {name: _jsonable(name, getattr(faq, name)) for name in CONTENT_FIELDS}


def _restore(snapshot: dict[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {name: snapshot.get(name) for name in CONTENT_FIELDS}
    values["status"] = FaqStatus(values["status"] or FaqStatus.published)
    values["similar_questions"] = values["similar_questions"] or []
    for name in ("valid_from", "valid_until"):
        value = values[name]
        if isinstance(value, str):
            values[name] = datetime.fromisoformat(value)
    return values


class FaqNotFound(LookupError):
    pass


class LabelNotFound(LookupError):
    pass


class FaqStore:
    """FAQ rows, their versions and the revision counter; listeners hear of every commit."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self.listeners: list[Callable[[], None]] = []

    def _changed(self, session: Session) -> None:
        state = session.get(KbRevision, 1, with_for_update=True)
        if state is None:
            session.add(KbRevision(id=1, revision=1))
        else:
            state.revision += 1

    def _notify(self) -> None:
        for listener in self.listeners:
            try:
                listener()
            except Exception:  # noqa: BLE001 - a failed notification never undoes a commit
                log.exception("FAQ change listener failed")

    def upsert_many(self, entries: list[FaqInput], *, changed_by: str) -> int:
        """Insert or update by id in one transaction; returns how many rows changed."""
        changed = 0
        with self._db.session() as session:
            for entry in entries:
                values = {name: getattr(entry, name) for name in CONTENT_FIELDS}
                changed += self._write(session, entry.id, values, changed_by)
            if changed:
                self._changed(session)
        if changed:
            self._notify()
        return changed

    def _write(self, session: Session, faq_id: str, values: dict[str, Any], changed_by: str) -> int:
        faq = session.get(Faq, faq_id)
        if faq is None:
            faq = Faq(id=faq_id, version=1, updated_by=changed_by, updated_at=utcnow(), **values)
            session.add(faq)
        elif _snapshot(faq) == {name: _jsonable(name, v) for name, v in values.items()}:
            return 0
        else:
            for name, value in values.items():
                setattr(faq, name, value)
            faq.version += 1
            faq.updated_by, faq.updated_at = changed_by, utcnow()
        session.flush()
        session.add(
            FaqVersion(
                faq_id=faq.id, version=faq.version, snapshot=_snapshot(faq), changed_by=changed_by
            )
        )
        return 1

    def delete(self, faq_id: str, *, changed_by: str) -> None:
        with self._db.session() as session:
            faq = session.get(Faq, faq_id)
            if faq is None:
                raise FaqNotFound(faq_id)
            session.delete(faq)
            self._changed(session)
        log.info("FAQ %s deleted by %s", faq_id, changed_by)
        self._notify()

    def rollback(self, faq_id: str, version: int, *, changed_by: str) -> Faq:
        """Make an earlier version current again, as a new version (history is never rewritten)."""
        with self._db.session() as session:
            old = session.scalar(
                select(FaqVersion).where(FaqVersion.faq_id == faq_id, FaqVersion.version == version)
            )
            if old is None:
                raise FaqNotFound(f"{faq_id} v{version}")
            self._write(session, faq_id, _restore(old.snapshot), changed_by)
            self._changed(session)
            faq = session.get(Faq, faq_id)
            assert faq is not None
        self._notify()
        return faq

    def versions(self, faq_id: str) -> list[FaqVersion]:
        with self._db.session() as session:
            return list(
                session.scalars(
                    select(FaqVersion)
                    .where(FaqVersion.faq_id == faq_id)
                    .order_by(FaqVersion.version)
                )
            )

    def label_out_of_scope(
        self, queries: list[str], nearest: list[dict[str, float]], *, labelled_by: str
    ) -> list[OutOfScopeLabel]:
        """Mark questions as answered by no FAQ (those already marked are left as they are);
        returns the new labels."""
        with self._db.session() as session:
            self._changed(session)  # first: the revision row's lock serializes labellers
            known = set(session.scalars(select(OutOfScopeLabel.query)))
            added = []
            for query, closest in zip(queries, nearest, strict=True):
                if query in known:
                    continue
                known.add(query)
                label = OutOfScopeLabel(
                    query=query, nearest=closest, labelled_by=labelled_by, labelled_at=utcnow()
                )
                session.add(label)
                added.append(label)
        if added:
            log.info("%s marked out of scope: %s", labelled_by, "、".join(q.query for q in added))
            self._notify()
        return added

    def out_of_scope_labels(self) -> list[OutOfScopeLabel]:
        with self._db.session() as session:
            return list(session.scalars(select(OutOfScopeLabel).order_by(OutOfScopeLabel.id)))

    def unlabel(self, label_id: int, *, changed_by: str) -> None:
        with self._db.session() as session:
            label = session.get(OutOfScopeLabel, label_id)
            if label is None:
                raise LabelNotFound(label_id)
            session.delete(label)
            self._changed(session)
        log.info("out-of-scope label %d removed by %s", label_id, changed_by)
        self._notify()

    def revision(self) -> int:
        with self._db.session() as session:
            return session.scalar(select(KbRevision.revision).where(KbRevision.id == 1)) or 0

    def all(self) -> list[Faq]:
        with self._db.session() as session:
            return list(session.scalars(select(Faq).order_by(Faq.id)))

    def live(self, now: datetime | None = None) -> list[Faq]:
        now = now or utcnow()
        return [faq for faq in self.all() if faq.is_live(now)]

    def get(self, faq_id: str) -> Faq | None:
        with self._db.session() as session:
            return session.get(Faq, faq_id)

    def questions(self) -> dict[str, str]:
        """Every FAQ's main question by id."""
        with self._db.session() as session:
            return {
                faq_id: question
                for faq_id, question in session.execute(select(Faq.id, Faq.question))
            }

    def count(self) -> int:
        with self._db.session() as session:
            return session.scalar(select(func.count()).select_from(Faq)) or 0
