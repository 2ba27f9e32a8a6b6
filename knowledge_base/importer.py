"""Read FAQ rows from CSV (the contract's columns) with per-row errors."""

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from knowledge_base.store import FaqInput

REQUIRED = ("id", "category", "question", "similar_questions", "answer")
OPTIONAL = ("short_answer", "english_answer")


@dataclass(frozen=True)
class RowError:
    row: int  # 1-based line number in the file, header is row 1
    message: str


class ImportFailed(Exception):
    def __init__(self, errors: list[RowError]) -> None:
        super().__init__("; ".join(f"第{e.row}行: {e.message}" for e in errors[:20]))
        self.errors = errors


def read_csv(path: Path) -> list[FaqInput]:
    return parse_csv(path.read_bytes())


def parse_csv(data: bytes) -> list[FaqInput]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFailed([RowError(0, "文件不是 UTF-8 编码")]) from exc
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in REQUIRED if c not in (reader.fieldnames or [])]
    if missing:
        raise ImportFailed([RowError(1, f"缺少列: {', '.join(missing)}")])
    entries, errors, seen = [], [], set()
    for line, row in enumerate(reader, start=2):
        values = {k: (row.get(k) or "").strip() for k in (*REQUIRED, *OPTIONAL)}
        problems = [
            f"{k} 不能为空" for k in ("id", "category", "question", "answer") if not values[k]
        ]
        if values["id"] in seen:
            problems.append(f"id {values['id']} 重复")
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
                similar_questions=[
                    q.strip() for q in values["similar_questions"].split("|") if q.strip()
                ],
                short_answer=values["short_answer"] or None,
                english_answer=values["english_answer"] or None,
            )
        )
    if errors:
        raise ImportFailed(errors)
    return entries
