"""Retrieval evaluation on a labelled query set: ranking quality and the answer/clarify/none call.

A query set is JSON lines ``{"query", "faq_id" (null when out of scope), "style"}``. Each
retriever setup is scored the same way: candidates and their features, a calibration fitted by
``calibration.fit``, the metrics below. Numbers reported as held-out come from cross-validation
by query set (each written by another author): the calibration never sees the queries it is
scored on, nor others of the same set (a one-style supplement's rows are dealt over the folds).
"""

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bot.settings import PROJECT_DIR
from knowledge_base.calibration import Calibration, Example, Outcome, Targets, fit, outcomes
from knowledge_base.embedding import Vectors
from knowledge_base.known import KnownQuestions

EVAL_DIR = PROJECT_DIR / "eval"
# The dev sets: the first written with the FAQs, the others later, each by another author who saw
# only the FAQ file; each is one fold of the cross-validation.
DEV_SETS = tuple(
    EVAL_DIR / f"kb_{name}.jsonl"
    for name in (
        "dev",
        "heldout",
        "heldout2",
        "heldout3",
        "heldout4",
        "heldout5",
        "heldout6",
        "heldout7",
        "heldout8",
        "heldout9",
        "heldout10",
    )
)
# Sets of one style, dealt over the folds: long stories, in scope and out.
SUPPLEMENTS = (EVAL_DIR / "kb_long.jsonl",)


@dataclass(frozen=True)
class LabelledQuery:
    query: str
    faq_id: str | None
    style: str


def read_sets(
    dev: Sequence[Path] = DEV_SETS, supplements: Sequence[Path] = SUPPLEMENTS
) -> tuple[list[LabelledQuery], list[int], list[str]]:
    """The queries of every set, each one's fold (its dev set's; a supplement's queries go to
    the folds in turn) and the name of the set it came from."""
    queries: list[LabelledQuery] = []
    fold_of: list[int] = []
    source: list[str] = []
    for fold, path in enumerate(dev):
        read = read_queries(path)
        queries.extend(read)
        fold_of.extend([fold] * len(read))
        source.extend([path.name] * len(read))
    for path in supplements:
        read = read_queries(path)
        queries.extend(read)
        fold_of.extend(i % len(dev) for i in range(len(read)))
        source.extend([path.name] * len(read))
    return queries, fold_of, source


def read_queries(path: Path) -> list[LabelledQuery]:
    queries = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            queries.append(LabelledQuery(row["query"], row.get("faq_id"), row.get("style", "")))
    return queries


@dataclass(frozen=True)
class Metrics:
    queries: int
    top1: float  # in-scope: the right FAQ ranks first
    mrr5: float  # in-scope: mean reciprocal rank of the right FAQ within the top 5
    answered_right: float  # in-scope: decision "answer" with the right FAQ
    resolved: float  # in-scope: answered right, or "clarify" offering it in the top 3
    oos_abstained: float  # out of scope: decision "none"
    false_abstention: float  # in-scope: decision "none"
    wrong_answers: float  # all queries: decision "answer" with a wrong FAQ (or out of scope)


@dataclass(frozen=True)
class Scored:
    outcome: Outcome
    ranking: list[str]


def metrics(examples: Sequence[Example], scored: Sequence[Scored]) -> Metrics:
    in_scope = [i for i, e in enumerate(examples) if e.gold is not None]
    oos = [i for i, e in enumerate(examples) if e.gold is None]
    results = [s.outcome for s in scored]

    def share(indices: list[int], predicate: Callable[[int], bool]) -> float:
        return sum(1 for i in indices if predicate(i)) / max(len(indices), 1)

    def reciprocal_rank(i: int) -> float:
        ranked = scored[i].ranking[:5]
        gold = examples[i].gold
        return 1 / (ranked.index(gold) + 1) if gold in ranked else 0.0

    everything = list(range(len(examples)))
    return Metrics(
        queries=len(examples),
        top1=share(in_scope, lambda i: results[i].top1),
        mrr5=sum(reciprocal_rank(i) for i in in_scope) / max(len(in_scope), 1),
        answered_right=share(
            in_scope, lambda i: results[i].decision == "answer" and results[i].top1
        ),
        resolved=share(
            in_scope,
            lambda i: (
                (results[i].decision == "answer" and results[i].top1)
                or (results[i].decision == "clarify" and results[i].in_top3)
            ),
        ),
        oos_abstained=share(oos, lambda i: results[i].decision == "none"),
        false_abstention=share(in_scope, lambda i: results[i].decision == "none"),
        wrong_answers=share(
            everything, lambda i: results[i].decision == "answer" and not results[i].top1
        ),
    )


def score(example: Example, calibration: Calibration) -> Scored:
    probabilities = [calibration.probability(c) for c in example.candidates]
    order = sorted(range(len(probabilities)), key=lambda i: probabilities[i], reverse=True)
    return Scored(outcomes([example], calibration)[0], [example.ids[i] for i in order])


def cross_validated(
    examples: Sequence[Example],
    features: Sequence[str],
    fold_of: Sequence[int],
    targets: Targets | None = None,
    query_features: Sequence[str] = (),
    refold: Callable[[int], Sequence[Example]] | None = None,
) -> list[Scored]:
    """Fit on every fold but one, score that one: every query scored once, by a calibration
    that never saw it. ``fold_of[i]`` is example i's fold; ``refold(fold)``, if given, gives
    the examples as they are with that fold left out (see ``with_known``). Returned in the
    order of ``examples``."""
    if len(set(fold_of)) < 2:
        raise ValueError("cross-validation needs queries in two folds or more (two dev sets)")
    scored: dict[int, Scored] = {}
    for fold in sorted(set(fold_of)):
        if refold is not None:
            examples = refold(fold)
        train = [e for e, f in zip(examples, fold_of, strict=True) if f != fold]
        calibration = fit(train, features, targets or Targets(), query_features=query_features)
        for i, f in enumerate(fold_of):
            if f == fold:
                scored[i] = score(examples[i], calibration)
    return [scored[i] for i in range(len(examples))]


def with_known(
    examples: Sequence[Example],
    vectors: Vectors,
    known: KnownQuestions,
    fold_of: Sequence[int],
    left_out: int | None = None,
) -> list[Example]:
    """The examples with their known-question features, each read off the labelled questions
    of the other folds only (never its own set's, nor fold ``left_out``'s). ``known`` holds the
    examples' own queries in the same order; ``vectors`` their query vectors."""
    folds = np.asarray(fold_of)
    result: list[Example] = list(examples)
    for fold in sorted(set(fold_of)):
        keep = folds != fold
        if left_out is not None:
            keep &= folds != left_out
        memory = known.subset(keep)
        for i in np.nonzero(folds == fold)[0]:
            result[int(i)] = add_known(examples[int(i)], vectors[int(i)], memory)
    return result


def add_known(example: Example, vector: Vectors, known: KnownQuestions) -> Example:
    best_text = max((c["dense"] for c in example.candidates), default=0.0)
    query, per_candidate = known.features(vector, best_text, example.ids)
    return Example(
        candidates=[
            {**c, **query, "known": per_candidate[faq_id]}
            for c, faq_id in zip(example.candidates, example.ids, strict=True)
        ],
        ids=example.ids,
        gold=example.gold,
    )
