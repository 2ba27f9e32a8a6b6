"""Intent F1 of the trained engine on the held-out set, or 5-fold cross-validation.

    .venv/bin/python scripts/eval_nlu.py                     # held-out: eval/nlu_heldout.yml
    .venv/bin/python scripts/eval_nlu.py --cross-validation  # 5 folds over nlu_data/
Prints a Markdown table (the README's) and writes the raw reports under results/.
"""

import argparse
import json
import subprocess
import sys
from pathlib import Path

from bot.engine_process import engine_env, train
from bot.settings import PROJECT_DIR, Settings


def run(args: list[str]) -> None:
    settings = Settings()
    command = [str(settings.rasa_bin), "test", "nlu", *args]
    subprocess.run(
        command, cwd=PROJECT_DIR, env=engine_env(), check=True, stdout=subprocess.DEVNULL
    )


def table(report_path: Path, title: str) -> str:
    report = json.loads(report_path.read_text())
    rows = [f"| {title} | precision | recall | F1 | examples |", "| --- | --- | --- | --- | --- |"]
    for intent, scores in sorted(report.items()):
        if (
            isinstance(scores, dict)
            and "f1-score" in scores
            and intent not in ("macro avg", "weighted avg", "micro avg")
        ):
            rows.append(
                f"| {intent} | {scores['precision']:.3f} | {scores['recall']:.3f} | "
                f"{scores['f1-score']:.3f} | {scores['support']} |"
            )
    macro = report["macro avg"]
    rows.append(
        f"| **macro avg** | {macro['precision']:.3f} | {macro['recall']:.3f} | "
        f"**{macro['f1-score']:.3f}** | {macro['support']} |"
    )
    accuracy = report.get("accuracy")
    if accuracy is not None:
        rows.append(f"\naccuracy {accuracy:.3f}")
    return "\n".join(rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cross-validation", action="store_true")
    parser.add_argument("--folds", type=int, default=5)
    args = parser.parse_args()
    out = PROJECT_DIR / "results" / ("cv" if args.cross_validation else "heldout")
    if args.cross_validation:
        run(
            [
                "--nlu",
                "nlu_data",
                "--config",
                "config.yml",
                "--cross-validation",
                "--folds",
                str(args.folds),
                "--out",
                str(out),
            ]
        )
        print(table(out / "intent_report.json", f"{args.folds}-fold CV intent"))
    else:
        model = train(Settings())
        run(["--nlu", "eval/nlu_heldout.yml", "--model", str(model), "--out", str(out)])
        print(table(out / "intent_report.json", "held-out intent"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
