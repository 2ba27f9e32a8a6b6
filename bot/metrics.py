"""``/metrics`` in Prometheus' text format: turns by channel and outcome with their latency,
and the state of the outbox, the complaint queue and the knowledge base at scrape time."""

import bisect
import threading
from collections import Counter
from collections.abc import Iterable

from sqlalchemy import func, select

from bot.complaints.models import Complaint
from bot.complaints.workflow import OPEN
from bot.db import Database
from bot.outbox import OutboxMessage

BUCKETS = (0.1, 0.25, 0.5, 1.0, 2.0, 3.5, 5.0, 10.0)


class Metrics:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._turns: Counter[tuple[str, str]] = Counter()
        self._buckets: Counter[tuple[str, float]] = Counter()
        self._sums: dict[str, float] = {}
        self._counts: Counter[str] = Counter()

    def turn(self, channel: str, outcome: str, seconds: float) -> None:
        with self._lock:
            self._turns[(channel, outcome)] += 1
            index = bisect.bisect_left(BUCKETS, seconds)
            for bound in BUCKETS[index:]:
                self._buckets[(channel, bound)] += 1
            self._sums[channel] = self._sums.get(channel, 0.0) + seconds
            self._counts[channel] += 1

    def render(self, db: Database, faqs: int) -> str:
        with self._lock:
            turns, buckets = dict(self._turns), dict(self._buckets)
            sums, counts = dict(self._sums), dict(self._counts)
        lines = [
            "# HELP hotline_turns_total Conversation turns by channel and outcome.",
            "# TYPE hotline_turns_total counter",
            *(
                f'hotline_turns_total{{channel="{c}",outcome="{o}"}} {n}'
                for (c, o), n in sorted(turns.items())
            ),
            "# HELP hotline_turn_seconds Time from a message's arrival to the bot's replies.",
            "# TYPE hotline_turn_seconds histogram",
        ]
        for channel in sorted(counts):
            for bound in BUCKETS:
                count = buckets.get((channel, bound), 0)
                lines.append(
                    f'hotline_turn_seconds_bucket{{channel="{channel}",le="{bound}"}} {count}'
                )
            lines += [
                f'hotline_turn_seconds_bucket{{channel="{channel}",le="+Inf"}} {counts[channel]}',
                f'hotline_turn_seconds_sum{{channel="{channel}"}} {sums[channel]:.6f}',
                f'hotline_turn_seconds_count{{channel="{channel}"}} {counts[channel]}',
            ]
        with db.session() as session:
            outbox = session.execute(
                select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
            ).all()
            complaints = session.execute(
                select(Complaint.status, func.count()).group_by(Complaint.status)
            ).all()
        lines += _gauge(
            "hotline_outbox_messages",
            "Outbound messages by status (pending, sent, held, failed).",
            ((f'status="{s}"', n) for s, n in outbox),
        )
        lines += _gauge(
            "hotline_complaints",
            "Complaint work orders by status.",
            ((f'status="{s}"', n) for s, n in complaints),
        )
        open_orders = sum(n for s, n in complaints if s in OPEN)
        lines += _gauge("hotline_complaints_open", "Open work orders.", [("", open_orders)])
        lines += _gauge("hotline_kb_faqs", "Published FAQs in the index.", [("", faqs)])
        return "\n".join(lines) + "\n"


def _gauge(name: str, help_text: str, samples: Iterable[tuple[str, int]]) -> list[str]:
    rows = [f"# HELP {name} {help_text}", f"# TYPE {name} gauge"]
    rows += [f"{name}{{{labels}}} {n}" if labels else f"{name} {n}" for labels, n in samples]
    return rows
