import enum
from datetime import datetime

from sqlalchemy import Boolean, DateTime, Enum, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.db import Base, utcnow


class Status(enum.StrEnum):
    received = "已受理"
    assigned = "已派单"
    in_progress = "处理中"
    replied = "已答复"
    closed = "已回访"
    rejected = "不予受理"


class Complaint(Base):
    __tablename__ = "complaints"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(24), unique=True)
    idempotency_key: Mapped[str] = mapped_column(String(160), unique=True)
    status: Mapped[Status] = mapped_column(
        Enum(Status, native_enum=False, length=16), default=Status.received
    )
    channel: Mapped[str] = mapped_column(String(16))
    sender: Mapped[str] = mapped_column(String(128), index=True)
    phone: Mapped[str] = mapped_column(String(20))
    target: Mapped[str] = mapped_column(Text)
    incident_time: Mapped[str] = mapped_column(Text)
    place: Mapped[str] = mapped_column(Text)
    category: Mapped[str] = mapped_column(String(16))
    description: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    department: Mapped[str | None] = mapped_column(String(64), nullable=True)
    reply: Mapped[str | None] = mapped_column(Text, nullable=True)
    satisfaction: Mapped[int | None] = mapped_column(Integer, nullable=True)
    reject_reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    extension_days: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    supervised_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)


class ComplaintEvent(Base):
    """The audit trail: one row for every status change, who made it and why."""

    __tablename__ = "complaint_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    complaint_id: Mapped[int] = mapped_column(
        ForeignKey("complaints.id", ondelete="CASCADE"), index=True
    )
    from_status: Mapped[str | None] = mapped_column(String(16), nullable=True)
    to_status: Mapped[str] = mapped_column(String(16))
    actor: Mapped[str] = mapped_column(String(64))
    note: Mapped[str] = mapped_column(Text, default="")
    action: Mapped[str | None] = mapped_column(String(8), nullable=True)  # 签收, 退单, 延期, 督办
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class DailySequence(Base):
    """The last complaint number handed out per day; incremented under a row lock."""

    __tablename__ = "complaint_sequences"

    day: Mapped[str] = mapped_column(String(8), primary_key=True)
    last: Mapped[int] = mapped_column(Integer, default=0)


class StatusLookup(Base):
    """A tourist's attempt to see a work order's details (number + phone's last 4 digits);
    failed attempts are counted to stop guessing."""

    __tablename__ = "complaint_lookups"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(24), index=True)
    sender: Mapped[str] = mapped_column(String(128), index=True)
    success: Mapped[bool] = mapped_column(Boolean)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)


class Attachment(Base):
    """A file the tourist sent (a WeChat image's media id); linked to the work order that the
    same conversation submits next."""

    __tablename__ = "complaint_attachments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sender: Mapped[str] = mapped_column(String(128), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    media_id: Mapped[str] = mapped_column(String(256))
    received_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    complaint_id: Mapped[int | None] = mapped_column(
        ForeignKey("complaints.id", ondelete="CASCADE"), nullable=True, index=True
    )
