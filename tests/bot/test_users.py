"""Console users on SQLite and PostgreSQL: scrypt hashes, sessions, throttled failures."""

from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta

import pytest

from bot.db import Database
from bot.exceptions import Conflict, InvalidInput, TooManyRequests, Unauthorized
from bot.users import (
    MAX_FAILURES,
    MAX_FAILURES_PER_ADDRESS,
    User,
    Users,
    check_password,
    hash_password,
)


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 27, 9, 0)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def users(db: Database, clock: Clock) -> Users:
    found = Users(db, session_hours=8, clock=clock)
    found.add("wang", "correct horse", "admin")
    found.add("li", "battery staple", "agent")
    return found


def test_passwords_are_stored_as_salted_scrypt_hashes(db: Database, users: Users) -> None:
    with db.session() as session:
        stored = session.query(User).filter_by(username="wang").one().password_hash
    assert "correct horse" not in stored and stored.startswith("scrypt$16384$8$1$")
    assert check_password("correct horse", stored)
    assert not check_password("correct horsE", stored)
    assert hash_password("same") != hash_password("same")  # a new salt every time
    assert not check_password("x", "not-a-hash")


def test_a_login_opens_a_session_with_its_own_csrf_token(users: Users) -> None:
    first = users.log_in("wang", "correct horse")
    second = users.log_in("wang", "correct horse")
    assert first.token != second.token
    assert first.principal.csrf_token != second.principal.csrf_token
    found = users.by_session(first.token)
    assert found is not None and (found.name, found.role) == ("wang", "admin")
    assert found.csrf_token == first.principal.csrf_token
    assert users.by_session("forged") is None
    users.log_out(first.token)
    assert users.by_session(first.token) is None
    assert users.by_session(second.token) is not None


def test_sessions_expire(users: Users, clock: Clock) -> None:
    login = users.log_in("li", "battery staple")
    clock.now += timedelta(hours=7, minutes=59)
    assert users.by_session(login.token) is not None
    clock.now += timedelta(minutes=2)
    assert users.by_session(login.token) is None


@pytest.mark.parametrize(
    ("username", "password"),
    [("wang", "wrong password"), ("nobody", "correct horse"), ("wang", ""), ("", "x")],
)
def test_wrong_credentials_are_one_error(users: Users, username: str, password: str) -> None:
    with pytest.raises(Unauthorized, match="用户名或密码错误"):
        users.log_in(username, password)


def test_repeated_failures_lock_the_name_for_a_while(users: Users, clock: Clock) -> None:
    for _ in range(MAX_FAILURES):
        with pytest.raises(Unauthorized):
            users.log_in("wang", "guess")
    with pytest.raises(TooManyRequests, match="登录失败次数过多"):
        users.log_in("wang", "correct horse")  # even the right password, for now
    assert users.log_in("li", "battery staple").principal.role == "agent"  # others unaffected
    clock.now += timedelta(minutes=16)
    assert users.log_in("wang", "correct horse").principal.name == "wang"


def test_a_new_password_ends_the_open_sessions(users: Users) -> None:
    login = users.log_in("li", "battery staple")
    users.set_password("li", "new and long")
    assert users.by_session(login.token) is None
    with pytest.raises(Unauthorized):
        users.log_in("li", "battery staple")
    assert users.log_in("li", "new and long").principal.name == "li"


def test_bad_users_are_refused(users: Users) -> None:
    with pytest.raises(Conflict, match="已存在"):
        users.add("wang", "another password", "agent")
    with pytest.raises(InvalidInput, match="至少 8"):
        users.add("zhao", "short", "agent")
    with pytest.raises(InvalidInput, match="角色"):
        users.add("zhao", "long enough", "root")


def test_a_spray_over_many_names_from_one_address_is_stopped(users: Users) -> None:
    for n in range(MAX_FAILURES_PER_ADDRESS):
        with pytest.raises(Unauthorized):
            users.log_in(f"guess{n}", "password1", "203.0.113.9")
    with pytest.raises(TooManyRequests):
        users.log_in("wang", "correct horse", "203.0.113.9")
    assert users.log_in("wang", "correct horse", "198.51.100.7").principal.name == "wang"


def test_parallel_guesses_see_each_other(users: Users) -> None:
    def guess(n: int) -> int:
        try:
            users.log_in("wang", f"guess {n}")
        except Unauthorized:
            return 401
        except TooManyRequests:
            return 429
        return 200

    with ThreadPoolExecutor(max_workers=8) as pool:
        codes = list(pool.map(guess, range(16)))
    assert codes.count(401) <= MAX_FAILURES and codes.count(429) >= 16 - MAX_FAILURES
