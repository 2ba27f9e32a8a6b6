"""Start the real engine and the real app (``hotline serve``) once for the integration tests."""

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from bot.engine_process import train
from bot.settings import PROJECT_DIR, Settings

STARTUP_SECONDS = 240


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class RunningBot:
    def __init__(self, app_url: str, engine_url: str, data_dir: Path) -> None:
        self.app_url, self.engine_url, self.data_dir = app_url, engine_url, data_dir
        self.http = httpx.Client(base_url=app_url, timeout=60)

    def say(self, sender: str, text: str) -> list[dict[str, object]]:
        response = self.http.post("/channels/web", json={"sender": sender, "text": text})
        response.raise_for_status()
        return list(response.json()["messages"])


@pytest.fixture(scope="session")
def running_bot(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningBot]:
    data_dir = tmp_path_factory.mktemp("var")
    app_port, engine_port = free_port(), free_port()
    engine_url = f"http://127.0.0.1:{engine_port}"
    env = {
        **os.environ,
        "HOTLINE_DATA_DIR": str(data_dir),
        "HOTLINE_PORT": str(app_port),
        "HOTLINE_ENGINE_URL": engine_url,
        "HOTLINE_ENGINE_TOKEN": "integration-token",
    }
    train(Settings())  # a no-op when `make test` already trained this data
    log = (data_dir / "serve.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "serve"],
        cwd=PROJECT_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    bot = RunningBot(f"http://127.0.0.1:{app_port}", engine_url, data_dir)
    deadline = time.monotonic() + STARTUP_SECONDS
    while True:
        if process.poll() is not None:
            pytest.fail(f"hotline serve exited:\n{(data_dir / 'serve.log').read_text()[-3000:]}")
        try:
            if bot.http.get("/healthz").json()["engine"]["ok"]:
                break
        except (httpx.HTTPError, ValueError):
            pass
        if time.monotonic() > deadline:
            process.terminate()
            pytest.fail(
                f"not ready in {STARTUP_SECONDS}s:\n{(data_dir / 'serve.log').read_text()[-3000:]}"
            )
        time.sleep(1)
    yield bot
    bot.http.close()
    process.terminate()
    process.wait(timeout=30)
    log.close()
