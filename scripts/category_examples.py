"""Rebuild bot/complaints/category_examples.jsonl from scripted complaint conversations.

    .venv/bin/python scripts/category_examples.py eval/complaint_conversations*.yml

Each conversation gives one example: the tourist's turns before the last (the confirmation),
with the expected category. A set joins the examples only after its first run has been
recorded (README), so that the first run stays a figure for unseen conversations.
"""

import argparse
import json
from pathlib import Path

from bot.complaints.categories import EXAMPLES, conversation_examples, set_order
from bot.settings import PROJECT_DIR


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("files", nargs="+", type=Path, help="conversation sets (YAML)")
    parser.add_argument("--out", type=Path, default=EXAMPLES)
    args = parser.parse_args()
    files = sorted(args.files, key=lambda path: set_order(path.name))
    rows = [row for path in files for row in conversation_examples(path, PROJECT_DIR)]
    with args.out.open("w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"{len(rows)} examples from {len(files)} sets → {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
