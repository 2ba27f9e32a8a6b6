"""Console users, their passwords (scrypt) and their login sessions.

A session is a random token in an HttpOnly cookie; the database keeps only its SHA-256, so a
leaked table opens no console. Each session has its own CSRF token, which the pages send back
in a header on every change (a cross-site form cannot read it).
"""

import base64
import hashlib
import hmac
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from bot.db import Base, Database, recent_failures, utcnow
from bot.exceptions import Conflict, InvalidInput, NotFound, TooManyRequests, Unauthorized

ROLES = ("admin", "agent")
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
MAX_FAILURES = 5  # per user name ...
MAX_FAILURES_PER_ADDRESS = 20  # ... and per client address (a spray over many names) ...
FAILURE_WINDOW = timedelta(minutes=15)  # ... within this window
MIN_PASSWORD = 8
USERNAME = re.compile(r"[\w.@-]{1,64}")


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(8))
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class LoginSession(Base):
    __tablename__ = "login_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime, index=True)


class LoginAttempt(Base):
    __tablename__ = "login_attempts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), index=True)
    address: Mapped[str] = mapped_column(String(64), default="", index=True)
    success: Mapped[bool] = mapped_column(Boolean)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)


@dataclass(frozen=True)
class Principal:
    """Who is asking: a console user (by session) or a script (by bearer token)."""

    name: str
    role: str
    csrf_token: str | None = None  # set for sessions: changes must echo it


@dataclass(frozen=True)
class Login:
    token: str  # goes into the cookie, never stored
    principal: Principal


def hash_password(password: str, salt: bytes | None = None) -> str:
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(
        password.encode(), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=32
    )
    salt_text, digest_text = (base64.b64encode(part).decode() for part in (salt, digest))
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${salt_text}${digest_text}"


def check_password(password: str, stored: str) -> bool:
    try:
        _, n, r, p, salt, digest = stored.split("$")
        actual = hashlib.scrypt(
            password.encode(),
            salt=base64.b64decode(salt),
            n=int(n),
            r=int(r),
            p=int(p),
            dklen=32,
        )
    except ValueError:
        return False
    return hmac.compare_digest(actual, base64.b64decode(digest))


# Checked against when the name is unknown, so a wrong name costs as long as a wrong password.
_DECOY = hash_password(secrets.token_hex(8))


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Users:
    def __init__(
        self,
        db: Database,
        *,
        session_hours: float = 12,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self._db = db
        self.lifetime = timedelta(hours=session_hours)
        self._clock = clock

    def add(self, username: str, password: str, role: str) -> User:
        if role not in ROLES:
            raise InvalidInput(f"角色须为 {' 或 '.join(ROLES)}")
        if not USERNAME.fullmatch(username):
            raise InvalidInput("用户名须为 1–64 个字母、数字、汉字或 _ . @ -")
        _check_strength(password)
        try:
            with self._db.session() as session:
                user = User(username=username, password_hash=hash_password(password), role=role)
                session.add(user)
            return user
        except IntegrityError as exc:
            raise Conflict(f"用户 {username} 已存在") from exc

    def set_password(self, username: str, password: str) -> None:
        _check_strength(password)
        with self._db.session() as session:
            user = session.scalar(select(User).where(User.username == username))
            if user is None:
                raise NotFound(f"没有用户 {username}")
            user.password_hash = hash_password(password)
            session.execute(delete(LoginSession).where(LoginSession.user_id == user.id))

    def log_in(self, username: str, password: str, address: str = "") -> Login:
        now = self._clock()
        name, address = username[:64], address[:64]
        # The attempt is written as a failure before it is counted and before the (slow)
        # password check, so parallel guesses all see each other.
        attempt = LoginAttempt(username=name, address=address, success=False, at=now)
        with self._db.session() as session:
            session.add(attempt)
        since = now - FAILURE_WINDOW
        with self._db.session() as session:
            by_name = recent_failures(session, LoginAttempt.username, name, since)
            by_address = (
                recent_failures(session, LoginAttempt.address, address, since) if address else 0
            )
        if by_name > MAX_FAILURES or by_address > MAX_FAILURES_PER_ADDRESS:
            minutes = int(FAILURE_WINDOW.total_seconds() // 60)
            raise TooManyRequests(f"登录失败次数过多，请 {minutes} 分钟后再试")
        with self._db.session() as session:
            user = session.scalar(select(User).where(User.username == username))
            valid = check_password(password, user.password_hash if user else _DECOY)
            ok = user is not None and valid and not user.disabled
            if ok:
                session.get_one(LoginAttempt, attempt.id).success = True
        if not ok or user is None:
            raise Unauthorized("用户名或密码错误")
        token = secrets.token_urlsafe(32)
        login = LoginSession(
            token_hash=_digest(token),
            user_id=user.id,
            csrf_token=secrets.token_urlsafe(32),
            created_at=now,
            expires_at=now + self.lifetime,
        )
        with self._db.session() as session:
            session.add(login)
            session.execute(delete(LoginSession).where(LoginSession.expires_at < now))
        principal = Principal(user.username, user.role, login.csrf_token)
        return Login(token=token, principal=principal)

    def by_session(self, token: str) -> Principal | None:
        with self._db.session() as session:
            found = session.execute(
                select(User, LoginSession)
                .join(LoginSession, LoginSession.user_id == User.id)
                .where(LoginSession.token_hash == _digest(token))
            ).first()
        if found is None:
            return None
        user, login = found
        if user.disabled or login.expires_at <= self._clock():
            return None
        return Principal(user.username, user.role, login.csrf_token)

    def log_out(self, token: str) -> None:
        with self._db.session() as session:
            session.execute(delete(LoginSession).where(LoginSession.token_hash == _digest(token)))


def _check_strength(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise InvalidInput(f"密码至少 {MIN_PASSWORD} 个字符")
