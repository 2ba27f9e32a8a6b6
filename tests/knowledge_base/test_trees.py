import numpy as np

from knowledge_base.calibration import fit_logistic
from knowledge_base.trees import Tree, fit_trees, predict


def interaction(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """What says no depends on the other feature: short rows are out when 'uncovered' is high,
    long rows only when it is very high — no single linear trade-off fits both."""
    rng = np.random.default_rng(seed)
    length = rng.uniform(0, 1, n)
    uncovered = rng.uniform(0, 1, n)
    inside = np.where(length < 0.5, uncovered < 0.3, uncovered < 0.8)
    return np.column_stack([length, uncovered]), inside.astype(float)


def accuracy(z: np.ndarray, y: np.ndarray) -> float:
    return float(np.mean((z > 0) == (y == 1)))


def test_boosted_trees_learn_an_interaction_a_logistic_regression_cannot() -> None:
    x, y = interaction(1000, seed=1)
    unseen_x, unseen_y = interaction(500, seed=2)
    bias, trees = fit_trees(x, y)
    beta = fit_logistic(x, y)
    boosted = accuracy(predict(bias, trees, unseen_x), unseen_y)
    linear = accuracy(unseen_x @ beta[1:] + beta[0], unseen_y)
    assert boosted > 0.95
    assert boosted - linear > 0.04  # a line across the step misses its corners


def test_one_row_walks_the_trees_as_the_batch_does() -> None:
    x, y = interaction(400, seed=3)
    bias, trees = fit_trees(x, y, rounds=20)
    batch = predict(bias, trees, x[:50])
    one_by_one = [bias + sum(t.value_at(list(row)) for t in trees) for row in x[:50]]
    assert np.allclose(batch, one_by_one)


def test_no_leaf_is_fitted_on_fewer_rows_than_the_minimum() -> None:
    x, y = interaction(300, seed=4)
    _, trees = fit_trees(x, y, rounds=10, min_leaf=40)
    for tree in trees:
        leaves = [i for i, f in enumerate(tree.feature) if f < 0]
        reached = np.bincount([leaf_of(tree, row) for row in x], minlength=len(tree.feature))
        assert all(reached[leaf] >= 40 for leaf in leaves)


def leaf_of(tree: Tree, row: np.ndarray) -> int:
    node = 0
    while tree.feature[node] >= 0:
        node = (
            tree.left[node] if row[tree.feature[node]] <= tree.threshold[node] else tree.right[node]
        )
    return node


def test_too_few_rows_make_a_single_leaf() -> None:
    x, y = interaction(30, seed=5)
    bias, trees = fit_trees(x, y, rounds=3, min_leaf=40)
    assert all(tree.feature == (-1,) for tree in trees)
    assert np.allclose(predict(bias, trees, x), predict(bias, trees, x)[0])
