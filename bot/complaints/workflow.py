"""The work order's life: 已受理 → 已派单 → 处理中 → 已答复 → 已回访, or 不予受理 with a reason.

Every change takes the row lock, checks the transition is allowed and that it carries what it
needs (a department to assign to, the reply, a 1–5 satisfaction score, a reason to reject),
and writes an audit row in the same transaction.
"""

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.complaints.models import Complaint, ComplaintEvent, Status
from bot.db import Database, utcnow
from bot.exceptions import Conflict, InvalidInput, NotFound

ALLOWED: dict[Status, frozenset[Status]] = {
    Status.received: frozenset({Status.assigned, Status.rejected}),
    Status.assigned: frozenset({Status.in_progress, Status.received}),  # 退单: sent back
    Status.in_progress: frozenset({Status.replied}),
    Status.replied: frozenset({Status.closed}),
    Status.closed: frozenset(),
    Status.rejected: frozenset(),
}


class InvalidTransition(Conflict):
    pass


@dataclass(frozen=True)
class Change:
    to: Status
    actor: str
    note: str = ""
    department: str | None = None
    reply: str | None = None
    satisfaction: int | None = None
    reason: str | None = None

    def check(self) -> None:
        if self.to == Status.assigned and not (self.department or "").strip():
            raise InvalidInput("派单需要指定承办部门（department）")
        if self.to == Status.replied and not (self.reply or "").strip():
            raise InvalidInput("答复需要填写答复内容（reply）")
        if self.to == Status.closed and self.satisfaction not in (1, 2, 3, 4, 5):
            raise InvalidInput("回访需要 1–5 的满意度评分（satisfaction）")
        if self.to == Status.rejected and not (self.reason or "").strip():
            raise InvalidInput("不予受理需要说明理由（reason）")


Notify = Callable[[Session, Complaint, int], None]


class Workflow:
    def __init__(self, db: Database, notify: Notify | None = None) -> None:
        self._db = db
        self._notify = notify

    def apply(self, number: str, change: Change) -> Complaint:
        change.check()
        with self._db.session() as session:
            complaint = session.scalar(
                select(Complaint).where(Complaint.number == number.upper()).with_for_update()
            )
            if complaint is None:
                raise NotFound(f"没有编号为 {number} 的投诉工单")
            current = Status(complaint.status)
            if change.to not in ALLOWED[current]:
                allowed = "、".join(s.value for s in ALLOWED[current]) or "无（已办结）"
                raise InvalidTransition(
                    f"工单 {complaint.number} 当前为「{current.value}」，"
                    f"不能改为「{change.to.value}」；可改为：{allowed}"
                )
            complaint.status = change.to
            complaint.updated_at = utcnow()
            if change.department:
                complaint.department = change.department.strip()
            if change.reply:
                complaint.reply = change.reply.strip()
            if change.satisfaction is not None:
                complaint.satisfaction = change.satisfaction
            if change.reason:
                complaint.reject_reason = change.reason.strip()
            event = ComplaintEvent(
                complaint_id=complaint.id,
                from_status=current.value,
                to_status=change.to.value,
                actor=change.actor,
                note=change.note or change.reason or "",
            )
            session.add(event)
            session.flush()
            if self._notify is not None:
                self._notify(session, complaint, event.id)
        return complaint

    def history(self, number: str) -> list[ComplaintEvent]:
        with self._db.session() as session:
            return list(
                session.scalars(
                    select(ComplaintEvent)
                    .join(Complaint, Complaint.id == ComplaintEvent.complaint_id)
                    .where(Complaint.number == number.upper())
                    .order_by(ComplaintEvent.id)
                )
            )
