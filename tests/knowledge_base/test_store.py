from datetime import datetime, timedelta

from sqlalchemy import select

from bot.db import Database
from knowledge_base.store import Faq, FaqInput, FaqStatus, FaqStore, FaqVersion

ENTRY = FaqInput(
    id="f1",
    category="门票",
    question="青峰山门票多少钱？",
    answer="旺季120元（演示数据）。",
    similar_questions=["青峰山票价"],
)


def test_every_edit_is_a_new_version(db: Database) -> None:
    store = FaqStore(db)
    assert store.upsert_many([ENTRY], changed_by="alice") == 1
    assert store.upsert_many([ENTRY], changed_by="alice") == 0  # unchanged: no new version
    edited = FaqInput(**{**ENTRY.__dict__, "answer": "旺季130元（演示数据）。"})
    assert store.upsert_many([edited], changed_by="bob") == 1
    faq = store.get("f1")
    assert faq is not None and faq.version == 2 and faq.updated_by == "bob"
    with db.session() as session:
        versions = session.scalars(select(FaqVersion).order_by(FaqVersion.version)).all()
        assert [(v.version, v.changed_by, v.snapshot["answer"]) for v in versions] == [
            (1, "alice", "旺季120元（演示数据）。"),
            (2, "bob", "旺季130元（演示数据）。"),
        ]


def test_only_published_entries_inside_their_window_are_live(db: Database) -> None:
    store = FaqStore(db)
    draft = FaqInput(**{**ENTRY.__dict__, "id": "f2", "status": FaqStatus.draft})
    store.upsert_many([ENTRY, draft], changed_by="alice")
    now = datetime(2026, 11, 23, 12)
    with db.session() as session:
        session.get_one(Faq, "f1").valid_until = now - timedelta(days=1)
    assert [f.id for f in store.live(now)] == []
    assert [f.id for f in store.live(now - timedelta(days=2))] == ["f1"]
