from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta

from sqlalchemy import func, select

from bot.complaints.models import Complaint, Status
from bot.complaints.service import (
    MAX_FAILURES_PER_NUMBER,
    ComplaintDraft,
    ComplaintService,
    Lookup,
)
from bot.db import Database

DRAFT = ComplaintDraft(
    channel="web",
    sender="web:u1",
    phone="13812345678",
    target="云游国际旅行社（导游）",
    incident_time="昨天下午",
    place="云溪古镇",
    category="强制购物",
    description="导游强迫我们去玉器店购物",
)
NOW = datetime(2026, 11, 23, 10, 0)


def test_numbers_are_ts_date_and_a_daily_sequence(db: Database) -> None:
    service = ComplaintService(db)
    first = service.submit(DRAFT, idempotency_key="a", now=NOW)
    second = service.submit(DRAFT, idempotency_key="b", now=NOW)
    next_day = service.submit(DRAFT, idempotency_key="c", now=datetime(2026, 11, 24, 9))
    assert (first.number, second.number) == ("TS20261123001", "TS20261123002")
    assert next_day.number == "TS20261124001"
    assert first.status == Status.received
    assert service.get("ts20261123002") is not None


def test_the_same_key_never_makes_two_work_orders(db: Database) -> None:
    service = ComplaintService(db)
    with ThreadPoolExecutor(max_workers=8) as pool:
        numbers = set(
            pool.map(lambda _: service.submit(DRAFT, idempotency_key="k").number, range(16))
        )
    assert numbers == {next(iter(numbers))}
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(Complaint)) == 1


def test_concurrent_different_complaints_get_distinct_numbers(db: Database) -> None:
    service = ComplaintService(db)
    with ThreadPoolExecutor(max_workers=6) as pool:
        numbers = list(
            pool.map(
                lambda i: service.submit(DRAFT, idempotency_key=f"k{i}", now=NOW).number, range(12)
            )
        )
    assert sorted(numbers) == [f"TS20261123{i:03d}" for i in range(1, 13)]


def test_unknown_number_is_none(db: Database) -> None:
    assert ComplaintService(db).get("TS20990101001") is None


def test_details_need_the_phones_last_four_digits_and_guessing_is_limited(db: Database) -> None:
    service = ComplaintService(db)
    number = service.submit(DRAFT, idempotency_key="d1", now=NOW).number
    outcome, complaint = service.details(number, "5678", sender="web:u1", now=NOW)
    assert outcome is Lookup.ok and complaint is not None and complaint.number == number
    assert service.details("TS20990101001", "5678", sender="web:u1", now=NOW)[0] is Lookup.unknown
    for guess in ("0000", "1111", "2222", "3333"):
        assert service.details(number, guess, sender="web:x", now=NOW)[0] is Lookup.wrong
    # the fifth wrong guess within the hour locks the number, even for the right digits
    assert service.details(number, "4444", sender="web:y", now=NOW)[0] is Lookup.wrong
    assert service.details(number, "5678", sender="web:u1", now=NOW)[0] is Lookup.locked
    later = NOW + timedelta(hours=1, minutes=1)
    assert service.details(number, "5678", sender="web:u1", now=later)[0] is Lookup.ok


def test_parallel_guesses_cannot_outrun_the_limit(db: Database) -> None:
    service = ComplaintService(db)
    number = service.submit(DRAFT, idempotency_key="d2", now=NOW).number
    with ThreadPoolExecutor(max_workers=8) as pool:
        outcomes = list(
            pool.map(
                lambda n: service.details(number, f"{n:04d}", sender=f"web:p{n}", now=NOW)[0],
                range(16),
            )
        )
    assert outcomes.count(Lookup.wrong) <= MAX_FAILURES_PER_NUMBER
    assert outcomes.count(Lookup.locked) >= 16 - MAX_FAILURES_PER_NUMBER
