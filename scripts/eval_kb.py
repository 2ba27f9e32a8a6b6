"""Evaluate FAQ retrieval on the dev sets and fit the decision thresholds.

    python scripts/eval_kb.py                      # table: BM25, dense, hybrid (+ Rasa if given)
    python scripts/eval_kb.py --save               # also write knowledge_base/calibration.json
    python scripts/eval_kb.py --rasa results.jsonl # add Rasa's ResponseSelector (eval_rasa_faq.py)
    python scripts/eval_kb.py --test eval/new.jsonl  # fit on every dev set, score the test set

The dev sets (``evaluation.DEV_SETS``: eval/kb_dev.jsonl and the sets written after it, each by
another author who saw only the FAQ file) are cross-validated set by set: every query is scored
by a calibration fitted on the other sets, never on its own author's wording. The long-story
supplement (eval/kb_long.jsonl) is dealt over the folds. The saved calibration is fitted on all.
"""

import argparse
import json
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from functools import partial
from pathlib import Path

import numpy as np

from bot.db import Database
from knowledge_base import calibration as calibration_file
from knowledge_base import known as known_file
from knowledge_base.calibration import (
    FEATURES,
    KNOWN_FEATURES,
    LENGTH,
    QUERY_FEATURES,
    Example,
    fit,
)
from knowledge_base.embedding import load_embedder
from knowledge_base.evaluation import (
    LabelledQuery,
    Metrics,
    add_known,
    cross_validated,
    metrics,
    read_queries,
    read_sets,
    score,
    with_known,
)
from knowledge_base.importer import read_csv
from knowledge_base.known import KnownQuestion, KnownQuestions
from knowledge_base.matcher import fit_matcher
from knowledge_base.search import KnowledgeBase
from knowledge_base.store import FaqStore

ROOT = Path(__file__).resolve().parent.parent
DEMO_KB = ROOT / "knowledge_base" / "demo" / "faq.csv"
HYBRID = FEATURES
FAQS_ONLY = tuple(f for f in FEATURES if f not in KNOWN_FEATURES)


def query_vectors(kb: KnowledgeBase, queries: list[LabelledQuery]) -> np.ndarray:
    vectors = kb.embed_queries([query.query for query in queries])
    assert vectors is not None, "the hybrid needs a dense model"
    return vectors


def known_questions(
    kb: KnowledgeBase, dev: list[LabelledQuery], vectors: np.ndarray
) -> KnownQuestions:
    """The dev queries as labelled questions, each out-of-scope one with its closest FAQ text's
    similarity now (what tells, later, that an FAQ added since answers it)."""
    texts = np.concatenate(list(kb.text_vectors().values()))
    nearest = (vectors @ texts.T).max(axis=1)
    questions = [
        KnownQuestion(q.query, q.faq_id, {} if q.faq_id else {kb.model: round(float(n), 4)})
        for q, n in zip(dev, nearest, strict=True)
    ]
    return KnownQuestions(questions, vectors, kb.model)


def merged_known(new: list[KnownQuestion], old: list[KnownQuestion]) -> list[KnownQuestion]:
    """The new labelled questions, keeping what the old file recorded for other models."""
    recorded = {(q.query, q.faq_id): q.nearest for q in old}
    return [
        KnownQuestion(q.query, q.faq_id, {**recorded.get((q.query, q.faq_id), {}), **q.nearest})
        if q.faq_id is None
        else q
        for q in new
    ]


def build(model: str, faqs: Path, workdir: Path) -> KnowledgeBase:
    db = Database(f"sqlite:///{workdir / f'{model}.db'}")
    db.create_schema()
    store = FaqStore(db)
    store.upsert_many(read_csv(faqs), changed_by="eval")
    kb = KnowledgeBase(store, load_embedder(model), known=[])  # labelled per fold, below
    started = time.perf_counter()
    kb.sync()
    print(f"# {model}: indexed {kb.size} FAQs in {time.perf_counter() - started:.1f}s")
    started = time.perf_counter()
    kb.matcher = fit_matcher(kb.text_vectors())  # from the FAQs alone, no labelled query
    print(f"# {model}: pair matcher fitted in {time.perf_counter() - started:.1f}s")
    return kb


def examples(kb: KnowledgeBase, queries: list[LabelledQuery], source: str | None) -> list[Example]:
    result = []
    for query in queries:
        candidates = [
            c for c in kb.candidates(query.query) if source is None or source in c.sources
        ]
        result.append(
            Example(
                candidates=[c.features for c in candidates],
                ids=[c.entry.id for c in candidates],
                gold=query.faq_id,
            )
        )
    return result


def rasa_examples(path: Path, queries: list[LabelledQuery]) -> list[Example]:
    """Rasa's ResponseSelector ranking, as written by scripts/eval_rasa_faq.py."""
    by_query = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        by_query[row["query"]] = row["ranking"]
    missing = [q.query for q in queries if q.query not in by_query]
    if missing:
        raise SystemExit(
            f"{path}: no ranking for {len(missing)} queries (e.g. {missing[0]!r}); "
            "run scripts/eval_rasa_faq.py on the same sets"
        )
    result = []
    for query in queries:
        ranking = by_query[query.query]
        result.append(
            Example(
                candidates=[{"confidence": r["confidence"]} for r in ranking],
                ids=[r["faq_id"] for r in ranking],
                gold=query.faq_id,
            )
        )
    return result


