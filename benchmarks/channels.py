"""Turn latency and throughput per channel through the real engine.

    .venv/bin/python -m benchmarks.channels                     # 1, 10 and 50 conversations
    .venv/bin/python -m benchmarks.channels --levels 1,10 --turns 4

Starts ``hotline serve`` (engine + app, SQLite) with every channel configured and WeChat's and
Twilio's APIs on local stand-ins, then for each channel and each level runs that many
conversations at once, each a few questions from the dev set, sent the way the platform sends
them (signed WeChat XML, signed Twilio form, signed voice events, web JSON). A turn's latency is
the webhook's response time; for WeChat a turn slower than the ~4 s passive window answers
``success`` and its reply goes out through the customer-service API (counted as pushed).
"""

import argparse
import itertools
import json
import platform
import statistics
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from bot.engine_process import train
from bot.launcher import ServedBot
from bot.settings import Settings
from tests.clients import post_sms, post_voice, post_wechat, utterance, wechat_text
from tests.integration.conftest import TWILIO, VOICE_SECRET, WECHAT, channel_env
from tests.standins import TwilioApiStandIn, WeChatApiStandIn

ROOT = Path(__file__).resolve().parent.parent
Turn = Callable[[httpx.Client, str, int, str], bool]  # → True when answered in the response


def web_turn(http: httpx.Client, conversation: str, _n: int, text: str) -> bool:
    response = http.post("/channels/web", json={"sender": conversation, "text": text})
    response.raise_for_status()
    return bool(response.json()["messages"])


def wechat_turn(http: httpx.Client, conversation: str, _n: int, text: str) -> bool:
    body, _ = wechat_text(conversation, text)
    response = post_wechat(http, WECHAT["token"], body)
    response.raise_for_status()
    return response.text != "success"


def sms_turn(http: httpx.Client, conversation: str, n: int, text: str) -> bool:
    sender = f"+86139{abs(hash(conversation)) % 10**8:08d}"
    response = post_sms(http, str(http.base_url), TWILIO["token"], sender, text)
    response.raise_for_status()
    return "<Message>" in response.text


def voice_turn(http: httpx.Client, conversation: str, n: int, text: str) -> bool:
    if n == 0:
        started = {"type": "call.started", "call_id": conversation, "caller": "13800138000",
                   "hotline": "12301"}  # fmt: skip
        post_voice(http, VOICE_SECRET, started).raise_for_status()
    response = post_voice(http, VOICE_SECRET, utterance(conversation, text, n * 10_000))
    response.raise_for_status()
    return response.json()["type"] == "bot.say"


CHANNELS: dict[str, Turn] = {
    "web": web_turn,
    "wechat": wechat_turn,
    "sms": sms_turn,
    "voice": voice_turn,
}


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def run_level(
    url: str, channel: str, level: int, turns: int, questions: list[str]
) -> dict[str, float]:
    turn = CHANNELS[channel]
    source = itertools.cycle(questions)
    scripts = [[next(source) for _ in range(turns)] for _ in range(level)]
    latencies: list[float] = []
    answered = 0

    def conversation(index: int) -> None:
        nonlocal answered
        name = f"bench-{channel}-{level}-{index}-{time.monotonic_ns()}"
        with httpx.Client(base_url=url, timeout=60) as http:
            for n, text in enumerate(scripts[index]):
                started = time.perf_counter()
                in_response = turn(http, name, n, text)
                latencies.append(time.perf_counter() - started)
                answered += in_response

    started = time.perf_counter()
    with ThreadPoolExecutor(level) as pool:
        list(pool.map(conversation, range(level)))
    wall = time.perf_counter() - started
    return {
        "turns": len(latencies),
        "p50_ms": statistics.median(latencies) * 1000,
        "p95_ms": percentile(latencies, 0.95) * 1000,
        "max_ms": max(latencies) * 1000,
        "turns_per_s": len(latencies) / wall,
        "in_response": answered / len(latencies),
        "within_5s": sum(t < 5.0 for t in latencies) / len(latencies),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--levels", default="1,10,50")
    parser.add_argument("--turns", type=int, default=5, help="turns per conversation")
    parser.add_argument("--channels", default=",".join(CHANNELS))
    args = parser.parse_args()
    levels = [int(x) for x in args.levels.split(",")]
    questions = [
        json.loads(line)["query"]
        for line in (ROOT / "eval" / "kb_dev.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    train(Settings())
    rows = []
    with (
        tempfile.TemporaryDirectory() as data_dir,
        WeChatApiStandIn(WECHAT["appid"], WECHAT["secret"]) as wx,
        TwilioApiStandIn(TWILIO["sid"], TWILIO["token"]) as tw,
    ):
        served = ServedBot(Path(data_dir))
        served.env.update(channel_env(served, wx, tw))
        served.env["HOTLINE_LOG_LEVEL"] = "WARNING"
        with served:
            for channel in args.channels.split(","):
                run_level(served.url, channel, 2, 2, questions)  # warm-up
                for level in levels:
                    row = run_level(served.url, channel, level, args.turns, questions)
                    rows.append((channel, level, row))
                    print(
                        f"{channel:7s} {level:3d} conversations: p50 {row['p50_ms']:7.0f} ms"
                        f"  p95 {row['p95_ms']:7.0f} ms  max {row['max_ms']:7.0f} ms"
                        f"  {row['turns_per_s']:5.1f} turns/s  in response {row['in_response']:.0%}"
                        f"  under 5 s {row['within_5s']:.0%}",
                        flush=True,
                    )
    print(f"\nmachine: {platform.processor() or platform.machine()}, {platform.python_version()}")
    print(
        "| channel | conversations | turns | p50 ms | p95 ms | turns/s "
        "| answered in the response | under 5 s |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for channel, level, row in rows:
        print(
            f"| {channel} | {level} | {row['turns']:.0f} | {row['p50_ms']:.0f} | "
            f"{row['p95_ms']:.0f} | {row['turns_per_s']:.1f} | {row['in_response']:.0%} | "
            f"{row['within_5s']:.0%} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
