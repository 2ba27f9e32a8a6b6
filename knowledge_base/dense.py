"""A faiss inner-product index over normalized vectors, keyed by row id, editable in place.

Exact (flat) search while the index is small; an inverted-file index once it is large, where a
flat scan would no longer fit the latency budget. Both support ``remove_ids``, so admin edits
never force a rebuild.
"""

import json
from pathlib import Path
from typing import Any

import faiss
import numpy as np

from knowledge_base.embedding import Vectors

# One query is too small a job to share between cores; concurrent requests use them instead.
faiss.omp_set_num_threads(1)

FORMAT_VERSION = 1
APPROXIMATE_ABOVE = 200_000  # vectors; measured in benchmarks/kb_search.py
IVF_PROBES = 48


def _ids(rows: list[int]) -> np.ndarray:
    return np.asarray(rows, dtype=np.int64)


class DenseIndex:
    def __init__(self, dim: int, index: faiss.Index | None = None) -> None:
        self.dim = dim
        self._index = index if index is not None else faiss.IndexIDMap2(faiss.IndexFlatIP(dim))
        if isinstance(self._index, faiss.IndexIVF):
            # a row's vector by its id (``vectors_of``), kept up to date by add and remove
            self._index.set_direct_map_type(faiss.DirectMap.Hashtable)  # type: ignore[attr-defined]

    @classmethod
    def build(cls, dim: int, rows: list[int], vectors: Vectors) -> "DenseIndex":
        """Exact below ``APPROXIMATE_ABOVE`` vectors, IVF (trained on these vectors) above."""
        if len(rows) <= APPROXIMATE_ABOVE:
            dense = cls(dim)
        else:
            lists = int(4 * np.sqrt(len(rows)))
            quantizer = faiss.IndexFlatIP(dim)
            ivf = faiss.IndexIVFFlat(quantizer, dim, lists, faiss.METRIC_INNER_PRODUCT)
            sample = vectors[np.random.default_rng(0).permutation(len(rows))[: lists * 64]]
            ivf.train(sample)
            ivf.nprobe = IVF_PROBES
            dense = cls(dim, ivf)
        dense.add(rows, vectors)
        return dense

    def approximated(self) -> "DenseIndex":
        """The same vectors in the index ``build`` picks for their number (IVF when large)."""
        if self.kind != "flat":
            return self
        ids, vectors = self.vectors()
        return DenseIndex.build(self.dim, [int(i) for i in ids], vectors)

    def vectors(self) -> tuple[np.ndarray, np.ndarray]:
        """All ids and vectors (for measuring an approximate index against exact search)."""
        if self.kind == "flat":
            mapped: Any = self._index  # IndexIDMap2: the flat index and its id map
            inner = faiss.downcast_index(mapped.index)
            return faiss.vector_to_array(mapped.id_map), inner.reconstruct_n(0, inner.ntotal)
        invlists = faiss.extract_index_ivf(self._index).invlists
        assert invlists is not None
        ids, vectors = [], []
        for list_no in range(invlists.nlist):
            size = invlists.list_size(list_no)
            if size:
                ids.append(faiss.rev_swig_ptr(invlists.get_ids(list_no), size).copy())
                codes = faiss.rev_swig_ptr(invlists.get_codes(list_no), size * self.dim * 4)
                vectors.append(np.frombuffer(codes.copy(), dtype=np.float32).reshape(size, -1))
        return np.concatenate(ids), np.concatenate(vectors)

    def vectors_of(self, rows: list[int]) -> Vectors:
        """The stored vectors of these rows, in their order."""
        if not rows:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.asarray(self._index.reconstruct_batch(_ids(rows)), dtype=np.float32)

    @property
    def kind(self) -> str:
        return "ivf" if isinstance(self._index, faiss.IndexIVF) else "flat"

    def __len__(self) -> int:
        return int(self._index.ntotal)

    def add(self, rows: list[int], vectors: Vectors) -> None:
        if rows:
            self._index.add_with_ids(np.ascontiguousarray(vectors, dtype=np.float32), _ids(rows))

    def remove(self, rows: list[int]) -> None:
        if rows:
            ids = _ids(rows)  # an array selector: the IVF's direct map takes no other
            self._index.remove_ids(faiss.IDSelectorArray(len(ids), faiss.swig_ptr(ids)))

    def search(self, vector: Vectors, k: int) -> list[tuple[int, float]]:
        if len(self) == 0:
            return []
        scores, ids = self._index.search(np.ascontiguousarray(vector, dtype=np.float32), k)
        return [(int(i), float(s)) for i, s in zip(ids[0], scores[0], strict=True) if i >= 0]

    def save(self, path: Path, meta: dict) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".partial")
        faiss.write_index(self._index, str(partial))
        partial.replace(path)
        path.with_suffix(".json").write_text(
            json.dumps({"format": FORMAT_VERSION, "dim": self.dim, **meta}, ensure_ascii=False),
            encoding="utf-8",
        )

    @classmethod
    def load(cls, path: Path) -> tuple["DenseIndex", dict] | None:
        meta_path = path.with_suffix(".json")
        if not path.exists() or not meta_path.exists():
            return None
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        if meta.get("format") != FORMAT_VERSION:
            return None
        return cls(int(meta["dim"]), faiss.read_index(str(path))), meta
