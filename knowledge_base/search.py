"""The knowledge base as the rest of the app sees it: hybrid search, then answer / clarify / none.

Dense (faiss over every question and similar question, best text per FAQ) and lexical (BM25 over
jieba words and character bigrams) retrieve candidates; place names heard wrong by ASR are first
rewritten by pinyin. A fitted logistic combiner scores each candidate; its probability ranks them
and decides (see ``calibration``). ``sync`` brings the index in line with the database in place:
only the FAQs whose version changed are removed, re-embedded and added.
"""

import hashlib
import logging
import math
import threading
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from knowledge_base import calibration as calibration_file
from knowledge_base.calibration import LENGTH, Calibration, Decision
from knowledge_base.coverage import WordCoverage
from knowledge_base.dense import APPROXIMATE_ABOVE, DenseIndex
from knowledge_base.elsewhere import default_destinations
from knowledge_base.embedding import Embedder, Vectors
from knowledge_base.known import CLOSER, KNOWN_FILE, KnownQuestion, KnownQuestions, no_features
from knowledge_base.known import read as read_known
from knowledge_base.lexical import BM25Index
from knowledge_base.matcher import PairMatcher
from knowledge_base.pinyin import default_matcher
from knowledge_base.store import Faq, FaqStore
from knowledge_base.text import normalize, tokens, words

log = logging.getLogger(__name__)


@lru_cache(maxsize=500_000)
def _prepare(text: str) -> str:
    return default_matcher().canonicalize(normalize(text))


def add_gaps(features: list[dict[str, float]]) -> None:
    """How far each candidate stands above the best other one (negative if below)."""
    for name in ("dense", "lexical", "balanced"):
        ranked = sorted((f[name] for f in features), reverse=True)
        for f in features:
            best_other = ranked[1] if f[name] == ranked[0] and len(ranked) > 1 else ranked[0]
            f[f"{name}_gap"] = f[name] - best_other if len(ranked) > 1 else f[name]


def content_words(prepared: str) -> set[str]:
    return {w for w in words(prepared) if len(w) >= 2}


def _unexplained(weights: dict[str, float], full_text: str) -> float:
    """The share of the query's informative words (by idf over the FAQs) that the FAQ's
    question, similar questions and answer never mention: high for near-miss questions."""
    total = sum(weights.values())
    if not total:
        return 0.0
    return sum(weight for w, weight in weights.items() if w not in full_text) / total


_KNOWN_VECTORS: dict[str, Vectors] = {}  # by digest: one embedding per process and model


def _embedded_known(embedder: Embedder, digest: str, queries: tuple[str, ...]) -> Vectors:
    """The known questions' vectors, embedded once per process however many KBs load them."""
    if digest not in _KNOWN_VECTORS:
        _KNOWN_VECTORS[digest] = embedder.queries(list(queries))
    return _KNOWN_VECTORS[digest]


CANDIDATES = 10  # FAQs taken from each retriever before the combiner ranks them
DENSE_ROWS = 64  # texts fetched from faiss to find those FAQs
LEXICAL_ROWS = 256  # texts taken from BM25 to find those FAQs

# Without a fitted calibration for the configured model (e.g. a user's own st: model before
# `scripts/eval_kb.py --models st:… --save` ran) the KB works on lexical evidence, cautiously.
LEXICAL_ONLY = Calibration(
    features=("lexical", "coverage"),
    weights=(6.0, 6.0),
    bias=-8.0,
    answer=0.9,
    clarify=0.5,
    fitted_on="fallback: no calibration for this embedding model",
)


@dataclass(frozen=True)
class Hit:
    id: str
    score: float
    question: str
    answer: str
    short_answer: str | None = None


@dataclass(frozen=True)
class SearchResult:
    query: str
    decision: Decision
    hits: list[Hit]
    in_scope: float = 0.0  # the scope model's probability that the KB answers this query

    def as_dict(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "decision": self.decision,
            "hits": [
                {"id": h.id, "score": round(h.score, 4), "question": h.question, "answer": h.answer}
                for h in self.hits
            ],
        }

    def as_full_dict(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "decision": self.decision,
            "in_scope": round(self.in_scope, 4),
            "hits": [asdict(h) for h in self.hits],
        }


