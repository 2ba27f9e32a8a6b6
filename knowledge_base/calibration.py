"""From scores to a decision: a small logistic combiner and two thresholds, fitted on data.

Every candidate FAQ of a query has features — dense cosine, BM25 score normalized by the text's
own score, how much of the query's BM25 weight the text covers, the pair matcher's logit and
whether the query names another destination. A logistic regression fitted
on the dev set turns them into the probability that the candidate is the right answer: it ranks
the candidates and says how sure the top one is. ``answer`` when that probability clears the
answer threshold, ``clarify`` with the top questions when it clears the lower one, ``none``
otherwise. ``scripts/eval_kb.py --save`` fits all of it; nothing here is set by hand.
"""

import json
import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Literal

import numpy as np

Decision = Literal["answer", "clarify", "none"]
FEATURES = ("dense", "balanced", "unexplained", "dense_gap", "balanced_gap", "match", "elsewhere")
CALIBRATION_FILE = Path(__file__).resolve().parent / "calibration.json"


@dataclass(frozen=True)
class Calibration:
    features: tuple[str, ...]
    weights: tuple[float, ...]
    bias: float
    answer: float
    clarify: float
    fitted_on: str = ""
    matcher: tuple[float, ...] = ()  # the pair matcher's weights (see ``matcher``), if any

    def probability(self, values: dict[str, float]) -> float:
        z = self.bias + sum(w * values[f] for f, w in zip(self.features, self.weights, strict=True))
        return 1 / (1 + math.exp(-max(min(z, 30.0), -30.0)))

    def decide(self, best: float | None) -> Decision:
        if best is None or best < self.clarify:
            return "none"
        return "answer" if best >= self.answer else "clarify"

    def as_dict(self) -> dict:
        return asdict(self)


def load(model: str, path: Path = CALIBRATION_FILE) -> Calibration | None:
    if not path.exists():
        return None
    entry = json.loads(path.read_text(encoding="utf-8")).get(model)
    if entry is None:
        return None
    for field in ("features", "weights", "matcher"):
        entry[field] = tuple(entry.get(field, ()))
    return Calibration(**entry)


def save(model: str, calibration: Calibration, path: Path = CALIBRATION_FILE) -> None:
    data = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    data[model] = calibration.as_dict()
    data[model]["matcher"] = [round(w, 5) for w in calibration.matcher]
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


# --- fitting ---------------------------------------------------------------------------------


@dataclass
class Example:
    """One dev query: its candidates' features and which candidate (if any) is right."""

    candidates: list[dict[str, float]]
    ids: list[str]
    gold: str | None  # None: out of scope


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float = 1e-2, steps: int = 50) -> np.ndarray:
    """Newton's method on the L2-regularized log loss; returns [bias, *weights]."""
    design = np.hstack([np.ones((len(x), 1)), x])
    beta = np.zeros(design.shape[1])
    penalty = l2 * np.eye(design.shape[1])
    penalty[0, 0] = 0.0
    for _ in range(steps):
        p = 1 / (1 + np.exp(-np.clip(design @ beta, -30, 30)))
        gradient = design.T @ (p - y) + penalty @ beta
        hessian = design.T @ (design * (p * (1 - p))[:, None]) + penalty
        step = np.linalg.solve(hessian + 1e-9 * np.eye(len(beta)), gradient)
        beta -= step
        if np.abs(step).max() < 1e-8:
            break
    return beta


@dataclass(frozen=True)
class Outcome:
    decision: Decision
    top1: bool
    in_top3: bool


def outcomes(examples: Sequence[Example], calibration: Calibration) -> list[Outcome]:
    results = []
    for example in examples:
        probabilities = [calibration.probability(c) for c in example.candidates]
        order = sorted(range(len(probabilities)), key=lambda i: probabilities[i], reverse=True)
        best = probabilities[order[0]] if order else None
        ranked = [example.ids[i] for i in order]
        results.append(
            Outcome(
                decision=calibration.decide(best),
                top1=bool(ranked) and ranked[0] == example.gold,
                in_top3=example.gold in ranked[:3],
            )
        )
    return results


@dataclass(frozen=True)
class Targets:
    """What the thresholds are fitted to, with a margin under the issue's bar for unseen data."""

    max_false_abstention: float = 0.03
    min_answer_precision: float = 0.95


def fit(
    examples: Sequence[Example],
    features: Sequence[str] = FEATURES,
    targets: Targets = Targets(),
    fitted_on: str = "",
    matcher: Sequence[float] = (),
) -> Calibration:
    rows, labels = [], []
    for example in examples:
        for candidate_id, candidate in zip(example.ids, example.candidates, strict=True):
            rows.append([candidate[f] for f in features])
            labels.append(1.0 if candidate_id == example.gold else 0.0)
    beta = fit_logistic(np.asarray(rows, dtype=float), np.asarray(labels))
    combiner = Calibration(tuple(features), tuple(float(b) for b in beta[1:]), float(beta[0]), 1, 0)

    best_in_scope: list[float] = []
    best_oos: list[float] = []
    for example in examples:
        top = max((combiner.probability(c) for c in example.candidates), default=0.0)
        (best_oos if example.gold is None else best_in_scope).append(top)
    in_scope = np.sort(np.asarray(best_in_scope))
    # clarify: the highest threshold that abstains on at most the allowed share of answerable
    # queries; everything under it is "none".
    allowed = int(math.floor(targets.max_false_abstention * len(in_scope)))
    clarify = float(in_scope[allowed]) if len(in_scope) else 0.5
    # answer: the lowest threshold above which the top candidate is right often enough.
    answer = 1.0
    scored = sorted(
        (
            (max(combiner.probability(c) for c in e.candidates), _top_is_gold(e, combiner))
            for e in examples
            if e.candidates
        ),
        reverse=True,
    )
    right = 0
    for n, (probability, correct) in enumerate(scored, start=1):
        right += correct
        if probability >= clarify and right / n >= targets.min_answer_precision:
            answer = probability
    return Calibration(
        combiner.features,
        combiner.weights,
        combiner.bias,
        answer,
        clarify,
        fitted_on,
        tuple(float(w) for w in matcher),
    )


def _top_is_gold(example: Example, combiner: Calibration) -> bool:
    probabilities = [combiner.probability(c) for c in example.candidates]
    return example.ids[int(np.argmax(probabilities))] == example.gold
