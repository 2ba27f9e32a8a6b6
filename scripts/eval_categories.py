"""Complaint category accuracy: the classifier against the cue words, on unseen conversations.

    .venv/bin/python scripts/eval_categories.py                       # in the order written
    .venv/bin/python scripts/eval_categories.py eval/complaint_conversations_unseen23.yml

Without files: each set of bot/complaints/category_examples.jsonl in turn is classified by a
classifier trained only on the sets written before it, as it would have been on its first run;
the first three sets only train. With files (sets not among the examples): the classifier
trained on all the examples. Beside it, on the same stories: the cue words as they stood
before the set was written (what its first run met) and today's (tuned on every set).
"""

import argparse
import subprocess
import types
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

from sklearn.pipeline import Pipeline

from bot.complaints import intake
from bot.complaints.categories import (
    classify,
    conversation_examples,
    read_examples,
    set_order,
    train,
)
from bot.settings import PROJECT_DIR
from knowledge_base.text import to_simplified

FIRST_TESTED = 3  # sets that only train: a classifier needs examples of every category
Stories = list[tuple[str, str]]
Cues = Callable[[str], str | None]


def cues_before(name: str) -> Cues:
    """The cue words as they were before the set was added to the repository (its first run
    was on them): intake.py at the parent of the commit that added it."""
    log = ["git", "log", "--diff-filter=A", "--format=%H", "--", name]
    added = subprocess.run(log, cwd=PROJECT_DIR, capture_output=True, text=True, check=True)
    commit = added.stdout.split()[-1]
    show = ["git", "show", f"{commit}^:bot/complaints/intake.py"]
    source = subprocess.run(show, cwd=PROJECT_DIR, capture_output=True, text=True, check=True)
    then = types.ModuleType("intake_then")
    exec(compile(source.stdout, f"intake.py@{commit[:7]}^", "exec"), then.__dict__)
    return then.classify_category  # type: ignore[no-any-return]


def score(stories: Stories, classifier: Pipeline, *cue_sets: Cues) -> list[int]:
    """How many stories each reads right: the cue sets, then the classifier."""
    return [
        sum((cues(to_simplified(text)) or "其他") == category for text, category in stories)
        for cues in cue_sets
    ] + [sum(classify(text, classifier) == category for text, category in stories)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("files", nargs="*", type=Path, help="sets not among the examples")
    args = parser.parse_args()
    by_set: dict[str, Stories] = defaultdict(list)
    for example in read_examples():
        by_set[example["source"].split("#")[0]].append((example["text"], example["category"]))
    names = sorted(by_set, key=set_order)
    runs: list[tuple[str, Stories, list[str]]] = []
    for path in args.files:
        stories = [(e["text"], e["category"]) for e in conversation_examples(path, PROJECT_DIR)]
        runs.append((str(path.resolve().relative_to(PROJECT_DIR)), stories, names))
    if not args.files:
        runs = [(name, by_set[name], names[:k]) for k, name in enumerate(names)][FIRST_TESTED:]
    print("| set | conversations | cue words then | cue words now | classifier |")
    print("| --- | --- | --- | --- | --- |")
    totals = [0, 0, 0, 0]
    for name, stories, trained_on in runs:
        classifier = train([pair for earlier in trained_on for pair in by_set[earlier]])
        right = [
            len(stories),
            *score(stories, classifier, cues_before(name), intake.classify_category),
        ]
        cells = " | ".join(f"{r / len(stories):.2f}" for r in right[1:])
        print(f"| {Path(name).name} | {len(stories)} | {cells} |")
        totals = [a + b for a, b in zip(totals, right, strict=True)]
    cells = " | ".join(f"{r / totals[0]:.3f}" for r in totals[1:])
    print(f"| all | {totals[0]} | {cells} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
