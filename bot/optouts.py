"""SMS opt-outs: STOP / 退订 stops every outbound text to that number until START / 订阅."""

from datetime import datetime

from sqlalchemy import Boolean, DateTime, String
from sqlalchemy.orm import Mapped, mapped_column

from bot.db import Base, Database, utcnow


class SmsOptOut(Base):
    __tablename__ = "sms_optouts"

    phone: Mapped[str] = mapped_column(String(32), primary_key=True)
    opted_out: Mapped[bool] = mapped_column(Boolean)
    changed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class OptOuts:
    def __init__(self, db: Database) -> None:
        self._db = db

    def set(self, phone: str, *, opted_out: bool) -> None:
        with self._db.session() as session:
            row = session.get(SmsOptOut, phone, with_for_update=True)
            if row is None:
                session.add(SmsOptOut(phone=phone, opted_out=opted_out))
            else:
                row.opted_out, row.changed_at = opted_out, utcnow()

    def is_opted_out(self, phone: str) -> bool:
        with self._db.session() as session:
            row = session.get(SmsOptOut, phone)
            return bool(row and row.opted_out)
