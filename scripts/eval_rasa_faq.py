"""Rasa's own FAQ answerer, the ResponseSelector, trained on the same FAQs: the Rasa-native peer.

    .venv/bin/python scripts/eval_rasa_faq.py            # writes results/rasa_faq/rankings.jsonl
    .venv/bin/python scripts/eval_kb.py --rasa results/rasa_faq/rankings.jsonl

Every FAQ becomes a retrieval intent ``faq/<id>`` whose examples are its question and similar
questions, with the same jieba tokenizer, user dictionary and featurizers as the bot's NLU. The
trained model is served by the real engine and every dev query parsed over HTTP; the ranking
(FAQ ids with confidences) is what ``eval_kb.py`` scores, fitting its thresholds the same way.
"""

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

import httpx
import yaml

from bot.engine_process import engine_env
from bot.settings import PROJECT_DIR, Settings
from knowledge_base.evaluation import read_queries, read_sets
from knowledge_base.importer import read_csv

OUT = PROJECT_DIR / "results" / "rasa_faq"

CONFIG = {
    "recipe": "default.v1",
    "language": "zh",
    "pipeline": [
        {"name": "JiebaTokenizer", "dictionary_path": str(PROJECT_DIR / "nlu_data" / "jieba")},
        {"name": "CountVectorsFeaturizer"},
        {"name": "CountVectorsFeaturizer", "analyzer": "char_wb", "min_ngram": 1, "max_ngram": 3},
        {"name": "DIETClassifier", "epochs": 1, "random_seed": 42},
        {"name": "ResponseSelector", "epochs": 100, "retrieval_intent": "faq", "random_seed": 42},
    ],
    "policies": [],
}


def write_project(faq_file: Path) -> None:
    faqs = read_csv(faq_file)
    (OUT / "data").mkdir(parents=True, exist_ok=True)
    nlu = {
        "version": "3.1",
        "nlu": [
            {
                "intent": f"faq/{faq.id}",
                "examples": "".join(
                    f"- {text}\n" for text in dict.fromkeys([faq.question, *faq.similar_questions])
                ),
            }
            for faq in faqs
        ],
    }
    domain = {
        "version": "3.1",
        "intents": ["faq"],
        "responses": {f"utter_faq/{faq.id}": [{"text": faq.answer}] for faq in faqs},
    }
    (OUT / "data" / "nlu.yml").write_text(yaml.safe_dump(nlu, allow_unicode=True), "utf-8")
    (OUT / "domain.yml").write_text(yaml.safe_dump(domain, allow_unicode=True), "utf-8")
    (OUT / "config.yml").write_text(yaml.safe_dump(CONFIG, allow_unicode=True), "utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--faqs", type=Path, default=PROJECT_DIR / "knowledge_base/demo/faq.csv")
    parser.add_argument(
        "--dev", type=Path, nargs="*", help="query sets (default: every dev set and supplement)"
    )
    parser.add_argument("--port", type=int, default=5099)
    args = parser.parse_args()
    settings = Settings()
    write_project(args.faqs)
    started = time.perf_counter()
    subprocess.run(
        [str(settings.rasa_bin), "train", "nlu", "--config", "config.yml", "--nlu", "data",
         "--domain", "domain.yml", "--out", "models", "--fixed-model-name", "faq"],
        cwd=OUT, env=engine_env(), check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    print(f"# trained the ResponseSelector in {time.perf_counter() - started:.0f}s")
    server = subprocess.Popen(
        [str(settings.rasa_bin), "run", "--enable-api", "-m", "models/faq.tar.gz",
         "--port", str(args.port)],
        cwd=OUT, env=engine_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{args.port}"
    try:
        with httpx.Client(base_url=url, timeout=60) as http:
            deadline = time.monotonic() + 300
            while True:
                try:
                    if http.get("/status").status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if time.monotonic() > deadline or server.poll() is not None:
                    raise SystemExit("the Rasa server did not start")
                time.sleep(1)
            queries = (
                [q for path in args.dev for q in read_queries(path)] if args.dev else read_sets()[0]
            )
            with (OUT / "rankings.jsonl").open("w", encoding="utf-8") as out:
                for query in queries:
                    parsed = http.post("/model/parse", json={"text": query.query}).json()
                    ranking = parsed["response_selector"]["faq"]["ranking"]
                    row = {
                        "query": query.query,
                        "ranking": [
                            {
                                "faq_id": r["intent_response_key"].removeprefix("faq/"),
                                "confidence": r["confidence"],
                            }
                            for r in ranking
                        ],
                    }
                    out.write(json.dumps(row, ensure_ascii=False) + "\n")
    finally:
        server.terminate()
        server.wait(timeout=60)
    print(f"# wrote {OUT / 'rankings.jsonl'} ({len(queries)} queries)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
