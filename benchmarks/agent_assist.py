"""Agent-assist suggestion latency through the real engine.

    .venv/bin/python -m benchmarks.agent_assist                 # 1 and 20 concurrent calls
    .venv/bin/python -m benchmarks.agent_assist --calls 1,5,20 --utterances 8

Starts ``hotline serve`` (engine + app, SQLite) with the voice channel on, then runs that many
calls at once in assist mode: an agent console follows each call over
``WS /agent-assist/{call_id}`` while the call platform posts signed utterance events (dev-set
questions, ASR style). Latency is from sending the utterance event to the suggestion arriving
at the console: intent and entities from the engine, the top 3 FAQ answers, the work-order
prefill and the alerts. Each level runs twice: callers speaking every ``--pace`` seconds (a
call's rhythm: the caller speaks, the agent answers) and all at once, each utterance sent as
soon as the previous suggestion arrived (the worst case).
"""

import argparse
import asyncio
import json
import random
import statistics
import tempfile
import time
from pathlib import Path

import httpx
import websockets

from bot.engine_process import train
from bot.launcher import ServedBot
from bot.settings import Settings
from channels import voice

ROOT = Path(__file__).resolve().parent.parent
SECRET, AGENT_TOKEN = "bench-voice", "bench-agent"


async def post(http: httpx.AsyncClient, event: dict) -> None:
    body = json.dumps(event, ensure_ascii=False).encode()
    ts = str(int(time.time()))
    response = await http.post(
        "/channels/voice/events",
        content=body,
        headers={"x-hotline-timestamp": ts, "x-hotline-signature": voice.sign(SECRET, ts, body)},
    )
    response.raise_for_status()


async def call(
    url: str, call_id: str, texts: list[str], latencies: list[float], pace: float
) -> None:
    ws_url = url.replace("http", "ws") + f"/agent-assist/{call_id}"
    headers = {"Authorization": f"Bearer {AGENT_TOKEN}"}
    async with (
        httpx.AsyncClient(base_url=url, timeout=60) as http,
        websockets.connect(ws_url, additional_headers=headers) as console,
    ):
        await post(http, {"type": "call.started", "call_id": call_id, "caller": "13800138000",
                          "hotline": "12345", "mode": "assist"})  # fmt: skip
        json.loads(await console.recv())  # the snapshot
        await asyncio.sleep(random.uniform(0, pace))  # calls do not start in step
        for n, text in enumerate(texts):
            event = {
                "type": "utterance",
                "call_id": call_id,
                "speaker": "caller",
                "text": text,
                "is_final": True,
                "start_ms": n * 10_000,
                "end_ms": n * 10_000 + 3000,
            }
            started = time.perf_counter()
            await post(http, event)
            while True:
                message = json.loads(await console.recv())
                if message["type"] == "suggestion":
                    break
            latencies.append(time.perf_counter() - started)
            await asyncio.sleep(pace)  # the agent answers, the caller speaks again
        await post(http, {"type": "call.ended", "call_id": call_id})


async def calls(
    url: str, level: int, scripts: list[list[str]], latencies: list[float], pace: float
) -> None:
    stamp = time.monotonic_ns()
    await asyncio.gather(
        *(
            call(url, f"bench-{level}-{c}-{stamp}", s, latencies, pace)
            for c, s in enumerate(scripts)
        )
    )


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--calls", default="1,20")
    parser.add_argument("--utterances", type=int, default=6)
    parser.add_argument(
        "--pace", type=float, default=5.0, help="seconds between a call's utterances"
    )
    args = parser.parse_args()
    questions = [
        json.loads(line)["query"]
        for line in (ROOT / "eval" / "kb_dev.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip() and json.loads(line)["style"] in ("asr", "colloquial", "typo")
    ]
    train(Settings())
    rows = []
    with tempfile.TemporaryDirectory() as data_dir:
        env = {"HOTLINE_VOICE_SECRET": SECRET, "HOTLINE_AGENT_TOKEN": AGENT_TOKEN,
               "HOTLINE_LOG_LEVEL": "WARNING"}  # fmt: skip
        with ServedBot(Path(data_dir), env) as served:
            for level in [1, *(int(x) for x in args.calls.split(","))]:
                scripts = [
                    [questions[(c * args.utterances + n) % len(questions)]
                     for n in range(args.utterances)]
                    for c in range(level)
                ]  # fmt: skip

                for pace in (args.pace, 0.0):
                    asyncio.run(calls(served.url, level, scripts, latencies := [], pace))
                    rows.append((level, pace, latencies))
    print("| concurrent calls | caller speaks every | suggestions | p50 ms | p95 ms | max ms |")
    print("|---|---|---|---|---|---|")
    for level, pace, latencies in rows[2:]:  # the first runs warm the engine up
        every = f"{pace:.0f} s" if pace else "at once (closed loop)"
        print(
            f"| {level} | {every} | {len(latencies)} | "
            f"{statistics.median(latencies) * 1000:.0f} | "
            f"{percentile(latencies, 0.95) * 1000:.0f} | {max(latencies) * 1000:.0f} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
