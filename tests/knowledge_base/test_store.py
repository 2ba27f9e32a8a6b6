from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from bot.db import Database
from knowledge_base.store import (
    Faq,
    FaqInput,
    FaqNotFound,
    FaqStatus,
    FaqStore,
    FaqVersion,
    LabelNotFound,
)

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


def test_rollback_restores_an_old_version_as_a_new_one(db: Database) -> None:
    store = FaqStore(db)
    store.upsert_many([ENTRY], changed_by="alice")
    store.upsert_many([FaqInput(**{**ENTRY.__dict__, "answer": "改错了"})], changed_by="bob")
    faq = store.rollback("f1", 1, changed_by="carol")
    assert (faq.version, faq.answer, faq.updated_by) == (3, ENTRY.answer, "carol")
    assert [v.version for v in store.versions("f1")] == [1, 2, 3]
    with pytest.raises(FaqNotFound):
        store.rollback("f1", 9, changed_by="carol")


def test_every_write_bumps_the_revision_and_tells_the_listeners(db: Database) -> None:
    store = FaqStore(db)
    heard: list[int] = []
    store.listeners.append(lambda: heard.append(store.revision()))
    assert store.revision() == 0
    store.upsert_many([ENTRY], changed_by="alice")
    store.upsert_many([ENTRY], changed_by="alice")  # nothing changed: no revision, no call
    store.delete("f1", changed_by="alice")
    assert heard == [1, 2]
    assert store.get("f1") is None
    with pytest.raises(FaqNotFound):
        store.delete("f1", changed_by="alice")


def test_questions_labelled_out_of_scope_are_kept_once_and_bump_the_revision(db: Database) -> None:
    store = FaqStore(db)
    store.upsert_many([ENTRY], changed_by="alice")
    heard: list[int] = []
    store.listeners.append(lambda: heard.append(store.revision()))
    added = store.label_out_of_scope(
        ["翠湖能游泳吗", "青峰山海拔多高"], [{"usem3": 0.61}, {}], labelled_by="alice"
    )
    assert [label.query for label in added] == ["翠湖能游泳吗", "青峰山海拔多高"]
    again = store.label_out_of_scope(["翠湖能游泳吗"], [{"usem3": 0.7}], labelled_by="bob")
    assert again == []  # already labelled: the first label stands
    labels = store.out_of_scope_labels()
    assert [(x.query, x.nearest, x.labelled_by) for x in labels] == [
        ("翠湖能游泳吗", {"usem3": 0.61}, "alice"),
        ("青峰山海拔多高", {}, "alice"),
    ]
    store.unlabel(labels[0].id, changed_by="bob")
    assert [x.query for x in store.out_of_scope_labels()] == ["青峰山海拔多高"]
    assert heard == [2, 4]  # each change told; the relabel bumped the revision but changed nothing
    with pytest.raises(LabelNotFound):
        store.unlabel(labels[0].id, changed_by="bob")


def test_two_admins_labelling_the_same_question_at_once_make_one_label(db: Database) -> None:
    store = FaqStore(db)
    store.upsert_many([ENTRY], changed_by="alice")

    def label(who: str) -> int:
        return len(store.label_out_of_scope(["龙潭瀑布落差多少米"], [{}], labelled_by=who))

    with ThreadPoolExecutor(4) as pool:
        added = list(pool.map(label, ["a", "b", "c", "d"]))
    assert sorted(added) == [0, 0, 0, 1]
    assert len(store.out_of_scope_labels()) == 1
