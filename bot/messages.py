"""Every inbound message is committed before it is processed, with its outcome after.

A channel that redelivers (WeChat retries a message up to three times) passes a de-dup key;
the key is unique in the table, so whichever delivery inserts first owns the turn and the
others find its row — across processes and restarts, with no separate de-dup store.
"""

import enum
import json
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import JSON, DateTime, Enum, Integer, String, Text, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from bot.db import Base, Database, utcnow


class Outcome(enum.StrEnum):
    received = "received"  # stored, not processed yet (or the process died on it)
    answered = "answered"  # the engine answered
    degraded = "degraded"  # the engine was unreachable; the app answered on its own
    failed = "failed"  # processing raised; nothing was answered
    replayed = "replayed"  # a degraded or failed message later sent through the engine


REPLAYABLE = (Outcome.received, Outcome.degraded, Outcome.failed)


class Delivery(enum.StrEnum):
    reply = "reply"  # the replies went back in the webhook's response
    push = "push"  # too slow for the response; the replies go out through the outbox


class InboundMessage(Base):
    __tablename__ = "inbound_messages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    request_id: Mapped[str] = mapped_column(String(32), index=True)
    channel: Mapped[str] = mapped_column(String(16))
    sender: Mapped[str] = mapped_column(String(128), index=True)
    text: Mapped[str] = mapped_column(Text)
    meta: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    dedup_key: Mapped[str | None] = mapped_column(String(160), unique=True, nullable=True)
    received_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    outcome: Mapped[Outcome] = mapped_column(
        Enum(Outcome, native_enum=False), default=Outcome.received
    )
    delivery: Mapped[Delivery] = mapped_column(
        Enum(Delivery, native_enum=False), default=Delivery.reply
    )
    replies: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON, nullable=True)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    processed_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)


@dataclass(frozen=True)
class Recorded:
    id: int
    duplicate: bool  # another delivery of the same message was stored first


class MessageLog:
    def __init__(self, db: Database) -> None:
        self._db = db

    def record(
        self,
        *,
        request_id: str,
        channel: str,
        sender: str,
        text: str,
        meta: dict[str, Any] | None = None,
        dedup_key: str | None = None,
    ) -> Recorded:
        try:
            with self._db.session() as session:
                message = InboundMessage(
                    request_id=request_id,
                    channel=channel,
                    sender=sender,
                    text=text,
                    meta=meta or {},
                    dedup_key=dedup_key,
                )
                session.add(message)
                session.flush()
                return Recorded(message.id, duplicate=False)
        except IntegrityError:
            if dedup_key is None:
                raise
            with self._db.session() as session:
                first = session.scalar(
                    select(InboundMessage.id).where(InboundMessage.dedup_key == dedup_key)
                )
            if first is None:
                raise
            return Recorded(first, duplicate=True)

    def finish(
        self,
        message_id: int,
        *,
        outcome: Outcome,
        replies: list[dict[str, Any]],
        error: str | None = None,
    ) -> None:
        with self._db.session() as session:
            message = session.get_one(InboundMessage, message_id)
            message.outcome = outcome
            message.replies = json.loads(json.dumps(replies, ensure_ascii=False))
            message.error = error
            message.processed_at = utcnow()

    def defer(self, message_id: int) -> None:
        """The replies of this message will be pushed, not returned: redeliveries say nothing."""
        with self._db.session() as session:
            session.execute(
                update(InboundMessage)
                .where(InboundMessage.id == message_id)
                .values(delivery=Delivery.push)
            )

    def get(self, message_id: int) -> InboundMessage | None:
        with self._db.session() as session:
            return session.get(InboundMessage, message_id)

    def wait_processed(self, message_id: int, timeout: float) -> InboundMessage | None:
        """The message once processed (by any process), or None if it is not by ``timeout``."""
        deadline = time.monotonic() + timeout
        while True:
            message = self.get(message_id)
            if message is not None and (
                message.processed_at is not None or message.delivery == Delivery.push
            ):
                return message
            if time.monotonic() >= deadline:
                return None
            time.sleep(0.05)

    def recent(self, sender: str, limit: int = 20) -> list[InboundMessage]:
        with self._db.session() as session:
            query = (
                select(InboundMessage)
                .where(InboundMessage.sender == sender)
                .order_by(InboundMessage.id.desc())
                .limit(limit)
            )
            return list(session.scalars(query))

    def last_from(self, sender: str) -> InboundMessage | None:
        recent = self.recent(sender, limit=1)
        return recent[0] if recent else None

    def replayable(
        self,
        *,
        since: datetime | None = None,
        outcomes: tuple[Outcome, ...] = REPLAYABLE,
        ids: list[int] | None = None,
        settle_seconds: float = 60.0,
    ) -> list[InboundMessage]:
        """Messages the engine never answered, oldest first. A message still ``received`` is
        only taken once it is ``settle_seconds`` old, so a turn in flight is not replayed."""
        settled = utcnow() - timedelta(seconds=settle_seconds)
        query = select(InboundMessage).order_by(InboundMessage.id)
        if ids:
            query = query.where(InboundMessage.id.in_(ids))
        else:
            query = query.where(InboundMessage.outcome.in_(outcomes))
        if since is not None:
            query = query.where(InboundMessage.received_at >= since)
        with self._db.session() as session:
            return [
                m
                for m in session.scalars(query)
                if m.outcome != Outcome.received or m.received_at <= settled
            ]
