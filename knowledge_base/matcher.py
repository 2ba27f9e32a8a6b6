"""A pair matcher over sentence vectors: does this question mean the same as that FAQ text?

Cosine similarity says two questions are about the same things; it cannot tell 青峰山门票多少钱
from 青峰山索道票多少钱, which share almost everything. A logistic model over the pair's
element-wise product and absolute difference learns which directions of the embedding space
make two texts different questions. It is fitted on the knowledge base itself, with no labelled
queries: each question or similar question, held out of its own FAQ, is a positive against the
FAQ's other texts and a negative against the nearest other FAQs — exactly the near miss a
question about something the KB lacks runs into.
"""

from collections.abc import Iterable, Mapping

import numpy as np

from knowledge_base.calibration import fit_logistic
from knowledge_base.embedding import Vectors

NEIGHBOURS = 5  # other FAQs each held-out text is contrasted with


def pair_features(queries: Vectors, texts: Vectors) -> np.ndarray:
    """Row i describes the pair (queries[i], texts[i])."""
    return np.hstack([queries * texts, np.abs(queries - texts)])


class PairMatcher:
    def __init__(self, weights: Iterable[float]) -> None:
        self.weights = np.asarray(list(weights), dtype=np.float32)  # [bias, *weights]

    def logits(self, query: Vectors, texts: Vectors) -> np.ndarray:
        """The matcher's logit for one query vector against each of ``texts``."""
        pairs = pair_features(np.broadcast_to(query, texts.shape), texts)
        return pairs @ self.weights[1:] + self.weights[0]


def training_pairs(
    vectors_by_faq: Mapping[str, Vectors], neighbours: int = NEIGHBOURS
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pair features, labels and the FAQ each pair's held-out text came from."""
    ids = list(vectors_by_faq)
    matrix = np.concatenate([vectors_by_faq[i] for i in ids])
    owner = np.concatenate([np.full(len(vectors_by_faq[i]), n) for n, i in enumerate(ids)])
    queries, texts, labels, groups = [], [], [], []
    for row, query in enumerate(matrix):
        similarity = matrix @ query
        similarity[row] = -np.inf  # the held-out text itself
        best_per_faq = np.full(len(ids), -np.inf)
        np.maximum.at(best_per_faq, owner, similarity)
        own = owner[row]
        contrasted = [
            n for n in np.argsort(-best_per_faq) if n != own and np.isfinite(best_per_faq[n])
        ]
        chosen = ([own] if np.isfinite(best_per_faq[own]) else []) + contrasted[:neighbours]
        for n in chosen:
            best_row = int(np.argmax(np.where(owner == n, similarity, -np.inf)))
            queries.append(query)
            texts.append(matrix[best_row])
            labels.append(1.0 if n == own else 0.0)
            groups.append(own)
    features = pair_features(np.asarray(queries), np.asarray(texts))
    return features, np.asarray(labels), np.asarray(groups)


def fit_matcher(vectors_by_faq: Mapping[str, Vectors], l2: float = 1.0) -> PairMatcher:
    features, labels, _ = training_pairs(vectors_by_faq)
    return PairMatcher(fit_logistic(features, labels, l2=l2).tolist())
