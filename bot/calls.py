"""Voice calls from the 12301 / 12345 platforms: one row per call, from start to end."""

from datetime import datetime, timedelta

from sqlalchemy import DateTime, String, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from bot.db import Base, Database, utcnow
from bot.exceptions import Conflict, NotFound


class Call(Base):
    __tablename__ = "calls"

    call_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    caller: Mapped[str] = mapped_column(String(32))
    hotline: Mapped[str] = mapped_column(String(16))
    agent_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    mode: Mapped[str] = mapped_column(String(8))  # ivr | assist
    started_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)


class Calls:
    def __init__(self, db: Database) -> None:
        self._db = db

    def start(
        self, *, call_id: str, caller: str, hotline: str, agent_id: str | None, mode: str
    ) -> Call:
        """Idempotent: the platform may resend ``call.started``; a finished call stays finished."""
        try:
            with self._db.session() as session:
                call = Call(
                    call_id=call_id, caller=caller, hotline=hotline, agent_id=agent_id, mode=mode
                )
                session.add(call)
            return call
        except IntegrityError:
            return self.active(call_id)

    def active(self, call_id: str) -> Call:
        with self._db.session() as session:
            call = session.get(Call, call_id)
        if call is None:
            raise NotFound(f"未知的通话 call_id={call_id}（请先发送 call.started）")
        if call.ended_at is not None:
            raise Conflict(f"通话 {call_id} 已结束")
        return call

    def end(self, call_id: str) -> Call:
        self.active(call_id)
        with self._db.session() as session:
            call = session.get_one(Call, call_id)
            call.ended_at = utcnow()
        return call

    def ongoing(self, within: timedelta = timedelta(hours=12), limit: int = 200) -> list[Call]:
        """Calls started within ``within`` and not yet ended, newest first (a platform that
        never sent ``call.ended`` does not leave a call on the agents' list for ever)."""
        with self._db.session() as session:
            return list(
                session.scalars(
                    select(Call)
                    .where(Call.ended_at.is_(None), Call.started_at >= utcnow() - within)
                    .order_by(Call.started_at.desc())
                    .limit(limit)
                )
            )
