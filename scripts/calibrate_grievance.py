"""Choose the grievance detector's threshold by measurement, on messages it was not trained on.

    .venv/bin/python scripts/calibrate_grievance.py [--start 9] [--last unseen27]
        [--splits 5|files] [--jobs 2] [--max-false 0.01] [--probe TEXT ...]

Time-ordered: each set of scripted conversations (eval/complaint_conversations*.yml), from the
--start-th in the order written (categories.set_order; 0-based, default 9: the 10th set,
unseen8) to --last (default the latest), is scored by detectors trained as categories trains
them, but on the stories of the sets written before it only (with the NLU's `complain`
examples, the questions asked and the NLU examples of every other intent). Positives: the first
message of each of its conversations, and its whole stories (every turn but the confirmation).

Negatives, scored in every fold and pooled over the folds: the knowledge base's held-out
queries (eval/kb_heldout*.jsonl), its long questions (eval/kb_long.jsonl: the detector reads
long messages only) and the held-out NLU examples of every intent but `complain`
(eval/nlu_heldout.yml). knowledge_base/known_questions.jsonl holds every one of those queries,
so a negative is scored only by a detector that trained on no message reading like it
(simplified, digits masked). --splits N cuts each file of negatives in N parts and trains N
detectors per fold, each without one part, which it scores (the positives are scored by all
N): with 1, half the questions and every long one are out of the training, which makes the
detector worse on long questions than the one shipped; the default 5 keeps four fifths of
them. --splits files holds out one file at a time: a new kind of question (12 detectors a
fold). --jobs detectors are trained at once.

A message is detected as categories.detected reads it: simplified, intake.STORY_CHARS
characters or more, and a probability at the threshold or above. Printed: over thresholds, the
share of the positives and of the negatives detected; per fold, the shares at the current
threshold and at the recommended one, the threshold that detects most first messages with at
most --max-false of the long questions (kb_long) detected, and the same against every long
negative. --probe TEXT scores a message by the detector trained as shipped (every question) on
the sets up to each fold's, and on every set.
"""

import argparse
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from statistics import median

from sklearn.pipeline import Pipeline
from sklearn.utils.parallel import Parallel, delayed

from bot.complaints import categories, intake
from bot.settings import PROJECT_DIR
from knowledge_base.text import to_simplified

EVAL = PROJECT_DIR / "eval"
START = 9  # the sets before only train: the 10th set, unseen8, is the first scored
SPLITS = 5
JOBS = 2
MAX_FALSE = 0.01  # of the long questions, at most this share taken for a grievance
THRESHOLDS = [round(0.30 + 0.05 * step, 2) for step in range(13)]  # 0.30 … 0.90
FIRST, LONG_FIRST, STORIES = "first messages", f"first messages {intake.STORY_CHARS}+", "stories"
POSITIVES = (FIRST, LONG_FIRST, STORIES)
HELD_OUT, LONG, NLU = "kb_heldout*", "kb_long", "nlu_heldout"
LONG_NEGATIVES, NEGATIVES = f"negatives {intake.STORY_CHARS}+", "all negatives"

Scores = list[float | None]  # None: too short for the detector to read
Part = dict[str, list[str]]  # negatives by file


@dataclass
class Fold:
    """The scores of one set's messages and of the negatives (by file), by detectors trained on
    the sets before it."""

    name: str
    scores: dict[str, Scores]


def read_queries(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["query"] for line in lines if line]


def negatives() -> Part:
    """Questions and other messages that tell no grievance, by the file they come from."""
    files = sorted(EVAL.glob("kb_heldout*.jsonl")) + [EVAL / "kb_long.jsonl"]
    nlu = categories.nlu_examples(EVAL / "nlu_heldout.yml")
    return {
        **{path.stem: read_queries(path) for path in files},
        NLU: [text for intent, text in nlu if intent != "complain"],
    }


def column(file: str) -> str:
    """The column of the report a file of negatives counts in."""
    return HELD_OUT if file.startswith("kb_heldout") else file


def cut(files: Part, splits: str) -> list[Part]:
    """The negatives in the parts held out one at a time: one per file, or N parts of each."""
    if splits == "files":
        return [{name: texts} for name, texts in files.items()]
    n = int(splits)
    return [{name: texts[j::n] for name, texts in files.items()} for j in range(n)]


def reading(text: str) -> str:
    """What the detector reads of a text (simplified, digits masked): examples that read the
    same are the same example to it."""
    return categories.unnumbered(text).strip()


