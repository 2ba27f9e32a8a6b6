"""From scores to a decision: a logistic combiner that ranks, a scope model and two thresholds.

Every candidate FAQ of a query has features — dense cosine, BM25 score normalized by the text's
own score, how much of the query's BM25 weight the text covers, how much of the query's meaning
its words leave uncovered, the pair matcher's logit and whether the query names another
destination. A logistic regression fitted on the dev set turns them into the probability that
the candidate is the right answer: it ranks the candidates. Whether the query is one the KB
answers at all is a second question, asked of the whole query: the scope model, boosted trees
(``trees``) over the top candidate's absolute features, its probability and the query's length
(the gaps that help ranking say nothing there), fitted on in-scope against out-of-scope dev
queries. ``none`` when the scope probability is under the clarify threshold, else ``answer``
when the top candidate's probability clears the answer threshold, else ``clarify`` with the top
questions. ``scripts/eval_kb.py --save`` fits all of it; nothing here is set by hand.
"""

import json
import logging
import math
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import Literal, NamedTuple

import numpy as np

from knowledge_base.known import CANDIDATE_FEATURES as KNOWN_FEATURES
from knowledge_base.known import QUERY_FEATURES as KNOWN_QUERY_FEATURES
from knowledge_base.trees import Tree, fit_trees, predict

log = logging.getLogger(__name__)

Decision = Literal["answer", "clarify", "none"]
FEATURES = (
    "dense",
    "balanced",
    "unexplained",
    "uncovered",
    "dense_gap",
    "balanced_gap",
    "match",
    "elsewhere",
    *KNOWN_FEATURES,
)
BEST = "best"  # the scope model's input: the logit of the top candidate's probability
# What the scope model reads besides the combiner's features: log(1 + characters of the query)
# and how close the query is to a known out-of-scope question (``known``).
LENGTH = "length"
QUERY_FEATURES = (LENGTH, *KNOWN_QUERY_FEATURES)
SCOPE_FOLDS = 5  # the clarify threshold is read off scope probabilities of held-out folds
CALIBRATION_FILE = Path(__file__).resolve().parent / "calibration.json"
_NUMBER_LIST = re.compile(r"\[\s*((?:-?[0-9.e+-]+,\s*)*-?[0-9.e+-]+)\s*\]")
_LISTS_OBJECT = re.compile(r"\{(?:\s*\"\w+\": \[[^\[\]]*\],?)+\s*\}")  # a tree: one line


@dataclass(frozen=True)
class Calibration:
    features: tuple[str, ...]
    weights: tuple[float, ...]
    bias: float
    answer: float
    clarify: float
    fitted_on: str = ""
    matcher: tuple[float, ...] = ()  # the pair matcher's weights (see ``matcher``), if any
    # Without a fitted scope model the scope probability is the top candidate's probability.
    scope: tuple[str, ...] = ()
    scope_bias: float = 0.0
    scope_trees: tuple[Tree, ...] = ()

    def probability(self, values: dict[str, float]) -> float:
        z = self.bias + sum(w * values[f] for f, w in zip(self.features, self.weights, strict=True))
        return _sigmoid(z)

    def in_scope(self, best: float, values: dict[str, float]) -> float:
        """How likely the query is one the KB answers, from its top candidate."""
        if not self.scope_trees:
            return best
        inputs = {**values, BEST: _logit(best)}
        row = [inputs[f] for f in self.scope]
        return _sigmoid(self.scope_bias + sum(tree.value_at(row) for tree in self.scope_trees))

    def decide(self, best: float | None, values: dict[str, float] | None = None) -> Decision:
        """``best``: the top candidate's probability; ``values``: its features."""
        if best is None:
            return "none"
        return self.decision(best, self.in_scope(best, values or {}))

    def decision(self, best: float, scope: float) -> Decision:
        """From the top candidate's probability and the query's scope probability."""
        if scope < self.clarify:
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
    if "scope_weights" in entry:
        log.warning(
            "%s: calibration from before the scope trees; decisions use the top probability "
            "until `scripts/eval_kb.py --save` refits it",
            model,
        )
    known = {f.name for f in fields(Calibration)}
    entry = {key: value for key, value in entry.items() if key in known}  # an older file's too
    for field in ("features", "weights", "matcher", "scope"):
        if field in entry:
            entry[field] = tuple(entry[field])
    entry["scope_trees"] = tuple(
        Tree(**{part: tuple(values) for part, values in tree.items()})
        for tree in entry.get("scope_trees", ())
    )
    return Calibration(**entry)


