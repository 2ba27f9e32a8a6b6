from dataclasses import replace
from datetime import date, datetime

from bot.complaints.deadlines import DEFAULT_DEADLINES, add_working_days
from bot.complaints.models import Status
from bot.complaints.queue import ComplaintQueue, Filters
from bot.complaints.service import ComplaintService
from bot.complaints.workflow import Change, Workflow
from bot.db import Database
from bot.messages import MessageLog, Outcome
from knowledge_base.questions import QuestionLog
from knowledge_base.search import Hit, SearchResult
from tests.bot.complaints.test_service import DRAFT

MONDAY = datetime(2026, 11, 23, 10)


def test_working_days_skip_weekends_and_holidays() -> None:
    assert add_working_days(date(2026, 11, 27), 1) == date(2026, 11, 30)  # Friday → Monday
    assert add_working_days(date(2026, 12, 30), 2, [date(2026, 12, 31)]) == date(2027, 1, 4)


def test_overdue_orders_stand_out_and_filters_combine(db: Database) -> None:
    service = ComplaintService(db)
    shopping = service.submit(DRAFT, idempotency_key="q1", now=MONDAY)
    safety = service.submit(
        replace(DRAFT, category="安全隐患", place="青峰山风景区"), idempotency_key="q2", now=MONDAY
    )
    queue = ComplaintQueue(db, DEFAULT_DEADLINES, holidays=[])
    # 安全隐患 has 3 working days (due Thursday), 强制购物 10 (due 2026-12-07).
    friday = datetime(2026, 11, 27, 9)
    assert [i.complaint.number for i in queue.find(Filters(overdue=True), friday)] == [
        safety.number
    ]
    assert queue.item(shopping, friday).due == datetime(2026, 12, 7, 23, 59, 59)
    Workflow(db).apply(safety.number, Change(Status.assigned, "admin", department="安全科"))
    Workflow(db).apply(safety.number, Change(Status.in_progress, "admin"))
    Workflow(db).apply(safety.number, Change(Status.replied, "admin", reply="已整改"))
    assert queue.find(Filters(overdue=True), friday) == []  # replied: no longer late
    assert len(queue.find(Filters(category="强制购物", place="古镇"))) == 1
    assert queue.find(Filters(status=Status.replied))[0].complaint.number == safety.number
    assert queue.find(Filters(since=date(2026, 11, 24))) == []


def test_statistics(db: Database) -> None:
    service = ComplaintService(db)
    log = MessageLog(db)
    questions = QuestionLog(db)
    for n, sender in enumerate(("web:a", "web:b", "sms:c", "web:a")):
        recorded = log.record(request_id="r", channel="web", sender=sender, text="你好", meta={})
        log.finish(recorded.id, outcome=Outcome.answered, replies=[{"text": "…"}])
        hits = [Hit("faq-0001", 0.97, "门票多少钱", "120元")]
        decision = "answer" if n < 3 else "none"  # three answered from an FAQ
        questions.record(SearchResult("门票多少钱", decision, hits), "web")
    first = service.submit(DRAFT, idempotency_key="s1", now=MONDAY)
    premise = "云溪古镇（金凤凰玉器店）"
    service.submit(
        replace(DRAFT, category="价格欺诈", place=premise), idempotency_key="s2", now=MONDAY
    )
    workflow = Workflow(db, clock=lambda: datetime(2026, 11, 25, 15))  # replied in time
    workflow.apply(first.number, Change(Status.assigned, "admin", department="x"))
    workflow.apply(first.number, Change(Status.in_progress, "admin"))
    workflow.apply(first.number, Change(Status.replied, "admin", reply="ok"))
    stats = ComplaintQueue(db, DEFAULT_DEADLINES, []).statistics(datetime(2026, 12, 31))
    assert stats["total"] == 2
    assert stats["by_category"] == {"强制购物": 1, "价格欺诈": 1}
    assert stats["by_status"] == {"已答复": 1, "已受理": 1}
    assert stats["by_place"] == {"云溪古镇": 2}  # by area: the premise is the case officer's
    assert (stats["open"], stats["overdue"], stats["overdue_rate"]) == (1, 1, 1.0)
    assert stats["median_hours_to_reply"] is not None
    assert stats["conversations"] == 3
    assert stats["complaints_per_1000_conversations"] == 666.67
    assert (stats["on_time_rate"], stats["satisfaction_rate"]) == (1.0, None)
    assert stats["direct_answer_rate"] == 0.75
    workflow.apply(first.number, Change(Status.closed, "admin", satisfaction=3))
    stats = ComplaintQueue(db, DEFAULT_DEADLINES, []).statistics(datetime(2026, 12, 31))
    assert stats["satisfaction_rate"] == 0.0
