"""Outbound messages (pushed replies, status notifications) through a table with retries.

A message is committed to the outbox in the same transaction as the change that causes it,
then a worker delivers it through the channel's provider. A provider that is down only delays
delivery (exponential back-off); a permanent refusal falls back to the message's fallback
route (e.g. SMS to the complaint's phone) or fails visibly. A WeChat customer-service quota
that is spent holds the message until the tourist writes again (which reopens the window).
"""

import asyncio
import enum
import logging
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any, Protocol

from anyio import to_thread
from sqlalchemy import JSON, DateTime, Enum, Integer, String, Text, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column

from bot.db import Base, Database, utcnow
from bot.exceptions import HotlineError

log = logging.getLogger(__name__)
BACKOFF_SECONDS = (5, 30, 120, 600, 1800, 3600)
MAX_ATTEMPTS = 10
LEASE_SECONDS = 60  # a claimed message is retried by anyone after this if its worker died


class OutboxStatus(enum.StrEnum):
    pending = "pending"
    sent = "sent"
    held = "held"  # waiting for the recipient to reopen the channel's window
    failed = "failed"


class OutboxMessage(Base):
    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    recipient: Mapped[str] = mapped_column(String(128), index=True)
    text: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(16))  # reply | notification
    source: Mapped[str | None] = mapped_column(String(160), unique=True, nullable=True)
    # where to try next if this route refuses for good: [{"channel", "recipient"}, ...]
    fallback: Mapped[list[dict[str, str]] | None] = mapped_column(JSON, nullable=True)
    status: Mapped[OutboxStatus] = mapped_column(
        Enum(OutboxStatus, native_enum=False), default=OutboxStatus.pending, index=True
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    provider_id: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    provider_status: Mapped[str | None] = mapped_column(String(32), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)


class DeliveryError(HotlineError):
    """The provider did not take the message. ``retry``: worth trying again later;
    ``held``: the recipient must write first (WeChat's 48-hour window or quota)."""

    def __init__(self, message: str, *, retry: bool = True, held: bool = False) -> None:
        super().__init__(message)
        self.retry = retry
        self.held = held


class Provider(Protocol):
    channel: str

    def send(self, recipient: str, text: str) -> str | None:
        """Deliver one text; returns the provider's message id, raises DeliveryError."""
        ...


class Outbox:
    def __init__(
        self,
        db: Database,
        providers: Sequence[Provider] = (),
        *,
        clock: Callable[[], datetime] = utcnow,
        backoff: Sequence[float] = BACKOFF_SECONDS,
        max_attempts: int = MAX_ATTEMPTS,
    ) -> None:
        self._db = db
        self.providers = {p.channel: p for p in providers}
        self._clock = clock
        self._backoff = backoff
        self._max_attempts = max_attempts

    def enqueue(
        self,
        *,
        channel: str,
        recipient: str,
        text: str,
        kind: str,
        source: str | None = None,
        fallback: list[dict[str, str]] | None = None,
        session: Session | None = None,
    ) -> None:
        """Stage a message; inside ``session`` it commits with the caller's change.
        A ``source`` already in the outbox is not sent twice."""
        message = OutboxMessage(
            channel=channel,
            recipient=recipient,
            text=text,
            kind=kind,
            source=source,
            fallback=fallback,
            next_attempt_at=self._clock(),
        )
        if session is not None:
            session.add(message)
            return
        try:
            with self._db.session() as own:
                own.add(message)
        except IntegrityError:
            log.info("outbox: %s is already queued", source)

    def deliver_due(self, limit: int = 20) -> int:
        """One pass over the messages that are due; returns how many were sent."""
        now = self._clock()
        with self._db.session() as session:
            due = list(
                session.scalars(
                    select(OutboxMessage)
                    .where(
                        OutboxMessage.status == OutboxStatus.pending,
                        OutboxMessage.next_attempt_at <= now,
                    )
                    .order_by(OutboxMessage.id)
                    .limit(limit)
                )
            )
        return sum(self._deliver(message, now) for message in due if self._claim(message, now))

    def _claim(self, message: OutboxMessage, now: datetime) -> bool:
        """Compare-and-set on the due time, so two workers never send one message."""
        with self._db.session() as session:
            claimed = session.execute(
                update(OutboxMessage)
                .where(
                    OutboxMessage.id == message.id,
                    OutboxMessage.next_attempt_at == message.next_attempt_at,
                    OutboxMessage.status == OutboxStatus.pending,
                )
                .values(next_attempt_at=now + timedelta(seconds=LEASE_SECONDS))
            )
        return bool(claimed.rowcount)  # type: ignore[attr-defined]

    def _deliver(self, message: OutboxMessage, now: datetime) -> bool:
        values: dict[str, Any] = {"attempts": message.attempts + 1}
        provider = self.providers.get(message.channel)
        try:
            if provider is None:
                raise DeliveryError(f"渠道 {message.channel} 未配置，无法发送", retry=False)
            values["provider_id"] = provider.send(message.recipient, message.text)
            values.update(status=OutboxStatus.sent, sent_at=self._clock(), last_error=None)
        except DeliveryError as exc:
            values["last_error"] = str(exc)
            values.update(self._after_failure(message, exc, now))
        with self._db.session() as session:
            session.execute(
                update(OutboxMessage).where(OutboxMessage.id == message.id).values(**values)
            )
        log.info(
            "outbox %s → %s: %s (attempt %d)%s",
            message.id,
            message.channel,
            values.get("status", "retry"),
            values["attempts"],
            f" — {values['last_error']}" if values.get("last_error") else "",
        )
        return values.get("status") == OutboxStatus.sent

    def _after_failure(
        self, message: OutboxMessage, exc: DeliveryError, now: datetime
    ) -> dict[str, Any]:
        exhausted = message.attempts + 1 >= self._max_attempts
        if (not exc.retry or exhausted) and message.fallback:
            route, *rest = message.fallback
            self.enqueue(
                channel=route["channel"],
                recipient=route["recipient"],
                text=message.text,
                kind=message.kind,
                source=f"{message.source or message.id}:{route['channel']}",
                fallback=rest or None,
            )
            return {"status": OutboxStatus.failed}
        if exc.held:
            return {"status": OutboxStatus.held}
        if not exc.retry or exhausted:
            return {"status": OutboxStatus.failed}
        delay = self._backoff[min(message.attempts, len(self._backoff) - 1)]
        return {"status": OutboxStatus.pending, "next_attempt_at": now + timedelta(seconds=delay)}

    def release_held(self, channel: str, recipient: str) -> int:
        """The recipient wrote again: messages held for their window go out now."""
        with self._db.session() as session:
            result = session.execute(
                update(OutboxMessage)
                .where(
                    OutboxMessage.channel == channel,
                    OutboxMessage.recipient == recipient,
                    OutboxMessage.status == OutboxStatus.held,
                )
                .values(status=OutboxStatus.pending, next_attempt_at=self._clock())
            )
        return int(result.rowcount)  # type: ignore[attr-defined]

    def sent_since(self, channel: str, recipient: str, since: datetime) -> int:
        with self._db.session() as session:
            return int(
                session.scalar(
                    select(func.count())
                    .select_from(OutboxMessage)
                    .where(
                        OutboxMessage.channel == channel,
                        OutboxMessage.recipient == recipient,
                        OutboxMessage.status == OutboxStatus.sent,
                        OutboxMessage.sent_at >= since,
                    )
                )
                or 0
            )

    def record_status(self, provider_id: str, status: str, error: str | None = None) -> bool:
        """A provider's delivery report (e.g. Twilio's status callback)."""
        with self._db.session() as session:
            result = session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.provider_id == provider_id)
                .values(provider_status=status[:32], last_error=error)
            )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    def recent(
        self, *, status: OutboxStatus | None = None, limit: int = 100
    ) -> list[OutboxMessage]:
        query = select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(limit)
        if status is not None:
            query = query.where(OutboxMessage.status == status)
        with self._db.session() as session:
            return list(session.scalars(query))


class OutboxWorker:
    """Delivers due outbox messages every ``interval`` seconds in the app process."""

    def __init__(self, outbox: Outbox, interval: float = 1.0) -> None:
        self._outbox = outbox
        self._interval = interval
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._run())

    async def _run(self) -> None:
        while True:
            try:
                await to_thread.run_sync(self._outbox.deliver_due)
            except Exception:  # the worker must outlive a database hiccup; the row stays due
                log.exception("outbox pass failed")
            await asyncio.sleep(self._interval)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            try:
                await self._task
            except asyncio.CancelledError:
                pass
            self._task = None
