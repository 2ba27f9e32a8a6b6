"""Start ``hotline serve`` as a child process and wait until it is ready — for integration
tests, evaluation scripts and benchmarks, which all need the real app (and engine) over HTTP."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from types import TracebackType
from typing import Self

import httpx

from bot.settings import PROJECT_DIR


class NotReady(RuntimeError):
    pass


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class ServedBot:
    """``hotline serve`` with its own data dir and ports; ``env`` adds ``HOTLINE_*`` settings.

    ``engine=False`` serves the app alone (``--no-engine``) against ``HOTLINE_ENGINE_URL``.
    Ready means the app answers ``/healthz`` with its index loaded (and the engine up, when
    it started one)."""

    def __init__(
        self,
        data_dir: Path,
        env: dict[str, str] | None = None,
        *,
        engine: bool = True,
        startup_seconds: float = 300,
    ) -> None:
        self.data_dir = data_dir
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.engine = engine
        self.engine_url = (env or {}).get("HOTLINE_ENGINE_URL") or (
            f"http://127.0.0.1:{free_port()}"
        )
        self.env = {
            **os.environ,
            "HOTLINE_DATA_DIR": str(data_dir),
            "HOTLINE_PORT": str(self.port),
            "HOTLINE_ENGINE_URL": self.engine_url,
            **(env or {}),
        }
        self.log_path = data_dir / f"serve-{self.port}.log"
        self._startup_seconds = startup_seconds
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> Self:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        command = [sys.executable, "-m", "bot.cli", "serve"]
        if not self.engine:
            command.append("--no-engine")
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                command,
                cwd=PROJECT_DIR,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self._wait_ready()
        return self

    def _wait_ready(self) -> None:
        assert self.process is not None
        deadline = time.monotonic() + self._startup_seconds
        with httpx.Client(base_url=self.url, timeout=10) as http:
            while True:
                if self.process.poll() is not None:
                    raise NotReady(f"hotline serve exited:\n{self.log_tail()}")
                try:
                    health = http.get("/healthz").json()
                    if health["index"]["ok"] and (health["engine"]["ok"] or not self.engine):
                        return
                except (httpx.HTTPError, ValueError, KeyError):
                    pass
                if time.monotonic() > deadline:
                    self.stop()
                    raise NotReady(
                        f"not ready in {self._startup_seconds:.0f} s:\n{self.log_tail()}"
                    )
                time.sleep(0.5)

    def log_tail(self, chars: int = 3000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-chars:]
        except FileNotFoundError:
            return ""

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.terminate()  # serve stops its engine on the way out
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            # serve is its own process group (start_new_session): take the engine down with it
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        self.process = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.stop()
