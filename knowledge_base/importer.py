"""FAQ import and export: CSV and XLSX with the contract's columns, per-row errors, all or nothing.

Columns: ``id,category,question,similar_questions,answer`` (similar questions separated by
``|``), optionally ``short_answer,english_answer,status``. Rows are numbered as a spreadsheet
shows them: the header is row 1.
"""

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from knowledge_base.store import Faq, FaqInput, FaqStatus

REQUIRED = ("id", "category", "question", "similar_questions", "answer")
OPTIONAL = ("short_answer", "english_answer", "status")
COLUMNS = (*REQUIRED, *OPTIONAL)
MAX_LENGTHS = {"id": 64, "category": 32, "question": 500, "answer": 4000, "short_answer": 500}


@dataclass(frozen=True)
class RowError:
    row: int  # 1-based, header is row 1; 0 when the file as a whole is unreadable
    message: str


class ImportFailed(Exception):
    def __init__(self, errors: list[RowError]) -> None:
        super().__init__("; ".join(f"第{e.row}行: {e.message}" for e in errors[:20]))
        self.errors = errors


def read_file(path: Path) -> list[FaqInput]:
    return parse(path.read_bytes(), path.name)


def parse(data: bytes, filename: str) -> list[FaqInput]:
    suffix = Path(filename).suffix.lower()
    if suffix == ".csv":
        return parse_csv(data)
    if suffix == ".xlsx":
        return parse_xlsx(data)
    raise ImportFailed(
        [RowError(0, f"不支持的文件类型 {suffix or '(无扩展名)'}：请用 .csv 或 .xlsx")]
    )


def read_csv(path: Path) -> list[FaqInput]:
    return parse_csv(path.read_bytes())


def parse_csv(data: bytes) -> list[FaqInput]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFailed([RowError(0, "文件不是 UTF-8 编码")]) from exc
    reader = csv.reader(io.StringIO(text))
    return _entries(reader)


def parse_xlsx(data: bytes) -> list[FaqInput]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a bad file
        raise ImportFailed([RowError(0, "无法读取 Excel 文件（需为 .xlsx）")]) from exc
    try:
        sheet = workbook.worksheets[0]
        rows = (
            ["" if cell is None else str(cell) for cell in row]
            for row in sheet.iter_rows(values_only=True)
        )
        return _entries(rows)
    finally:
        workbook.close()


def _entries(rows: Iterable[list[str]]) -> list[FaqInput]:
    iterator: Iterator[list[str]] = iter(rows)
    header = [h.strip().lower() for h in next(iterator, [])]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise ImportFailed([RowError(1, f"缺少列: {', '.join(missing)}")])
    entries, errors, seen = [], [], set()
    for line, cells in enumerate(iterator, start=2):
        row = dict(zip(header, cells, strict=False))
        values = {k: (row.get(k) or "").strip() for k in COLUMNS}
        if not any(values.values()):
            continue  # blank line
        problems = [
            f"{k} 不能为空" for k in ("id", "category", "question", "answer") if not values[k]
        ]
        problems += [
            f"{k} 超过 {limit} 个字符" for k, limit in MAX_LENGTHS.items() if len(values[k]) > limit
        ]
        if values["id"] in seen:
            problems.append(f"id {values['id']} 重复")
        if values["status"] and values["status"] not in FaqStatus.__members__:
            problems.append(f"status 只能是 draft 或 published，而不是 {values['status']}")
        if problems:
            errors.append(RowError(line, "；".join(problems)))
            continue
        seen.add(values["id"])
        entries.append(
            FaqInput(
                id=values["id"],
                category=values["category"],
                question=values["question"],
                answer=values["answer"],
                similar_questions=split_similar(values["similar_questions"]),
                short_answer=values["short_answer"] or None,
                english_answer=values["english_answer"] or None,
                status=FaqStatus(values["status"] or FaqStatus.published),
            )
        )
    if errors:
        raise ImportFailed(errors)
    return entries


def split_similar(text: str) -> list[str]:
    return [q.strip() for q in text.split("|") if q.strip()]


def _row(faq: Faq) -> list[Any]:
    return [
        faq.id,
        faq.category,
        faq.question,
        "|".join(faq.similar_questions),
        faq.answer,
        faq.short_answer or "",
        faq.english_answer or "",
        str(faq.status),
    ]


def export(faqs: list[Faq], path: Path) -> None:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        path.write_bytes(csv_bytes(faqs))
    elif suffix == ".xlsx":
        path.write_bytes(xlsx_bytes(faqs))
    else:
        raise ValueError(f"不支持的导出格式 {suffix}：请用 .csv 或 .xlsx")


def csv_bytes(faqs: list[Faq]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    writer.writerows(_row(faq) for faq in faqs)
    return buffer.getvalue().encode("utf-8-sig")


def xlsx_bytes(faqs: list[Faq]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "FAQ"
    sheet.append(list(COLUMNS))
    for faq in faqs:
        sheet.append(_row(faq))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
