"""The work order's life: 已受理 → 已派单 → 处理中 → 已答复 → 已回访, or 不予受理 with a reason,
and the 12345 closed loop's actions on the way: 签收 (the department acknowledges: 已派单 →
处理中), 退单 (it sends a mis-dispatched order back: 已派单 → 已受理), 延期 (more working days,
with a reason) and 督办 (supervision of an overdue order).

Every change takes the row lock, checks that it is allowed and carries what it needs, writes
an audit row and stages the tourist's notification — all in one transaction.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.complaints.models import Complaint, ComplaintEvent, Status
from bot.db import Database, utcnow
from bot.exceptions import Conflict, InvalidInput, NotFound

ALLOWED: dict[Status, frozenset[Status]] = {
    Status.received: frozenset({Status.assigned, Status.rejected}),
    Status.assigned: frozenset({Status.in_progress, Status.received}),
    Status.in_progress: frozenset({Status.replied}),
    Status.replied: frozenset({Status.closed}),
    Status.closed: frozenset(),
    Status.rejected: frozenset(),
}
ACTION_OF = {  # the 12345 names of the transitions a department makes
    (Status.assigned, Status.in_progress): "签收",
    (Status.assigned, Status.received): "退单",
}
OPEN = frozenset({Status.received, Status.assigned, Status.in_progress})
EXTENDABLE = frozenset({Status.assigned, Status.in_progress})
MAX_EXTENSION_DAYS = 30  # in all, per work order

Notify = Callable[[Session, Complaint, ComplaintEvent], None]


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

    def check(self, departments: Sequence[str]) -> None:
        if self.to == Status.assigned:
            if not (self.department or "").strip():
                raise InvalidInput("派单需要指定承办部门（department）")
            if departments and self.department not in departments:
                raise InvalidInput(
                    f"没有「{self.department}」这个承办部门；可选：{'、'.join(departments)}"
                )
        if self.to == Status.replied and not (self.reply or "").strip():
            raise InvalidInput("答复需要填写答复内容（reply）")
        if self.to == Status.closed and self.satisfaction not in (1, 2, 3, 4, 5):
            raise InvalidInput("回访需要 1–5 的满意度评分（satisfaction）")
        if self.to == Status.rejected and not (self.reason or "").strip():
            raise InvalidInput("不予受理需要说明理由（reason）")


class Workflow:
    def __init__(
        self,
        db: Database,
        notify: Notify | None = None,
        departments: Sequence[str] = (),
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self._db = db
        self._notify = notify
        self.departments = list(departments)
        self._clock = clock

    def apply(self, number: str, change: Change) -> Complaint:
        change.check(self.departments)
        with self._db.session() as session:
            complaint = _locked(session, number)
            current = Status(complaint.status)
            if change.to not in ALLOWED[current]:
                allowed = "、".join(s.value for s in ALLOWED[current]) or "无（已办结）"
                raise InvalidTransition(
                    f"工单 {complaint.number} 当前为「{current.value}」，"
                    f"不能改为「{change.to.value}」；可改为：{allowed}"
                )
            complaint.status = change.to
            complaint.updated_at = self._clock()
            if change.department:
                complaint.department = change.department.strip()
            if change.reply:
                complaint.reply = change.reply.strip()
            if change.satisfaction is not None:
                complaint.satisfaction = change.satisfaction
            if change.reason:
                complaint.reject_reason = change.reason.strip()
            self._record(
                session,
                complaint,
                current,
                actor=change.actor,
                note=change.note or change.reason or "",
                action=ACTION_OF.get((current, change.to)),
            )
        return complaint

    def extend(self, number: str, *, days: int, reason: str, actor: str) -> Complaint:
        """延期: the department needs ``days`` more working days, and says why."""
        if not reason.strip():
            raise InvalidInput("延期需要说明理由（reason）")
        if not 1 <= days <= MAX_EXTENSION_DAYS:
            raise InvalidInput(f"延期天数须为 1–{MAX_EXTENSION_DAYS} 个工作日")
        with self._db.session() as session:
            complaint = _locked(session, number)
            current = Status(complaint.status)
            if current not in EXTENDABLE:
                raise InvalidTransition(
                    f"工单 {complaint.number} 当前为「{current.value}」，"
                    "只有已派单或处理中的工单可以延期"
                )
            if complaint.extension_days + days > MAX_EXTENSION_DAYS:
                raise InvalidTransition(
                    f"工单 {complaint.number} 已延期 {complaint.extension_days} 个工作日，"
                    f"合计不能超过 {MAX_EXTENSION_DAYS} 个"
                )
            complaint.extension_days += days
            complaint.updated_at = self._clock()
            note = f"延期 {days} 个工作日：{reason.strip()}"
            self._record(session, complaint, current, actor=actor, note=note, action="延期")
        return complaint

    def supervise(
        self, number: str, *, note: str, actor: str, overdue: Callable[[Complaint], bool]
    ) -> Complaint:
        """督办: the centre presses the department on an open work order past its deadline."""
        with self._db.session() as session:
            complaint = _locked(session, number)
            current = Status(complaint.status)
            if current not in OPEN or not overdue(complaint):
                raise InvalidTransition(f"工单 {complaint.number} 未超期，无需督办")
            complaint.supervised_at = self._clock()
            self._record(
                session, complaint, current, actor=actor, note=note.strip() or "督办", action="督办"
            )
        return complaint

    def _record(
        self,
        session: Session,
        complaint: Complaint,
        before: Status,
        *,
        actor: str,
        note: str,
        action: str | None,
    ) -> None:
        event = ComplaintEvent(
            complaint_id=complaint.id,
            from_status=before.value,
            to_status=Status(complaint.status).value,
            actor=actor,
            note=note,
            action=action,
            at=self._clock(),
        )
        session.add(event)
        session.flush()
        if self._notify is not None:
            self._notify(session, complaint, event)

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


def _locked(session: Session, number: str) -> Complaint:
    complaint = session.scalar(
        select(Complaint).where(Complaint.number == number.upper()).with_for_update()
    )
    if complaint is None:
        raise NotFound(f"没有编号为 {number} 的投诉工单")
    return complaint