def save(model: str, calibration: Calibration, path: Path = CALIBRATION_FILE) -> None:
    data = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    data[model] = calibration.as_dict()
    data[model]["matcher"] = [round(w, 5) for w in calibration.matcher]
    text = json.dumps(data, ensure_ascii=False, indent=2)
    # A list of numbers on one line: the matcher's thousand weights would fill a page each.
    text = _NUMBER_LIST.sub(lambda m: "[" + " ".join(m.group(1).split()) + "]", text)
    text = _LISTS_OBJECT.sub(lambda m: " ".join(m.group(0).split()), text)
    path.write_text(text + "\n", encoding="utf-8")


# --- fitting ---------------------------------------------------------------------------------


@dataclass
class Example:
    """One dev query: its candidates' features and which candidate (if any) is right."""

    candidates: list[dict[str, float]]
    ids: list[str]
    gold: str | None  # None: out of scope


def _sigmoid(z: float) -> float:
    return 1 / (1 + math.exp(-max(min(z, 30.0), -30.0)))


def _logit(p: float) -> float:
    p = min(max(p, 1e-6), 1 - 1e-6)
    return math.log(p / (1 - p))


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


class Top(NamedTuple):
    probability: float
    features: dict[str, float]
    id: str


def top_candidate(example: Example, calibration: Calibration) -> Top | None:
    """The best candidate's probability, features and id, or None without candidates."""
    if not example.candidates:
        return None
    probabilities = [calibration.probability(c) for c in example.candidates]
    best = int(np.argmax(probabilities))
    return Top(probabilities[best], example.candidates[best], example.ids[best])


def outcomes(examples: Sequence[Example], calibration: Calibration) -> list[Outcome]:
    results = []
    for example in examples:
        probabilities = [calibration.probability(c) for c in example.candidates]
        order = sorted(range(len(probabilities)), key=lambda i: probabilities[i], reverse=True)
        best = probabilities[order[0]] if order else None
        ranked = [example.ids[i] for i in order]
        results.append(
            Outcome(
                decision=calibration.decide(best, example.candidates[order[0]] if order else None),
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
    query_features: Sequence[str] = (),
) -> Calibration:
    """The combiner, then the scope model over the top candidates (``query_features`` are read
    by the scope model only), then the thresholds."""
    rows, labels = [], []
    for example in examples:
        for candidate_id, candidate in zip(example.ids, example.candidates, strict=True):
            rows.append([candidate[f] for f in features])
            labels.append(1.0 if candidate_id == example.gold else 0.0)
    beta = fit_logistic(np.asarray(rows, dtype=float), np.asarray(labels))
    combiner = Calibration(tuple(features), tuple(float(b) for b in beta[1:]), float(beta[0]), 1, 0)
    tops = [(e, top_candidate(e, combiner)) for e in examples]
    tops_found = [(e, top) for e, top in tops if top is not None]

    scope = (BEST, *(f for f in features if not f.endswith("_gap")), *query_features)
    x = np.asarray(
        [
            [top.features[f] if f != BEST else _logit(top.probability) for f in scope]
            for _, top in tops_found
        ]
    ).reshape(len(tops_found), len(scope))
    y = np.asarray([1.0 if e.gold is not None else 0.0 for e, _ in tops_found])
    bias, trees = fit_trees(x, y)
    model = Calibration(
        combiner.features,
        combiner.weights,
        combiner.bias,
        1,
        0,
        scope=scope,
        scope_bias=bias,
        scope_trees=tuple(trees),
    )

    # clarify: the highest scope threshold that abstains on at most the allowed share of
    # answerable queries (a query without candidates is abstained on anyway), read off scope
    # probabilities of models that did not see the query: trees fit what they were fitted on.
    held_out = np.zeros(len(y))
    for fold in range(SCOPE_FOLDS):
        scored = np.arange(len(y)) % SCOPE_FOLDS == fold
        if scored.all() or not scored.any():
            continue
        fold_bias, fold_trees = fit_trees(x[~scored], y[~scored])
        held_out[scored] = predict(fold_bias, fold_trees, x[scored])
    scope_of = [_sigmoid(float(z)) for z in held_out]
    in_scope = np.sort(
        [p for p, label in zip(scope_of, y, strict=True) if label]
        + [0.0 for e, top in tops if top is None and e.gold is not None]
    )
    allowed = int(math.floor(targets.max_false_abstention * len(in_scope)))
    clarify = float(in_scope[allowed]) if len(in_scope) else 0.5
    # answer: among the queries not abstained on, the lowest probability above which the top
    # candidate is right often enough.
    answer = 1.0
    scored = sorted(
        (
            (top.probability, top.id == e.gold)
            for (e, top), p in zip(tops_found, scope_of, strict=True)
            if p >= clarify
        ),
        reverse=True,
    )
    right = 0
    for n, (probability, correct) in enumerate(scored, start=1):
        right += correct
        if right / n >= targets.min_answer_precision:
            answer = probability
    return replace(
        model,
        answer=answer,
        clarify=clarify,
        fitted_on=fitted_on,
        matcher=tuple(float(w) for w in matcher),
    )
