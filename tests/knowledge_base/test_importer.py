from pathlib import Path

import pytest
from openpyxl import Workbook

from bot.db import Database
from knowledge_base.importer import ImportFailed, export, parse, parse_csv, read_file
from knowledge_base.store import FaqStatus, FaqStore
from tests.conftest import DEMO_KB


def test_reports_every_bad_row_and_imports_nothing() -> None:
    csv = (
        "id,category,question,similar_questions,answer,status\n"
        "a,门票,问题一,,答案一,\n"
        ",门票,问题二,,答案二,\n"
        "a,门票,问题三,,,\n"
        "b,门票,问题四,,答案四,hidden\n"
    ).encode()
    with pytest.raises(ImportFailed) as failure:
        parse_csv(csv)
    assert [(e.row, e.message) for e in failure.value.errors] == [
        (3, "id 不能为空"),
        (4, "answer 不能为空；id a 重复"),
        (5, "status 只能是 draft 或 published，而不是 hidden"),
    ]


def test_unreadable_files_say_why() -> None:
    with pytest.raises(ImportFailed, match="缺少列"):
        parse_csv(b"id,question\n1,x\n")
    with pytest.raises(ImportFailed, match="UTF-8"):
        parse_csv("id,category\n".encode("gbk") + "门票".encode("gbk"))
    with pytest.raises(ImportFailed, match="不支持的文件类型"):
        parse(b"", "faq.txt")
    with pytest.raises(ImportFailed, match="Excel"):
        parse(b"not a zip", "faq.xlsx")


def test_an_office_spreadsheet_imports_like_csv(tmp_path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["id", "category", "question", "similar_questions", "answer", "short_answer"])
    sheet.append(
        ["x1", "门票", "望月楼门票多少钱？", "望月楼要票吗|望月楼票价", "30元（演示数据）", None]
    )
    sheet.append([None, None, None, None, None, None])  # blank rows are skipped
    sheet.append(["x2", "交通", "怎么去古镇？", None, "坐5路公交", "5路"])
    workbook.save(tmp_path / "faq.xlsx")
    entries = read_file(tmp_path / "faq.xlsx")
    assert [(e.id, e.similar_questions, e.short_answer) for e in entries] == [
        ("x1", ["望月楼要票吗", "望月楼票价"], None),
        ("x2", [], "5路"),
    ]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_export_then_import_is_the_same_knowledge_base(
    db: Database, tmp_path: Path, suffix: str
) -> None:
    store = FaqStore(db)
    entries = read_file(DEMO_KB)
    entries[0].status = FaqStatus.draft
    store.upsert_many(entries, changed_by="test")
    export(store.all(), tmp_path / f"faq{suffix}")
    again = read_file(tmp_path / f"faq{suffix}")
    assert sorted(again, key=lambda e: e.id) == sorted(entries, key=lambda e: e.id)
    assert store.upsert_many(again, changed_by="test") == 0  # nothing changed