def train(stories: Sequence[dict[str, str]], taken_out: set[str]) -> Pipeline:
    """The detector categories trains, without the other messages that read like taken_out."""
    complaints, others = categories.grievance_examples(stories, categories.questions())
    return categories.train_grievance(
        complaints, [text for text in others if reading(text) not in taken_out]
    )


def score(detector: Pipeline, texts: Sequence[str]) -> Scores:
    """The detector's probability of each text long enough for it (as categories.detected)."""
    simplified = [to_simplified(text) for text in texts]
    return [
        categories.grievance(text, detector) if len(text) >= intake.STORY_CHARS else None
        for text in simplified
    ]


def detect(stories: Sequence[dict[str, str]], positives: Part, part: Part) -> dict[str, Scores]:
    """A detector trained on the stories without the part: its scores of the positives and of
    the part."""
    detector = train(stories, {reading(text) for texts in part.values() for text in texts})
    return {name: score(detector, texts) for name, texts in [*positives.items(), *part.items()]}


def held_out(
    folds: Sequence[tuple[Sequence[dict[str, str]], Part]], parts: Sequence[Part], jobs: int
) -> list[dict[str, Scores]]:
    """For each fold (training stories, positives), detectors each trained without one part of
    the negatives: the positives scored by every detector, each part by the one without it."""
    runs = Parallel(n_jobs=jobs)(
        delayed(detect)(stories, positives, part) for stories, positives in folds for part in parts
    )
    merged = []
    for k in range(len(folds)):
        scores: dict[str, Scores] = {}
        for run in runs[k * len(parts) : (k + 1) * len(parts)]:
            for name, scored in run.items():
                scores.setdefault(name, []).extend(scored)
        if FIRST in scores:
            scores[LONG_FIRST] = [s for s in scores[FIRST] if s is not None]
        merged.append(scores)
    return merged


def columns(folds: Sequence[Fold]) -> dict[str, Scores]:
    """The scores of the report's columns, pooled over the folds."""
    pool: dict[str, Scores] = {name: [] for name in [*POSITIVES, HELD_OUT, LONG, NLU]}
    for fold in folds:
        for name, scores in fold.scores.items():
            pool[name if name in POSITIVES else column(name)].extend(scores)
    pool = {name: scores for name, scores in pool.items() if scores}
    every = [s for name, scores in pool.items() if name not in POSITIVES for s in scores]
    pool[LONG_NEGATIVES] = [s for s in every if s is not None]
    pool[NEGATIVES] = every
    return pool


def share(scores: Scores, threshold: float) -> float:
    return sum(s is not None and s >= threshold for s in scores) / len(scores) if scores else 0.0


