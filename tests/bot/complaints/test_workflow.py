from datetime import datetime

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


def test_the_12345_closed_loop_sign_send_back_extend_supervise(db: Database) -> None:
    from bot.complaints.queue import ComplaintQueue

    number = ComplaintService(db).submit(DRAFT, idempotency_key="w12345", now=NOW).number
    departments = ["市场监督管理局", "交通运输局"]
    workflow = Workflow(db, departments=departments)
    queue = ComplaintQueue(db, {"强制购物": 10, "其他": 10}, [])
    with pytest.raises(InvalidInput, match="可选：市场监督管理局、交通运输局"):
        workflow.apply(number, Change(Status.assigned, "admin", department="市场监管科"))
    workflow.apply(number, Change(Status.assigned, "admin", department="交通运输局"))
    workflow.apply(number, Change(Status.received, "交通运输局", note="不属于本部门职责"))  # 退单
    workflow.apply(number, Change(Status.assigned, "admin", department="市场监督管理局"))
    workflow.apply(number, Change(Status.in_progress, "市场监督管理局"))  # 签收

    due_before = queue.item(ComplaintService(db).get(number)).due
    extended = workflow.extend(number, days=5, reason="需调取景区监控", actor="市场监督管理局")
    assert extended.extension_days == 5
    assert (queue.item(extended).due - due_before).days >= 7  # 5 working days, a weekend
    with pytest.raises(InvalidTransition, match="合计不能超过"):
        workflow.extend(number, days=26, reason="再延", actor="x")
    with pytest.raises(InvalidInput, match="理由"):
        workflow.extend(number, days=1, reason=" ", actor="x")

    with pytest.raises(InvalidTransition, match="未超期"):
        workflow.supervise(number, note="请尽快办理", actor="admin", overdue=lambda c: False)
    later = datetime(2027, 1, 4, 9, 0)
    supervised = workflow.supervise(
        number, note="请尽快办理", actor="admin", overdue=lambda c: queue.item(c, later).overdue
    )
    assert supervised.supervised_at is not None

    actions = [(e.action, e.to_status) for e in workflow.history(number)][1:]
    assert actions == [
        (None, "已派单"),
        ("退单", "已受理"),
        (None, "已派单"),
        ("签收", "处理中"),
        ("延期", "处理中"),
        ("督办", "处理中"),
    ]
    workflow.apply(number, Change(Status.replied, "市场监督管理局", reply="已责令退款"))
    with pytest.raises(InvalidTransition, match="只有已派单或处理中"):
        workflow.extend(number, days=1, reason="x", actor="x")
