"""Every inbound message is committed before it is processed, with its outcome after."""

import enum
import json
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Enum, Integer, String, Text, select
from sqlalchemy.orm import Mapped, mapped_column

from bot.db import Base, Database, utcnow


class Outcome(enum.StrEnum):
    received = "received"
    answered = "answered"  # the engine answered
    degraded = "degraded"  # the engine was unreachable; the app answered on its own
    failed = "failed"


class InboundMessage(Base):
    __tablename__ = "inbound_messages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    request_id: Mapped[str] = mapped_column(String(32), index=True)
    channel: Mapped[str] = mapped_column(String(16))
    sender: Mapped[str] = mapped_column(String(128), index=True)
    text: Mapped[str] = mapped_column(Text)
    meta: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    received_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    outcome: Mapped[Outcome] = mapped_column(
        Enum(Outcome, native_enum=False), default=Outcome.received
    )
    replies: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON, nullable=True)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    processed_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)


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
    ) -> int:
        with self._db.session() as session:
            message = InboundMessage(
                request_id=request_id, channel=channel, sender=sender, text=text, meta=meta or {}
            )
            session.add(message)
            session.flush()
            return message.id

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

    def get(self, message_id: int) -> InboundMessage | None:
        with self._db.session() as session:
            return session.get(InboundMessage, message_id)

    def recent(self, sender: str, limit: int = 20) -> list[InboundMessage]:
        with self._db.session() as session:
            query = (
                select(InboundMessage)
                .where(InboundMessage.sender == sender)
                .order_by(InboundMessage.id.desc())
                .limit(limit)
            )
            return list(session.scalars(query))
