import pytest

from bot.complaints.models import Status
from bot.complaints.service import ComplaintService
from bot.complaints.workflow import Change, InvalidTransition, Workflow
from bot.db import Database
from bot.exceptions import InvalidInput, NotFound
from tests.bot.complaints.test_service import DRAFT, NOW


def test_a_work_order_goes_from_received_to_closed_with_an_audit_row_each_step(
    db: Database,
) -> None:
    number = ComplaintService(db).submit(DRAFT, idempotency_key="w1", now=NOW).number
    workflow = Workflow(db)
    workflow.apply(number, Change(Status.assigned, "admin", department="市场监管科"))
    workflow.apply(number, Change(Status.in_progress, "dept", note="已联系旅行社"))
    workflow.apply(number, Change(Status.replied, "dept", reply="旅行社已退还购物款"))
    closed = workflow.apply(number, Change(Status.closed, "admin", satisfaction=5))
    assert (closed.status, closed.department, closed.satisfaction) == (
        Status.closed,
        "市场监管科",
        5,
    )
    steps = [(e.from_status, e.to_status, e.actor) for e in workflow.history(number)]
    assert steps == [
        (None, "已受理", "web:tourist"),
        ("已受理", "已派单", "admin"),
        ("已派单", "处理中", "dept"),
        ("处理中", "已答复", "dept"),
        ("已答复", "已回访", "admin"),
    ]


def test_invalid_transitions_are_refused_with_the_reason(db: Database) -> None:
    number = ComplaintService(db).submit(DRAFT, idempotency_key="w2", now=NOW).number
    workflow = Workflow(db)
    with pytest.raises(InvalidTransition, match="当前为「已受理」，不能改为「已答复」；可改为"):
        workflow.apply(number, Change(Status.replied, "admin", reply="x"))
    with pytest.raises(InvalidInput, match="承办部门"):
        workflow.apply(number, Change(Status.assigned, "admin"))
    with pytest.raises(InvalidInput, match="理由"):
        workflow.apply(number, Change(Status.rejected, "admin", reason="  "))
    workflow.apply(number, Change(Status.rejected, "admin", reason="超过90天投诉时效"))
    with pytest.raises(InvalidTransition, match="已办结"):
        workflow.apply(number, Change(Status.assigned, "admin", department="x"))
    with pytest.raises(InvalidInput, match="满意度"):
        workflow.apply(number, Change(Status.closed, "admin", satisfaction=6))
    with pytest.raises(NotFound):
        workflow.apply("TS20000101001", Change(Status.assigned, "admin", department="x"))
    assert len(workflow.history(number)) == 2  # refused changes leave no trace
