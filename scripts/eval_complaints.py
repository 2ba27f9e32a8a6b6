"""Scripted complaint conversations through the real app and engine, scored field by field.

    .venv/bin/python scripts/eval_complaints.py [FILE]   # starts `hotline serve` on free ports

Each conversation in eval/complaint_conversations.yml is sent turn by turn to
POST /channels/web under its own sender; afterwards the work orders are read back through
GET /api/complaints. Printed: per kind and overall, how many conversations made exactly one
work order, and the accuracy of target, incident time, place, category and phone.
"""

import argparse
import re
import tempfile
from collections import defaultdict
from pathlib import Path

import httpx
import yaml

from bot.complaints.intake import DIGITS
from bot.complaints.names import official_place, official_target
from bot.engine_process import train
from bot.launcher import ServedBot
from bot.settings import PROJECT_DIR, Settings
from knowledge_base.text import to_simplified

FIELDS = ("target", "incident_time", "place", "category", "phone")
OFFICIAL = {"target": official_target, "place": official_place}
TOKEN = "eval-complaints"
# A number of the clock or calendar said in words: 十点多, 两点, 四点二十, 十一月.
SPOKEN_CLOCK = re.compile(r"[零〇一二两三四五六七八九十]{1,3}(?=[点时分号日月])")


def matches(field: str, expected: str, actual: str | None) -> bool:
    """Names and times are kept in simplified characters (雲溪 is 云溪), places and businesses
    under their official names (古镇 is 云溪古镇): either reading of the expected name will do.
    A target's person or desk is filed in brackets: 云溪博物馆（保安） is 云溪博物馆保安, whichever
    way the expected one is written."""
    if actual is None:
        return False
    if field in ("category", "phone"):
        return actual == expected
    expected, actual = to_simplified(expected), to_simplified(actual)
    if field == "incident_time":  # 昨天上午十点多钟 is 昨天上午10点多, as the writer noted it
        expected, actual = clock_digits(expected), clock_digits(actual)
    readings = {expected, OFFICIAL.get(field, str)(expected)}
    filed = unbracketed(actual)
    return any(unbracketed(reading) in filed for reading in readings)


def clock_digits(time: str) -> str:
    """Numbers of the clock and calendar in digits: 下午两点 → 下午2点, 四点二十分 → 4点20分."""
    return SPOKEN_CLOCK.sub(lambda number: str(spoken_number(number.group(0))), time)


def spoken_number(words: str) -> int:
    """一 → 1, 十 → 10, 十二 → 12, 二十 → 20, 二十三 → 23."""
    tens, ten, ones = words.translate(DIGITS).partition("十")
    if not ten:
        return int(tens)
    return int(tens or 1) * 10 + int(ones or 0)


def unbracketed(name: str) -> str:
    return name.replace("（", "").replace("）", "")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "file",
        nargs="?",
        type=Path,
        default=PROJECT_DIR / "eval" / "complaint_conversations.yml",
        help="conversations (default: eval/complaint_conversations.yml)",
    )
    parser.add_argument("--only", help="comma-separated conversation numbers to run")
    parser.add_argument(
        "--transcripts", action="store_true", help="print every turn and the bot's replies"
    )
    args = parser.parse_args()
    conversations = yaml.safe_load(args.file.read_text(encoding="utf-8"))["conversations"]
    chosen = {int(n) for n in args.only.split(",")} if args.only else set(range(len(conversations)))
    selected = [(n, c) for n, c in enumerate(conversations) if n in chosen]
    train(Settings())
    with tempfile.TemporaryDirectory() as data_dir:
        with (
            ServedBot(Path(data_dir), {"HOTLINE_ADMIN_TOKEN": TOKEN}) as served,
            httpx.Client(
                base_url=served.url, timeout=60, headers={"authorization": f"Bearer {TOKEN}"}
            ) as http,
        ):
            for n, conversation in selected:
                for turn in conversation["turns"]:
                    response = http.post(
                        "/channels/web", json={"sender": f"eval-{n}", "text": str(turn)}
                    )
                    response.raise_for_status()
                    if args.transcripts:
                        print(f"{n} > {turn}")
                        for message in response.json()["messages"]:
                            print(f"{n} < {message.get('text', message)}")
            orders = http.get("/api/complaints").json()

    by_sender = defaultdict(list)
    for order in orders:
        by_sender[order["sender"]].append(order)
    totals: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for n, conversation in selected:
        made = by_sender.get(f"web:eval-{n}", [])
        for kind in (conversation["kind"], "all"):
            totals[kind]["conversations"] += 1
            totals[kind]["exactly one"] += len(made) == 1
        if len(made) != 1:
            print(f"# {n} ({conversation['kind']}): {len(made)} work orders")
            continue
        for field in FIELDS:
            right = matches(field, str(conversation["expect"][field]), made[0].get(field))
            for kind in (conversation["kind"], "all"):
                totals[kind][field] += right
            if not right:
                print(f"# {n} ({conversation['kind']}) {field}: expected "
                      f"{conversation['expect'][field]!r}, got {made[0].get(field)!r}")  # fmt: skip
    print()
    print("| conversations | n | exactly one work order | " + " | ".join(FIELDS) + " |")
    print("| --- " * (3 + len(FIELDS)) + "|")
    for kind, counts in sorted(totals.items(), key=lambda item: item[0] == "all"):
        n = counts["conversations"]
        cells = [f"{counts[field] / n:.2f}" for field in FIELDS]
        print(f"| {kind} | {n} | {counts['exactly one'] / n:.2f} | " + " | ".join(cells) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
