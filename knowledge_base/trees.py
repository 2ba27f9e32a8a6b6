"""Gradient-boosted decision trees for a yes/no question, small enough to store as JSON.

The scope model asks whether the knowledge base answers a query at all. What says no depends on
the query: a long story leaves many of its words unexplained by the right FAQ, a short near miss
leaves one. A linear model can only trade those features off one way for every query; shallow
trees split on the query's length first and weigh the rest within each side. Fitted by Newton
boosting on the log loss (as XGBoost does): each tree fits the loss's gradient, its leaves take
the Newton step, shrunk by the learning rate. Split points are quantiles of each feature.
"""

from dataclasses import dataclass

import numpy as np

ROUNDS = 150
DEPTH = 3
RATE = 0.05
MIN_LEAF = 40  # queries in a leaf: nothing is learnt from a handful
L2 = 1.0
BINS = 32


@dataclass(frozen=True)
class Tree:
    """Node i splits on ``feature[i] <= threshold[i]`` (left) or is a leaf (feature -1)."""

    feature: tuple[int, ...]
    threshold: tuple[float, ...]
    left: tuple[int, ...]
    right: tuple[int, ...]
    value: tuple[float, ...]

    def predict(self, x: np.ndarray) -> np.ndarray:
        """The leaf value of each row of ``x`` (for fitting: many rows at once)."""
        feature, threshold = np.asarray(self.feature), np.asarray(self.threshold)
        left, right, node = np.asarray(self.left), np.asarray(self.right), np.zeros(len(x), int)
        while len(rows := np.nonzero(feature[node] >= 0)[0]):
            at = node[rows]
            goes_left = x[rows, feature[at]] <= threshold[at]
            node[rows] = np.where(goes_left, left[at], right[at])
        return np.asarray(self.value)[node]

    def value_at(self, row: list[float]) -> float:
        """The leaf value of one row (for a search: no array overhead)."""
        node = 0
        while self.feature[node] >= 0:
            goes_left = row[self.feature[node]] <= self.threshold[node]
            node = self.left[node] if goes_left else self.right[node]
        return self.value[node]


def predict(bias: float, trees: list[Tree], x: np.ndarray) -> np.ndarray:
    """The log-odds of each row of ``x``."""
    z = np.full(len(x), bias)
    for tree in trees:
        z += tree.predict(x)
    return z


def fit_trees(
    x: np.ndarray,
    y: np.ndarray,
    rounds: int = ROUNDS,
    depth: int = DEPTH,
    rate: float = RATE,
    min_leaf: int = MIN_LEAF,
    l2: float = L2,
) -> tuple[float, list[Tree]]:
    """The initial log-odds and the trees for labels ``y`` (1.0 / 0.0) of the rows of ``x``."""
    share = float(np.clip(y.mean(), 1e-3, 1 - 1e-3))
    bias = float(np.log(share / (1 - share)))
    cuts = [np.unique(np.quantile(x[:, f], np.linspace(0, 1, BINS + 1)[1:-1])) for f in
            range(x.shape[1])]  # fmt: skip
    z = np.full(len(x), bias)
    trees = []
    for _ in range(rounds):
        p = 1 / (1 + np.exp(-z))
        tree = _grow(x, p - y, p * (1 - p), cuts, depth, rate, min_leaf, l2)
        trees.append(tree)
        z += tree.predict(x)
    return bias, trees


def _grow(
    x: np.ndarray,
    g: np.ndarray,
    h: np.ndarray,
    cuts: list[np.ndarray],
    depth: int,
    rate: float,
    min_leaf: int,
    l2: float,
) -> Tree:
    feature: list[int] = []
    threshold: list[float] = []
    left: list[int] = []
    right: list[int] = []
    value: list[float] = []

    def node(rows: np.ndarray, level: int) -> int:
        at = len(feature)
        feature.append(-1)
        threshold.append(0.0)
        left.append(-1)
        right.append(-1)
        value.append(float(-rate * g[rows].sum() / (h[rows].sum() + l2)))
        deeper = level < depth
        split = _best_split(x[rows], g[rows], h[rows], cuts, min_leaf, l2) if deeper else None
        if split is not None:
            f, t = split
            goes_left = x[rows, f] <= t
            feature[at], threshold[at] = f, t
            left[at] = node(rows[goes_left], level + 1)
            right[at] = node(rows[~goes_left], level + 1)
        return at

    node(np.arange(len(x)), 0)
    return Tree(tuple(feature), tuple(threshold), tuple(left), tuple(right), tuple(value))


def _best_split(
    x: np.ndarray, g: np.ndarray, h: np.ndarray, cuts: list[np.ndarray], min_leaf: int, l2: float
) -> tuple[int, float] | None:
    """The split with the largest gain in the Newton approximation of the loss, if any."""
    if len(x) < 2 * min_leaf:
        return None
    total = g.sum() ** 2 / (h.sum() + l2)
    best, found = 1e-9, None
    for f, points in enumerate(cuts):
        if not len(points):
            continue
        goes_left = x[:, f][:, None] <= points[None, :]  # rows × split points
        count = goes_left.sum(axis=0)
        g_left, h_left = g @ goes_left, h @ goes_left
        g_right, h_right = g.sum() - g_left, h.sum() - h_left
        gain = g_left**2 / (h_left + l2) + g_right**2 / (h_right + l2) - total
        gain[(count < min_leaf) | (len(x) - count < min_leaf)] = -np.inf
        i = int(np.argmax(gain))
        if gain[i] > best:
            best, found = float(gain[i]), (f, float(points[i]))
    return found
