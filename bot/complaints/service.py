"""Commit a work order exactly once and look it up by number."""

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.complaints.models import (
    Attachment,
    Complaint,
    ComplaintEvent,
    DailySequence,
    Status,
    StatusLookup,
)
from bot.db import Database, recent_failures, utcnow

LOOKUP_WINDOW = timedelta(hours=1)
MAX_FAILURES_PER_NUMBER = 5
MAX_FAILURES_PER_SENDER = 10
ATTACHMENT_WINDOW = timedelta(hours=24)  # images sent this long before the submit belong to it


class Lookup(enum.Enum):
    ok = "ok"
    wrong = "wrong"
    unknown = "unknown"
    locked = "locked"


@dataclass(frozen=True)
class ComplaintDraft:
    channel: str
    sender: str
    phone: str
    target: str
    incident_time: str
    place: str
    category: str
    description: str


class ComplaintService:
    def __init__(self, db: Database) -> None:
        self._db = db

    def submit(
        self, draft: ComplaintDraft, *, idempotency_key: str, now: datetime | None = None
    ) -> Complaint:
        """Commit the work order; the same key always returns the same work order."""
        moment = now or utcnow()
        for _attempt in range(5):
            existing = self.by_key(idempotency_key)
            if existing is not None:
                return existing
            try:
                with self._db.session() as session:
                    complaint = Complaint(
                        number=self._next_number(session, moment),
                        created_at=moment,
                        idempotency_key=idempotency_key,
                        status=Status.received,
                        **draft.__dict__,
                    )
                    session.add(complaint)
                    session.flush()
                    session.add(
                        ComplaintEvent(
                            complaint_id=complaint.id,
                            from_status=None,
                            to_status=Status.received.value,
                            actor=f"{draft.channel}:tourist",
                        )
                    )
                    session.execute(
                        update(Attachment)
                        .where(
                            Attachment.sender == draft.sender,
                            Attachment.complaint_id.is_(None),
                            Attachment.received_at >= moment - ATTACHMENT_WINDOW,
                        )
                        .values(complaint_id=complaint.id)
                    )
                return complaint
            except IntegrityError:
                continue  # a concurrent submit with the same key won: return its order
        raise RuntimeError("could not commit the complaint")

    def attach(self, *, sender: str, kind: str, media_id: str) -> None:
        """Keep a file the tourist sent for the work order this conversation submits next."""
        with self._db.session() as session:
            session.add(Attachment(sender=sender, kind=kind, media_id=media_id))

    def attachments(self, complaint_id: int) -> list[Attachment]:
        with self._db.session() as session:
            return list(
                session.scalars(
                    select(Attachment)
                    .where(Attachment.complaint_id == complaint_id)
                    .order_by(Attachment.id)
                )
            )

    @staticmethod
    def _next_number(session: Session, now: datetime) -> str:
        day = f"{now:%Y%m%d}"
        dialect = session.get_bind().dialect.name
        insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
        session.execute(insert(DailySequence).values(day=day, last=0).on_conflict_do_nothing())
        last = session.scalar(
            update(DailySequence)
            .where(DailySequence.day == day)
            .values(last=DailySequence.last + 1)
            .returning(DailySequence.last)
        )
        return f"TS{day}{last:03d}"

    def by_key(self, idempotency_key: str) -> Complaint | None:
        with self._db.session() as session:
            return session.scalar(
                select(Complaint).where(Complaint.idempotency_key == idempotency_key)
            )

    def details(
        self, number: str, last4: str, *, sender: str, now: datetime | None = None
    ) -> tuple[Lookup, Complaint | None]:
        """The work order if ``last4`` ends its phone; failed guesses are rate-limited per
        number and per sender. The guess is written as a failure before anything is counted or
        checked, so parallel guesses cannot outrun the limit."""
        moment = now or utcnow()
        since = moment - LOOKUP_WINDOW
        number = number.upper()
        attempt = StatusLookup(number=number, sender=sender, success=False, at=moment)
        with self._db.session() as session:
            session.add(attempt)
        with self._db.session() as session:
            by_number = recent_failures(session, StatusLookup.number, number, since)
            by_sender = recent_failures(session, StatusLookup.sender, sender, since)
            if by_number > MAX_FAILURES_PER_NUMBER or by_sender > MAX_FAILURES_PER_SENDER:
                return Lookup.locked, None
            complaint = session.scalar(select(Complaint).where(Complaint.number == number))
            if complaint is None:
                return Lookup.unknown, None
            if not complaint.phone.endswith(last4):
                return Lookup.wrong, None
            session.get_one(StatusLookup, attempt.id).success = True
            return Lookup.ok, complaint

    def get(self, number: str) -> Complaint | None:
        with self._db.session() as session:
            return session.scalar(select(Complaint).where(Complaint.number == number.upper()))
