"""Two real app processes on one database: an edit in one is answered by the other within 2 s,
through Redis pub/sub when it is configured and through the revision poll when it is not."""

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import redis

from bot.settings import PROJECT_DIR
from tests.integration.conftest import free_port

TOKEN = "live-edit-token"
HEADERS = {"authorization": f"Bearer {TOKEN}"}
PROPAGATION_SECONDS = 2.0
QUERY = "古镇有租汉服的吗"
NEW = {
    "category": "购物",
    "question": "云溪哪里可以租汉服拍照？",
    "similar_questions": ["古镇租汉服", "汉服租赁多少钱"],
    "answer": "云溪古镇东街有三家汉服租赁店（演示数据）。",
}


def redis_available() -> bool:
    try:
        return bool(redis.Redis.from_url("redis://127.0.0.1:6379/0").ping())
    except redis.RedisError:
        return False


class App:
    def __init__(self, env: dict[str, str], data_dir: Path) -> None:
        self.port = free_port()
        self.log_path = data_dir / f"app-{self.port}.log"
        env = {
            **env,
            "HOTLINE_DATA_DIR": str(data_dir / str(self.port)),
            "HOTLINE_PORT": str(self.port),
        }
        self._log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot.cli", "serve", "--no-engine"],
            cwd=PROJECT_DIR,
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.http = httpx.Client(
            base_url=f"http://127.0.0.1:{self.port}", timeout=30, headers=HEADERS
        )

    def wait_ready(self) -> None:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"app exited:\n{self.log_path.read_text()[-3000:]}")
            try:
                if self.http.get("/healthz").json()["index"]["ok"]:
                    return
            except (httpx.HTTPError, ValueError):
                pass
            time.sleep(0.5)
        pytest.fail(f"app not ready:\n{self.log_path.read_text()[-3000:]}")

    def top(self, query: str) -> dict:
        response = self.http.get("/api/kb/search", params={"q": query})
        response.raise_for_status()
        return dict(response.json()["hits"][0])

    def stop(self) -> None:
        self.http.close()
        self.process.terminate()
        self.process.wait(timeout=30)
        self._log.close()


def until(predicate, seconds: float) -> float:  # type: ignore[no-untyped-def]
    """Seconds until ``predicate()`` held; fails after ``seconds``."""
    started = time.monotonic()
    while not predicate():
        if time.monotonic() - started > seconds:
            pytest.fail(f"not seen within {seconds}s")
        time.sleep(0.05)
    return time.monotonic() - started


@pytest.fixture(params=["redis", "poll"])
def two_apps(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[App, App, dict]]:
    env = {
        **os.environ,
        "HOTLINE_DATABASE_URL": f"sqlite:///{tmp_path / 'shared.db'}",
        "HOTLINE_ADMIN_TOKEN": TOKEN,
    }
    env.pop("HOTLINE_REDIS_URL", None)
    if request.param == "redis":
        if not redis_available():
            pytest.skip("Redis not reachable at 127.0.0.1:6379")
        env["HOTLINE_REDIS_URL"] = "redis://127.0.0.1:6379/0"
    first = App(env, tmp_path)
    first.wait_ready()  # seeds the demo FAQs
    second = App(env, tmp_path)
    second.wait_ready()
    yield first, second, env
    first.stop()
    second.stop()


def test_an_edit_in_one_process_is_answered_by_the_other(two_apps: tuple[App, App, dict]) -> None:
    first, second, _ = two_apps
    assert second.top(QUERY)["id"] != "shop-hanfu"

    assert first.http.put("/api/faqs/shop-hanfu", json=NEW).status_code == 200
    assert first.top(QUERY)["id"] == "shop-hanfu"  # the writer at once
    until(lambda: second.top(QUERY)["id"] == "shop-hanfu", PROPAGATION_SECONDS)

    changed = {**NEW, "answer": "汉服店搬到了西街（演示数据）。"}
    assert first.http.put("/api/faqs/shop-hanfu", json=changed).status_code == 200
    until(lambda: "西街" in second.top(QUERY)["answer"], PROPAGATION_SECONDS)

    assert second.http.delete("/api/faqs/shop-hanfu").status_code == 204
    until(lambda: first.top(QUERY)["id"] != "shop-hanfu", PROPAGATION_SECONDS)


def test_a_cli_edit_reaches_the_running_apps(two_apps: tuple[App, App, dict]) -> None:
    first, second, env = two_apps
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", "kb", "set", "shop-hanfu", "--category", "购物",
         "--question", NEW["question"], "--answer", NEW["answer"], "--similar", "古镇租汉服"],
        cwd=PROJECT_DIR, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    for app in (first, second):
        until(lambda app=app: app.top(QUERY)["id"] == "shop-hanfu", PROPAGATION_SECONDS)