def recommend(pool: dict[str, Scores], against: str, max_false: float) -> float | None:
    """The threshold detecting most first messages with at most max_false of the negatives
    `against` detected (the higher of equals)."""
    allowed = [t for t in THRESHOLDS if share(pool[against], t) <= max_false]
    return max(allowed, key=lambda t: (share(pool[FIRST], t), t)) if allowed else None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--start", type=int, default=START, help="first set scored (0-based)")
    parser.add_argument("--last", help="last set scored, e.g. unseen27 (default: the latest)")
    parser.add_argument("--splits", default=str(SPLITS), help="N parts, or files")
    parser.add_argument("--max-false", type=float, default=MAX_FALSE, help="of long questions")
    parser.add_argument("--jobs", type=int, default=JOBS, help="detectors trained at once")
    parser.add_argument("--probe", action="append", default=[], help="a message to score")
    args = parser.parse_args()
    sets = sorted(
        EVAL.glob("complaint_conversations*.yml"), key=lambda f: categories.set_order(f.name)
    )
    names = [categories.set_order(path.name)[1] or "complaint_conversations" for path in sets]
    if args.last:
        if args.last not in names:
            parser.error(f"no set {args.last}: {', '.join(names)}")
        sets = sets[: names.index(args.last) + 1]
    if not 0 < args.start < len(sets):
        parser.error(f"--start must be 1 to {len(sets) - 1}")
    if args.splits != "files" and not (args.splits.isdigit() and int(args.splits) > 0):
        parser.error("--splits is a number of parts, or files")
    stories = [categories.conversation_examples(path, PROJECT_DIR) for path in sets]
    files = negatives()
    parts = cut(files, args.splits)
    every_negative = {reading(text) for texts in files.values() for text in texts}
    _, others = categories.grievance_examples([], categories.questions())
    removed = sum(reading(text) in every_negative for text in others)

    scoring = range(args.start, len(sets))
    runs = held_out(
        [
            (
                [row for rows in stories[:k] for row in rows],
                {
                    FIRST: categories.conversation_openings(sets[k]),
                    STORIES: [row["text"] for row in stories[k]],
                },
            )
            for k in scoring
        ]
        + [([row for rows in stories for row in rows], {})],
        parts,
        args.jobs,
    )
    folds = [Fold(names[k], scores) for k, scores in zip(scoring, runs[:-1], strict=True)]
    pool = columns(folds)
    final = columns([Fold("every set", runs[-1])])

    current = categories.GRIEVANCE
    best = recommend(pool, LONG, args.max_false)
    print(
        f"{len(folds)} folds ({folds[0].name} … {folds[-1].name}), each trained on the sets"
        f" before it. {removed} of the training's {len(others)} other messages read like a"
        f" negative; they are held out in {len(parts)} part(s) (--splits {args.splits}). The"
        f" detector reads {intake.STORY_CHARS}+ characters."
    )
    print()
    heads = []
    for name, scored in pool.items():
        # a fold's positives are scored by each of its detectors, the negatives once a fold
        times = len(parts) if name in POSITIVES else len(folds)
        long = sum(s is not None for s in scored) // times
        heads.append(f"{name} (n {len(scored) // times}, {long} long)")
    print("| threshold | " + " | ".join(heads) + " |")
    print("| --- |" + " --- |" * len(pool))
    for t in THRESHOLDS:
        mark = " (now)" if abs(t - current) < 1e-9 else " (recommended)" if t == best else ""
        cells = " | ".join(f"{share(scored, t):.3f}" for scored in pool.values())
        print(f"| {t:.2f}{mark} | {cells} |")

    print()
    shown = [current] if best is None or abs(best - current) < 1e-9 else [current, best]
    shares = (FIRST, LONG_FIRST, STORIES, LONG)
    heads = [f"{name} ≥{t:.2f}" for t in shown for name in shares]
    print("| set | " + " | ".join(heads) + f" | highest {LONG} |")
    print("| --- |" + " --- |" * (len(heads) + 1))
    for fold in folds:
        cells = " | ".join(f"{share(fold.scores[c], t):.2f}" for t in shown for c in shares)
        highest = max(s for s in fold.scores[LONG] if s is not None)
        print(f"| {fold.name} | {cells} | {highest:.2f} |")
    print()
    for t in shown:
        for name in shares:
            per_fold = [share(fold.scores[name], t) for fold in folds]
            print(
                f"per fold at {t:.2f}, {name}: min {min(per_fold):.2f}, median"
                f" {median(per_fold):.2f}, max {max(per_fold):.2f}"
            )
    print()
    for against in (LONG, LONG_NEGATIVES):
        chosen = recommend(pool, against, args.max_false)
        if chosen is None:
            print(f"no threshold up to {THRESHOLDS[-1]} keeps {against} at {args.max_false:.1%}")
            continue
        print(
            f"{'recommended' if against == LONG else 'against every long negative'}:"
            f" {chosen:.2f}, the most first messages detected with {against} at"
            f" {args.max_false:.1%} or less: {FIRST} {share(pool[FIRST], chosen):.3f}"
            f" ({share(pool[LONG_FIRST], chosen):.3f} of the long ones), {STORIES}"
            f" {share(pool[STORIES], chosen):.3f}; {LONG} {share(pool[LONG], chosen):.3f},"
            f" {LONG_NEGATIVES} {share(pool[LONG_NEGATIVES], chosen):.3f},"
            f" {NEGATIVES} {share(pool[NEGATIVES], chosen):.3f}"
        )
    for t in shown:
        print(
            f"trained on all {len(sets)} sets (negatives held out as above), at {t:.2f}:"
            + ",".join(f" {c} {share(final[c], t):.3f}" for c in (LONG, LONG_NEGATIVES, NEGATIVES))
        )
    in_order = {name: [t for part in parts for t in part.get(name, [])] for name in files}
    print()
    print(f"long negatives that detector takes for a grievance at {min(shown):.2f}:")
    for name, texts in in_order.items():
        for text, p in zip(texts, runs[-1][name], strict=True):
            if p is not None and p >= min(shown):
                print(f"  {p:.2f} {name}: {text}")
    if args.probe:
        print()
        print("probes, by the detector as shipped (every question) trained on the sets up to:")
    for text in args.probe:
        seen = []
        for k in range(args.start - 1, len(sets)):
            detector = train([row for rows in stories[: k + 1] for row in rows], set())
            seen.append(f"{names[k]} {categories.grievance(text, detector):.2f}")
        print(f"{text[:40]}…: " + ", ".join(seen))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