def row(name: str, m: Metrics) -> str:
    cells = [
        m.top1,
        m.mrr5,
        m.answered_right,
        m.resolved,
        m.oos_abstained,
        m.false_abstention,
        m.wrong_answers,
    ]
    return f"| {name} | " + " | ".join(f"{c:.3f}" for c in cells) + " |"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--dev", type=Path, nargs="*", help="two or more dev sets, one fold each (default: all)"
    )
    parser.add_argument("--faqs", type=Path, default=DEMO_KB)
    parser.add_argument("--models", default="usem3,e5")
    parser.add_argument("--rasa", type=Path, help="Rasa ResponseSelector rankings (JSON lines)")
    parser.add_argument("--save", action="store_true", help="write the fitted calibration")
    parser.add_argument("--test", type=Path, help="score this set with calibrations fitted on dev")
    args = parser.parse_args()
    if args.dev is not None and len(args.dev) < 2:
        parser.error("--dev needs two or more sets: each is one fold of the cross-validation")

    dev, fold_of, source = read_sets(args.dev, ()) if args.dev else read_sets()
    queries = read_queries(args.test) if args.test else dev
    for name, labelled in (("dev", dev), ("test", queries if args.test else [])):
        if labelled:
            in_scope = sum(1 for q in labelled if q.faq_id)
            print(f"# {name}: {len(labelled)} queries, {in_scope} in scope")
    print("# dev sets: " + ", ".join(dict.fromkeys(source)))
    rows: list[str] = []
    by_style: list[str] = []
    by_set: list[str] = []

    def evaluate(
        name: str,
        found: list[Example],
        features: tuple[str, ...],
        fitted_on: list[Example],
        query_features: tuple[str, ...] = (),
        refold: Callable[[int], list[Example]] | None = None,
    ) -> None:
        if args.test:
            calibration = fit(fitted_on, features, query_features=query_features)
            scored = [score(example, calibration) for example in found]
        else:
            scored = cross_validated(
                found, features, fold_of, query_features=query_features, refold=refold
            )
        rows.append(row(name, metrics(found, scored)))
        if name != main_row:
            return
        for label, key, lines in (
            ("style", lambda q, i: q.style, by_style),
            ("set", lambda q, i: source[i] if not args.test else args.test.name, by_set),
        ):
            groups: dict[str, list[int]] = defaultdict(list)
            for i, query in enumerate(queries):
                groups[key(query, i)].append(i)
            cells = []
            for group, members in sorted(groups.items()):
                m = metrics([found[i] for i in members], [scored[i] for i in members])
                if label == "style":
                    value = m.oos_abstained if group.startswith("oos") else m.resolved
                    cells.append(f"{group} {value:.2f} (n={len(members)})")
                else:
                    cells.append(
                        f"{group}: resolved {m.resolved:.2f}, OOS abstained "
                        f"{m.oos_abstained:.2f}, false abstention {m.false_abstention:.3f}"
                    )
            lines.append(f"* {name}: " + "; ".join(cells))

    with tempfile.TemporaryDirectory() as workdir:
        for n, model in enumerate(args.models.split(",")):
            main_row = f"hybrid {model} + BM25 + known questions"
            kb = build(model, args.faqs, Path(workdir))
            if n == 0:
                evaluate(
                    "BM25 (words + bigrams + pinyin names)",
                    examples(kb, queries, "lexical"),
                    ("lexical", "coverage", "unexplained", "lexical_gap"),
                    examples(kb, dev, "lexical") if args.test else [],
                )
            evaluate(
                f"dense {model}",
                examples(kb, queries, "dense"),
                ("dense", "dense_gap"),
                examples(kb, dev, "dense") if args.test else [],
            )
            hybrid = examples(kb, queries, None)
            dev_hybrid = examples(kb, dev, None) if args.test else hybrid
            evaluate(
                f"hybrid {model} + BM25, FAQs only",
                hybrid,
                FAQS_ONLY,
                dev_hybrid,
                (LENGTH,),
            )
            dev_vectors = query_vectors(kb, dev)
            known = known_questions(kb, dev, dev_vectors)
            dev_known = with_known(dev_hybrid, dev_vectors, known, fold_of)  # each its own fold out
            if args.test:
                test_vectors = query_vectors(kb, queries)
                found = [add_known(e, v, known) for e, v in zip(hybrid, test_vectors, strict=True)]
            else:
                found = hybrid
            evaluate(
                main_row,
                found,
                HYBRID,
                dev_known,
                QUERY_FEATURES,
                refold=partial(with_known, hybrid, dev_vectors, known, fold_of),
            )
            if args.save:
                assert kb.matcher is not None
                known_file.write(merged_known(known.questions, known_file.read()))
                fitted = fit(
                    dev_known,
                    HYBRID,
                    fitted_on=f"{len(set(source))} query sets: {len(dev)} queries",
                    matcher=kb.matcher.weights.tolist(),
                    query_features=QUERY_FEATURES,
                )
                calibration_file.save(model, fitted)
                print(
                    f"# saved calibration for {model}: answer {fitted.answer:.3f}, "
                    f"clarify {fitted.clarify:.3f}, {len(fitted.scope_trees)} scope trees"
                )
    if args.rasa:
        evaluate(
            "Rasa ResponseSelector",
            rasa_examples(args.rasa, queries),
            ("confidence",),
            rasa_examples(args.rasa, dev) if args.test else [],
        )

    print()
    print(
        "| retrieval | top-1 | MRR@5 | answered right | resolved (answer or clarify) "
        "| out-of-scope abstained | false abstention | wrong answers |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    print("\n".join(rows))
    print()
    print("By query style (resolved; for oos-*: abstained):")
    print("\n".join(by_style))
    print()
    print("By set:")
    print("\n".join(by_set))
    return 0


if __name__ == "__main__":
    sys.exit(main())