@dataclass(frozen=True)
class Entry:
    """What the index holds of one FAQ version."""

    id: str
    version: int
    question: str
    answer: str
    short_answer: str | None
    texts: tuple[str, ...]

    @classmethod
    def of(cls, faq: Faq) -> "Entry":
        return cls(
            id=faq.id,
            version=faq.version,
            question=faq.question,
            answer=faq.answer,
            short_answer=faq.short_answer,
            texts=(faq.question, *faq.similar_questions),
        )


@dataclass(frozen=True)
class Candidate:
    entry: Entry
    features: dict[str, float]
    sources: frozenset[str]  # the retrievers that proposed it: "dense", "lexical"


class KnowledgeBase:
    def __init__(
        self,
        store: FaqStore,
        embedder: Embedder | None = None,
        *,
        calibration: Calibration | None = None,
        index_path: Path | None = None,
        known: Sequence[KnownQuestion] | None = None,
    ) -> None:
        """``known``: labelled questions (default: those the calibration was fitted on, when it
        reads them)."""
        self._store = store
        self._embedder = embedder
        self._index_path = index_path
        if calibration is None and embedder is not None:
            calibration = calibration_file.load(embedder.name)
        if calibration is None or (embedder is None and "dense" in calibration.features):
            calibration = LEXICAL_ONLY
        self.calibration = calibration
        self.matcher = PairMatcher(calibration.matcher) if calibration.matcher else None
        if known is None:
            known = read_known(KNOWN_FILE) if "known" in calibration.features else []
            if not known and "known" in calibration.features:
                log.warning("%s is missing: decisions read no labelled questions", KNOWN_FILE)
        self._known_questions = list(known) if embedder is not None else []
        self.known: KnownQuestions | None = None  # embedded (or loaded) at the first sync
        self._saved_known: Vectors | None = None  # their vectors, saved with the index
        # The admin's out-of-scope labels (stored with the FAQs), known after the file's.
        self._labels: list[KnownQuestion] = []
        self._label_vectors: dict[str, Vectors] = {}
        self._lock = threading.Lock()  # guards the indexes and the maps below
        self._sync_lock = threading.Lock()  # one sync at a time
        self._entries: dict[str, Entry] = {}
        self._rows_of: dict[str, list[int]] = {}
        self._owner: dict[int, str] = {}
        self._next_row = 0
        # Rows of a loaded index, by (FAQ id, version), until the first sync reuses or drops them.
        self._saved_rows: dict[int, tuple[str, int]] = {}
        self._lexical = BM25Index()
        self._full_text: dict[str, str] = {}  # prepared question, similar questions and answer
        self._word_df: Counter[str] = Counter()  # in how many FAQs' full text a word occurs
        self._ours: dict[str, bool] = {}  # destination name -> does any FAQ mention it
        self._dense = DenseIndex(embedder.dim) if embedder is not None else None
        self._coverage = WordCoverage(embedder) if embedder is not None else None
        self.revision = -1

    @property
    def size(self) -> int:
        return len(self._entries)

    @property
    def index_kind(self) -> str:
        return self._dense.kind if self._dense is not None else "none"

    @property
    def model(self) -> str:
        return self._embedder.name if self._embedder is not None else "lexical"

    # --- keeping the index in line with the database -----------------------------------------

    def store_revision(self) -> int:
        return self._store.revision()

    def load_saved(self) -> bool:
        """Reuse the persisted faiss index of the same model; ``sync`` then fixes what changed."""
        if self._index_path is None or self._embedder is None:
            return False
        loaded = DenseIndex.load(self._index_path)
        if loaded is None or loaded[1].get("model") != self._embedder.name:
            return False
        dense, meta = loaded
        saved = {int(row): (faq_id, version) for row, (faq_id, version) in meta["rows"].items()}
        known_path = self._index_path.with_suffix(".known.npy")
        if meta.get("known") == self._known_digest() and known_path.exists():
            self._saved_known = np.load(known_path)
        with self._lock:
            self._dense = dense
            self._saved_rows = saved
            self._next_row = max(saved, default=-1) + 1
        log.info("loaded the %s index: %d vectors", dense.kind, len(dense))
        return True

    def sync(self) -> bool:
        """Apply every FAQ created, edited, deleted, published or expired and every out-of-scope
        label given or taken back since the last sync."""
        with self._sync_lock:
            revision = self._store.revision()
            live = {faq.id: Entry.of(faq) for faq in self._store.live()}
            stale = [
                faq_id
                for faq_id, entry in self._entries.items()
                if faq_id not in live or live[faq_id].version != entry.version
            ]
            fresh = [
                entry
                for faq_id, entry in live.items()
                if faq_id not in self._entries or self._entries[faq_id].version != entry.version
            ]
            if not stale and not fresh:
                labelled = self._sync_labels()
                self.revision = revision
                return labelled
            self._apply(stale, fresh)
            self._sync_labels()
            self.revision = revision
            log.info(
                "knowledge base at revision %d: %d FAQs (-%d +%d)",
                revision,
                len(self._entries),
                len(stale),
                len(fresh),
            )
            return True

    def _apply(self, stale: list[str], fresh: list[Entry]) -> None:
        reuse: dict[tuple[str, int], list[int]] = {}
        for row, key in self._saved_rows.items():
            reuse.setdefault(key, []).append(row)
        new_rows: list[tuple[int, Entry, str]] = []  # row, FAQ, prepared text
        kept_rows: dict[str, list[tuple[int, str]]] = {}  # FAQ id -> rows and prepared texts
        for entry in fresh:
            rows = reuse.pop((entry.id, entry.version), None)
            if rows is not None and len(rows) == len(entry.texts):
                # The saved vectors are this version's: no embedding.
                kept_rows[entry.id] = [
                    (row, self.prepare(text)) for row, text in zip(rows, entry.texts, strict=True)
                ]
                continue
            if rows:
                reuse[(entry.id, entry.version)] = rows  # stale saved vectors, removed below
            for text in entry.texts:
                new_rows.append((self._next_row, entry, self.prepare(text)))
                self._next_row += 1
        vectors = None
        if self._embedder is not None and new_rows:
            vectors = self._embedder.passages([prepared for _, _, prepared in new_rows])
        known_vectors = self._saved_known
        if self._embedder is not None and known_vectors is None and self._known_questions:
            known_vectors = _embedded_known(
                self._embedder,
                self._known_digest(),
                tuple(self.prepare(q.query) or q.query for q in self._known_questions),
            )
        orphaned = [row for rows in reuse.values() for row in rows]
        full_texts = {e.id: self.prepare(" ".join((*e.texts, e.answer))) for e in fresh}
        words_of = {faq_id: content_words(text) for faq_id, text in full_texts.items()}
        if self._coverage is not None:
            self._coverage.update(words_of, stale)
        with self._lock:
            self._ours = {}
            for faq_id in stale:
                self._word_df.subtract(content_words(self._full_text.pop(faq_id)))
                rows = self._rows_of.pop(faq_id, [])
                for row in rows:
                    self._lexical.remove(row)
                    self._owner.pop(row, None)
                if self._dense is not None:
                    self._dense.remove(rows)
                del self._entries[faq_id]
            if self._dense is not None:
                self._dense.remove(orphaned)
            for entry in fresh:
                self._entries[entry.id] = entry
                self._rows_of[entry.id] = []
                self._full_text[entry.id] = full_texts[entry.id]
                self._word_df.update(words_of[entry.id])
            for faq_id, kept in kept_rows.items():
                for row, prepared in kept:
                    self._attach(row, faq_id, prepared)
            for row, entry, prepared in new_rows:
                self._attach(row, entry.id, prepared)
            if self._dense is not None and vectors is not None:
                self._dense.add([row for row, _, _ in new_rows], vectors)
                if len(self._dense) > APPROXIMATE_ABOVE:
                    self._dense = self._dense.approximated()
            self._saved_rows = {}
            self._update_known(vectors, known_vectors)

    def _update_known(self, new_vectors: Vectors | None, known_vectors: Vectors | None) -> None:
        """Retire the out-of-scope questions that new FAQ texts now answer (when the labelled
        questions were just embedded, every FAQ text is new to them); answered ones follow
        their FAQ."""
        if self._dense is None or self._embedder is None or not self._known_questions:
            return
        if self.known is None:
            if known_vectors is None:
                return
            self.known = KnownQuestions(self._known_questions, known_vectors, self._embedder.name)
            self._saved_known = None
            rows = [row for rows in self._rows_of.values() for row in rows]
            new_vectors = self._dense.vectors_of(rows) if rows else None
        if new_vectors is not None:
            retired = self.known.texts_added(new_vectors)
            if retired:
                log.info("answered now, no longer known as out of scope: %s", "、".join(retired))
        self.known.live(self._entries)

    def _sync_labels(self) -> bool:
        """The admin's out-of-scope labels join the known questions when they changed. A label
        new to this process is retired at once if an FAQ text is closer to it now than the
        closest one was when it was given (an FAQ added since answers it); the retirements
        earlier edits made are kept."""
        if self._embedder is None or self._dense is None:
            return False
        if "known" not in self.calibration.features:
            return False
        stored = self._store.out_of_scope_labels()
        labels = [KnownQuestion(label.query, None, label.nearest) for label in stored]
        if labels == self._labels:
            return False
        seen = {q.query for q in self._labels}
        new = [q for q in labels if q.query not in seen]
        missing = [q.query for q in new if q.query not in self._label_vectors]
        if missing:
            vectors = self._embedder.queries([self.prepare(q) or q for q in missing])
            self._label_vectors.update(zip(missing, vectors, strict=True))
        with self._lock:
            answered = {
                q.query
                for q in new
                if (hits := self._dense.search(self._label_vectors[q.query].reshape(1, -1), 1))
                and hits[0][1] > q.nearest.get(self._embedder.name, np.inf) + CLOSER
            }
            self._label_vectors = {q.query: self._label_vectors[q.query] for q in labels}
            self._labels = labels
            questions = [*self._known_questions, *labels]
            if not questions:
                self.known = None
                return True
            mine = (
                self.known.vectors[: len(self._known_questions)]
                if self.known is not None
                else np.zeros((0, self._embedder.dim), dtype=np.float32)
            )
            vectors = np.vstack([mine, *(self._label_vectors[q.query] for q in labels)])
            known = KnownQuestions(questions, vectors, self._embedder.name)
            known.retire(answered | (self.known.retired() if self.known is not None else set()))
            known.live(self._entries)
            self.known = known
        log.info("%d questions labelled out of scope by the admin", len(labels))
        return True

    def closest_texts(self, queries: list[str]) -> list[dict[str, float]]:
        """Per query, its closest FAQ text's similarity under this model: what an out-of-scope
        label records, so that an FAQ added later that comes closer retires it."""
        vectors = self.embed_queries(queries)
        if vectors is None or self._dense is None:
            return [{} for _ in queries]
        with self._lock:
            found = [self._dense.search(vector.reshape(1, -1), 1) for vector in vectors]
        return [{self.model: round(hits[0][1], 4)} if hits else {} for hits in found]

    def _attach(self, row: int, faq_id: str, prepared: str) -> None:
        self._rows_of[faq_id].append(row)
        self._owner[row] = faq_id
        self._lexical.add(row, tokens(prepared))

    def save(self) -> None:
        if self._index_path is None or self._dense is None or self._embedder is None:
            return
        if self.revision < 0:  # never synced: nothing worth keeping
            return
        with self._lock:
            rows = {
                row: [faq_id, self._entries[faq_id].version] for row, faq_id in self._owner.items()
            }
            meta = {"model": self._embedder.name, "revision": self.revision, "rows": rows}
            if self.known is not None:
                self._index_path.parent.mkdir(parents=True, exist_ok=True)
                mine = self.known.vectors[: len(self._known_questions)]  # the labels are re-read
                np.save(self._index_path.with_suffix(".known.npy"), mine)
                meta["known"] = self._known_digest()
            self._dense.save(self._index_path, meta)

    def _known_digest(self) -> str:
        """Which labelled questions, as this model embeds them, a saved index holds vectors of."""
        texts = [self.model, *(q.query for q in self._known_questions)]
        return hashlib.sha256("\n".join(texts).encode()).hexdigest()[:16]

    # --- searching -----------------------------------------------------------------------------

    def prepare(self, text: str) -> str:
        """Normalized text with misheard place names rewritten (queries and indexed texts)."""
        return _prepare(text)

    def embed_query(self, query: str) -> Vectors | None:
        return self._embed(self.prepare(query))

    def embed_queries(self, queries: list[str]) -> Vectors | None:
        """Unit vectors of many queries (None without a dense model), e.g. to group them."""
        if self._embedder is None or not queries:
            return None
        return self._embedder.queries([self.prepare(q) or q for q in queries])

    def text_vectors(self) -> dict[str, Vectors]:
        """Each FAQ's indexed text vectors (what the pair matcher is fitted on)."""
        if self._dense is None:
            return {}
        with self._lock:
            return {faq_id: self._dense.vectors_of(rows) for faq_id, rows in self._rows_of.items()}

    def _embed(self, prepared: str) -> Vectors | None:
        if self._embedder is None or not prepared:
            return None
        return self._embedder.queries([prepared])

    def candidates(self, query: str) -> list[Candidate]:
        """Every FAQ either retriever puts in its top ``CANDIDATES``, with the combiner's inputs."""
        prepared = self.prepare(query)
        terms = tokens(prepared)
        vector = self._embed(prepared)
        query_words = sorted(content_words(prepared))
        word_vectors = (
            self._embedder.queries(query_words) if self._embedder and query_words else None
        )
        with self._lock:
            lexical: dict[str, float] = {}
            for row, score in self._lexical.top(terms, LEXICAL_ROWS).items():
                faq_id = self._owner[row]
                lexical[faq_id] = max(lexical.get(faq_id, 0.0), score)
            dense: dict[str, float] = {}
            if self._dense is not None and vector is not None:
                for row, score in self._dense.search(vector, DENSE_ROWS):
                    faq_id = self._owner[row]
                    dense[faq_id] = max(dense.get(faq_id, -1.0), score)
            floor = min(dense.values(), default=0.0)
            by_lexical = set(sorted(lexical, key=lexical.__getitem__, reverse=True)[:CANDIDATES])
            by_dense = set(sorted(dense, key=dense.__getitem__, reverse=True)[:CANDIDATES])
            chosen = [faq_id for faq_id in by_lexical | by_dense if faq_id in self._entries]
            weights = self._lexical.query_weights(terms)
            row_scores = self._lexical.score(
                [row for faq_id in chosen for row in self._rows_of[faq_id]], weights
            )
            faqs = len(self._entries)
            word_weights = {
                w: math.log(1 + (faqs + 0.5) / (self._word_df[w] + 0.5)) for w in query_words
            }
            matched = self._matched(chosen, vector)
            uncovered = (
                self._coverage.uncovered(query_words, word_vectors, chosen)
                if self._coverage is not None
                else {}
            )
            known, known_of = (
                self.known.features(vector, max(dense.values(), default=0.0), chosen)
                if self.known is not None and vector is not None
                else no_features(chosen)
            )
            elsewhere = float(self._names_elsewhere(prepared, terms))
            length = math.log1p(len(prepared))  # the scope model weighs the rest by it
            features = {
                faq_id: {
                    "dense": dense.get(faq_id, floor),
                    "lexical": max(row_scores[row] for row in self._rows_of[faq_id]),
                    **self._overlap(self._rows_of[faq_id], row_scores, weights),
                    "unexplained": _unexplained(word_weights, self._full_text[faq_id]),
                    "uncovered": uncovered.get(faq_id, 0.0),
                    "match": matched.get(faq_id, 0.0),
                    "elsewhere": elsewhere,
                    "known": known_of[faq_id],
                    LENGTH: length,
                    **known,
                }
                for faq_id in chosen
            }
            entries = {faq_id: self._entries[faq_id] for faq_id in chosen}
        add_gaps(list(features.values()))
        return [
            Candidate(
                entry=entries[faq_id],
                features=features[faq_id],
                sources=frozenset(
                    name
                    for name, proposed in (("dense", by_dense), ("lexical", by_lexical))
                    if faq_id in proposed
                ),
            )
            for faq_id in chosen
        ]

    def _matched(self, chosen: list[str], vector: Vectors | None) -> dict[str, float]:
        """The pair matcher's logit for the query against each FAQ's closest text."""
        if self.matcher is None or self._dense is None or vector is None or not chosen:
            return {}
        rows = [row for faq_id in chosen for row in self._rows_of[faq_id]]
        stored = self._dense.vectors_of(rows)
        similarity = stored @ vector[0]
        closest, start = [], 0
        for faq_id in chosen:
            end = start + len(self._rows_of[faq_id])
            closest.append(start + int(np.argmax(similarity[start:end])))
            start = end
        logits = self.matcher.logits(vector[0], stored[closest])
        return {faq_id: float(logit) for faq_id, logit in zip(chosen, logits, strict=True)}

    def _names_elsewhere(self, prepared: str, terms: list[str]) -> bool:
        """Does the query name another destination, one that no FAQ mentions?"""
        for name in default_destinations().named_in(prepared, set(terms)):
            if name not in self._ours:
                self._ours[name] = any(name in text for text in self._full_text.values())
            if not self._ours[name]:
                return True
        return False

    def _overlap(
        self, rows: list[int], row_scores: dict[int, float], weights: dict[str, float]
    ) -> dict[str, float]:
        """Query coverage (share of the query's weight a text has) and its harmonic mean with
        the text's own coverage (the BM25 ratio), best over the FAQ's texts."""
        coverage, balanced = 0.0, 0.0
        for row in rows:
            query_side = self._lexical.coverage(row, weights)
            text_side = row_scores.get(row, 0.0)
            coverage = max(coverage, query_side)
            if query_side + text_side:
                balanced = max(balanced, 2 * query_side * text_side / (query_side + text_side))
        return {"coverage": coverage, "balanced": balanced}

    def search(self, query: str, k: int = 5) -> SearchResult:
        return self._decide(query, self._ranked(query)[:k])

    def explain(self, query: str, k: int = 3) -> tuple[SearchResult, list[dict[str, Any]]]:
        """The search and, per hit, why: the retrievers that proposed it, the combiner's
        inputs and what each added to the score (weight × value, before the logistic)."""
        ranked = self._ranked(query)[:k]
        features = self.calibration.features
        weights = dict(zip(features, self.calibration.weights, strict=True))
        why = [
            {
                "sources": sorted(candidate.sources),
                "features": {name: round(value, 4) for name, value in candidate.features.items()},
                "contributions": {
                    name: round(weights[name] * candidate.features[name], 4) for name in features
                },
                "bias": self.calibration.bias,
            }
            for _, candidate in ranked
        ]
        return self._decide(query, ranked), why

    def _ranked(self, query: str) -> list[tuple[float, Candidate]]:
        return sorted(
            ((self.calibration.probability(c.features), c) for c in self.candidates(query)),
            key=lambda pair: pair[0],
            reverse=True,
        )

    def _decide(self, query: str, scored: list[tuple[float, Candidate]]) -> SearchResult:
        hits = [
            Hit(
                id=candidate.entry.id,
                score=probability,
                question=candidate.entry.question,
                answer=candidate.entry.answer,
                short_answer=candidate.entry.short_answer,
            )
            for probability, candidate in scored
        ]
        if not scored:
            return SearchResult(query=query, decision="none", hits=hits)
        best = scored[0][0]
        scope = self.calibration.in_scope(best, scored[0][1].features)
        return SearchResult(
            query=query,
            decision=self.calibration.decision(best, scope),
            hits=hits,
            in_scope=scope,
        )
