import random
from pathlib import Path

import pytest

from knowledge_base import calibration
from knowledge_base.calibration import Calibration, Example, Targets, fit, outcomes


def example(rng: random.Random, in_scope: bool) -> Example:
    """Two candidates. In scope: the first is right and stands out. Out of scope: the first
    still ranks first by 'dense', but much of the query is 'uncovered' by it."""
    right = {"dense": rng.uniform(0.6, 0.9), "uncovered": rng.uniform(0.0, 0.3)}
    near_miss = {"dense": rng.uniform(0.6, 0.9), "uncovered": rng.uniform(0.4, 0.8)}
    other = {"dense": rng.uniform(0.2, 0.5), "uncovered": rng.uniform(0.5, 1.0)}
    for candidate in (right, near_miss, other):
        candidate["dense_gap"] = 0.0
    if in_scope:
        return Example(candidates=[right, other], ids=["a", "b"], gold="a")
    return Example(candidates=[near_miss, other], ids=["a", "b"], gold=None)


def examples(n: int, seed: int) -> list[Example]:
    rng = random.Random(seed)
    return [example(rng, in_scope=i % 3 != 0) for i in range(n)]


def test_the_scope_model_abstains_where_the_top_candidate_leaves_the_query_uncovered() -> None:
    fitted = fit(examples(300, seed=1), features=("dense", "uncovered", "dense_gap"))
    assert fitted.scope == ("best", "dense", "uncovered")  # gaps rank; they say nothing of scope
    best = fitted.probability({"dense": 0.75, "uncovered": 0.2, "dense_gap": 0.0})
    covered = fitted.in_scope(best, {"dense": 0.75, "uncovered": 0.1})
    assert covered > fitted.in_scope(best, {"dense": 0.75, "uncovered": 0.6})  # less covered

    unseen = examples(150, seed=2)
    decided = outcomes(unseen, fitted)
    in_scope = [o for o, e in zip(decided, unseen, strict=True) if e.gold]
    oos = [o for o, e in zip(decided, unseen, strict=True) if not e.gold]
    assert sum(o.decision == "none" for o in oos) / len(oos) > 0.9
    assert sum(o.decision == "none" for o in in_scope) / len(in_scope) < 0.1


def test_false_abstention_on_the_fitting_data_stays_within_the_target() -> None:
    fitted_on = examples(300, seed=3)
    fitted = fit(fitted_on, features=("dense", "uncovered"), targets=Targets(0.03, 0.95))
    decided = outcomes(fitted_on, fitted)
    in_scope = [o for o, e in zip(decided, fitted_on, strict=True) if e.gold]
    assert sum(o.decision == "none" for o in in_scope) <= 0.03 * len(in_scope)


def test_without_a_scope_model_the_top_probability_decides() -> None:
    plain = Calibration(("dense",), (1.0,), 0.0, answer=0.8, clarify=0.5)
    assert plain.in_scope(0.42, {"dense": 3.0}) == pytest.approx(0.42)
    assert plain.decide(0.4, {"dense": 0.0}) == "none"
    assert plain.decide(0.6, {"dense": 0.0}) == "clarify"
    assert plain.decide(0.9, {"dense": 0.0}) == "answer"
    assert plain.decide(None) == "none"


def test_the_scope_model_reads_query_features_the_combiner_does_not() -> None:
    rng = random.Random(5)
    found = examples(300, seed=5)
    for e in found:  # a feature of the query, the same for each of its candidates
        length = rng.uniform(0, 1)
        for candidate in e.candidates:
            candidate["length"] = length
    fitted = fit(found, features=("dense", "uncovered"), query_features=("length",))
    assert fitted.features == ("dense", "uncovered")
    assert fitted.scope == ("best", "dense", "uncovered", "length")


def test_a_saved_calibration_loads_with_its_scope_model(tmp_path: Path) -> None:
    path = tmp_path / "calibration.json"
    fitted = fit(examples(90, seed=4), features=("dense", "uncovered"), fitted_on="test")
    calibration.save("usem3", fitted, path)
    assert calibration.load("usem3", path) == fitted
    assert calibration.load("e5", path) is None
