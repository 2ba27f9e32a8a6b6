"""Deadlines in working days (Monday–Friday, minus the configured public holidays)."""

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

# Working days to reply, per category (the tourism-complaint rules give the business 10 days
# to answer; urgent safety matters get less). Overridden by HOTLINE_COMPLAINT_DEADLINES.
DEFAULT_DEADLINES = {
    "强制购物": 10,
    "价格欺诈": 10,
    "服务态度": 10,
    "安全隐患": 3,
    "合同违约": 10,
    "退费纠纷": 10,
    "环境卫生": 5,
    "其他": 10,
}


def add_working_days(start: date, days: int, holidays: Iterable[date] = ()) -> date:
    off = set(holidays)
    current = start
    while days > 0:
        current += timedelta(days=1)
        if current.weekday() < 5 and current not in off:
            days -= 1
    return current


def due_at(
    created: datetime,
    category: str,
    deadlines: dict[str, int],
    holidays: Iterable[date] = (),
    extension_days: int = 0,
) -> datetime:
    """End of the last working day the work order may take (its 延期 included)."""
    days = deadlines.get(category, deadlines.get("其他", 10)) + extension_days
    return datetime.combine(add_working_days(created.date(), days, holidays), time(23, 59, 59))
