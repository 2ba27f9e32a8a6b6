"""The administration's view of the work orders: filters, deadlines, statistics."""

import statistics
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select

from bot.complaints.deadlines import due_at
from bot.complaints.models import Complaint, ComplaintEvent, Status
from bot.complaints.workflow import OPEN
from bot.db import Database, utcnow
from bot.messages import InboundMessage
from knowledge_base.questions import KbQuestion


@dataclass(frozen=True)
class Filters:
    status: Status | None = None
    category: str | None = None
    place: str | None = None
    since: date | None = None
    until: date | None = None
    overdue: bool | None = None
    phone: str | None = None  # the caller's earlier work orders


@dataclass(frozen=True)
class QueueItem:
    complaint: Complaint
    due: datetime
    overdue: bool


class ComplaintQueue:
    def __init__(self, db: Database, deadlines: dict[str, int], holidays: list[date]) -> None:
        self._db = db
        self._deadlines = deadlines
        self._holidays = holidays

    def item(self, complaint: Complaint, now: datetime | None = None) -> QueueItem:
        due = due_at(
            complaint.created_at,
            complaint.category,
            self._deadlines,
            self._holidays,
            complaint.extension_days or 0,
        )
        overdue = Status(complaint.status) in OPEN and (now or utcnow()) > due
        return QueueItem(complaint, due, overdue)

    def find(
        self, filters: Filters, now: datetime | None = None, limit: int = 1000
    ) -> list[QueueItem]:
        query = select(Complaint).order_by(Complaint.created_at.desc())
        if filters.status is not None:
            query = query.where(Complaint.status == filters.status)
        if filters.category:
            query = query.where(Complaint.category == filters.category)
        if filters.place:
            query = query.where(Complaint.place.contains(filters.place))
        if filters.phone:
            query = query.where(Complaint.phone == filters.phone)
        if filters.since:
            query = query.where(
                Complaint.created_at >= datetime.combine(filters.since, datetime.min.time())
            )
        if filters.until:
            query = query.where(
                Complaint.created_at <= datetime.combine(filters.until, datetime.max.time())
            )
        with self._db.session() as session:
            complaints = list(session.scalars(query.limit(limit)))
        items = [self.item(c, now) for c in complaints]
        if filters.overdue is not None:
            items = [i for i in items if i.overdue == filters.overdue]
        return items

    def statistics(self, now: datetime | None = None) -> dict[str, object]:
        items = self.find(Filters(), now, limit=1_000_000)
        complaints = [i.complaint for i in items]
        open_items = [i for i in items if Status(i.complaint.status) in OPEN]
        with self._db.session() as session:
            replied_at = dict(
                session.execute(
                    select(ComplaintEvent.complaint_id, func.min(ComplaintEvent.at))
                    .where(ComplaintEvent.to_status == Status.replied.value)
                    .group_by(ComplaintEvent.complaint_id)
                ).all()
            )
            conversations = (
                session.scalar(select(func.count(func.distinct(InboundMessage.sender)))) or 0
            )
            turns = (
                session.scalar(
                    select(func.count())
                    .select_from(InboundMessage)
                    .where(InboundMessage.replies.is_not(None))
                )
                or 0
            )
            answered = (
                session.scalar(
                    select(func.count())
                    .select_from(KbQuestion)
                    .where(KbQuestion.decision == "answer")
                )
                or 0
            )
        hours = [
            (replied_at[c.id] - c.created_at).total_seconds() / 3600
            for c in complaints
            if c.id in replied_at
        ]
        due = {i.complaint.id: i.due for i in items}
        on_time = [replied_at[c.id] <= due[c.id] for c in complaints if c.id in replied_at]
        rated = [c.satisfaction for c in complaints if c.satisfaction is not None]
        return {
            "total": len(complaints),
            "by_status": dict(Counter(str(c.status) for c in complaints)),
            "by_category": dict(Counter(c.category for c in complaints)),
            # 云溪古镇（金凤凰玉器店） counts for 云溪古镇: the premise is the case officer's.
            "by_place": dict(Counter(c.place.split("（")[0] for c in complaints)),
            "open": len(open_items),
            "overdue": sum(1 for i in open_items if i.overdue),
            "overdue_rate": (
                round(sum(1 for i in open_items if i.overdue) / len(open_items), 4)
                if open_items
                else 0.0
            ),
            "median_hours_to_reply": round(statistics.median(hours), 2) if hours else None,
            # the hotline KPIs 12345 centres publish
            "on_time_rate": _rate(on_time),
            "satisfaction_rate": _rate([score >= 4 for score in rated]),
            # turns answered outright from an FAQ, of all turns the bot replied to
            "direct_answer_rate": round(min(answered / turns, 1.0), 4) if turns else None,
            "conversations": conversations,
            "complaints_per_1000_conversations": (
                round(1000 * len(complaints) / conversations, 2) if conversations else None
            ),
        }


def _rate(flags: list[bool]) -> float | None:
    """Share of True, None when there is nothing to count."""
    return round(sum(flags) / len(flags), 4) if flags else None
