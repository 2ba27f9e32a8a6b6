"""Two real app processes on one database: an edit in one is answered by the other within 2 s,
through Redis pub/sub when it is configured and through the revision poll when it is not."""

import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from bot.launcher import NotReady, ServedBot
from bot.settings import PROJECT_DIR
from tests.integration.conftest import redis_available

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


class App:
    """One app process (no engine) on the shared database."""

    def __init__(self, env: dict[str, str], data_dir: Path) -> None:
        self.served = ServedBot(data_dir, env, engine=False)
        self.served.data_dir = data_dir / str(self.served.port)
        self.served.env["HOTLINE_DATA_DIR"] = str(self.served.data_dir)
        self.http = httpx.Client(base_url=self.served.url, timeout=30, headers=HEADERS)

    def start(self) -> None:
        try:
            self.served.start()
        except NotReady as exc:
            pytest.fail(str(exc))

    def top(self, query: str) -> dict:
        response = self.http.get("/api/kb/search", params={"q": query})
        response.raise_for_status()
        return dict(response.json()["hits"][0])

    def stop(self) -> None:
        self.http.close()
        self.served.stop()


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
        "HOTLINE_DATABASE_URL": f"sqlite:///{tmp_path / 'shared.db'}",
        "HOTLINE_ADMIN_TOKEN": TOKEN,
        "HOTLINE_REDIS_URL": "",
    }
    if request.param == "redis":
        if not redis_available():
            pytest.skip("Redis not reachable at 127.0.0.1:6379")
        env["HOTLINE_REDIS_URL"] = "redis://127.0.0.1:6379/0"
    first = App(env, tmp_path)
    first.start()  # seeds the demo FAQs
    second = App(env, tmp_path)
    second.start()
    yield first, second, first.served.env
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


def test_an_out_of_scope_label_in_one_process_is_read_by_the_other(
    two_apps: tuple[App, App, dict],
) -> None:
    first, second, _ = two_apps
    asked = "观音洞里面信号好不好"

    def decision(app: App) -> str:
        response = app.http.get("/api/kb/search", params={"q": asked})
        response.raise_for_status()
        return str(response.json()["decision"])

    assert decision(second) == "clarify"
    labelled = first.http.post("/api/kb/out-of-scope", json={"queries": [asked]})
    assert labelled.status_code == 201
    assert decision(first) == "none"
    until(lambda: decision(second) == "none", PROPAGATION_SECONDS)
    label_id = labelled.json()["added"][0]["id"]
    assert second.http.delete(f"/api/kb/out-of-scope/{label_id}").status_code == 204
    until(lambda: decision(first) == "clarify", PROPAGATION_SECONDS)


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
