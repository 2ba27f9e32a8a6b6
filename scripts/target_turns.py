"""What the NLU reads in every tourist turn of the scripted complaint conversations.

    .venv/bin/python scripts/target_turns.py OUT.jsonl [FILE ...]   # default: every set

Starts the engine on a free port and parses each turn as the app sends it (simplified
characters); one line per conversation: its set, number, expected fields, and per turn the
text, intent and entities.
"""

import argparse
import json
import tempfile
import time
from pathlib import Path

import httpx
import yaml

from bot.engine_process import start_engine, train
from bot.launcher import free_port
from bot.settings import PROJECT_DIR, Settings
from knowledge_base.text import to_simplified


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("files", nargs="*", type=Path)
    args = parser.parse_args()
    files = args.files or sorted((PROJECT_DIR / "eval").glob("complaint_conversations*.yml"))
    port = free_port()
    with tempfile.TemporaryDirectory() as data_dir:
        settings = Settings(
            data_dir=Path(data_dir), engine_url=f"http://127.0.0.1:{port}", engine_token=None
        )
        engine = start_engine(settings, train(Settings()))
        try:
            with (
                httpx.Client(base_url=settings.engine_url, timeout=60) as http,
                args.out.open("w", encoding="utf-8") as out,
            ):
                for _ in range(600):
                    try:
                        if http.get("/status").status_code == 200:
                            break
                    except httpx.HTTPError:
                        pass
                    time.sleep(1)
                for path in files:
                    name = str(path.resolve().relative_to(PROJECT_DIR))
                    conversations = yaml.safe_load(path.read_text(encoding="utf-8"))
                    for n, conversation in enumerate(conversations["conversations"]):
                        turns = []
                        for turn in conversation["turns"]:
                            text = to_simplified(str(turn))
                            parsed = http.post("/model/parse", json={"text": text}).json()
                            turns.append(
                                {
                                    "text": str(turn),
                                    "intent": parsed["intent"]["name"],
                                    "entities": [
                                        {
                                            key: e.get(key)
                                            for key in (
                                                "entity",
                                                "value",
                                                "start",
                                                "end",
                                                "role",
                                                "group",
                                            )
                                        }
                                        for e in parsed.get("entities", [])
                                    ],
                                }
                            )
                        record = {
                            "source": f"{name}#{n}",
                            "kind": conversation["kind"],
                            "expect": conversation["expect"],
                            "turns": turns,
                        }
                        out.write(json.dumps(record, ensure_ascii=False) + "\n")
                    print(name, len(conversations["conversations"]))
        finally:
            engine.terminate()
            engine.wait(30)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
