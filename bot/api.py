"""REST API of the knowledge base (``/api/faqs``, ``/api/kb``): admins change, agents read."""

from dataclasses import replace
from datetime import datetime
from typing import Annotated, Any

from anyio import to_thread
from fastapi import APIRouter, Query, Request, UploadFile
from fastapi.responses import Response
from pydantic import AfterValidator, BaseModel, Field

from bot.auth import Admin, Agent
from bot.exceptions import Conflict, InvalidInput, NotFound, PayloadTooLarge
from bot.services import Services
from knowledge_base.importer import ImportFailed, csv_bytes, parse, xlsx_bytes
from knowledge_base.questions import KbQuestion
from knowledge_base.store import (
    MAX_LABELLED,
    Faq,
    FaqInput,
    FaqNotFound,
    FaqStatus,
    LabelNotFound,
    OutOfScopeLabel,
)

MAX_IMPORT_BYTES = 10 * 1024 * 1024


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("不能为空")
    return value.strip()


NonBlank = Annotated[str, AfterValidator(_not_blank)]


class FaqBody(BaseModel):
    category: NonBlank = Field(min_length=1, max_length=32)
    question: NonBlank = Field(min_length=1, max_length=500)
    answer: NonBlank = Field(min_length=1, max_length=4000)
    similar_questions: list[Annotated[str, Field(min_length=1, max_length=500)]] = []
    short_answer: str | None = Field(default=None, max_length=500)
    english_answer: str | None = Field(default=None, max_length=4000)
    status: FaqStatus = FaqStatus.published
    valid_from: datetime | None = None
    valid_until: datetime | None = None

    def to_input(self, faq_id: str) -> FaqInput:
        if self.valid_from and self.valid_until and self.valid_until <= self.valid_from:
            raise InvalidInput("valid_until 必须晚于 valid_from")
        return FaqInput(id=faq_id, **self.model_dump(exclude={"id"}))


class NewFaq(FaqBody):
    id: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.-]+$")


class SimilarBody(BaseModel):
    question: NonBlank = Field(min_length=1, max_length=500)


class OutOfScopeBody(BaseModel):
    """Questions no FAQ answers (a group of the unanswered view)."""

    queries: list[Annotated[NonBlank, Field(min_length=1, max_length=MAX_LABELLED)]] = Field(
        min_length=1, max_length=200
    )


class RollbackBody(BaseModel):
    version: int = Field(ge=1)


def faq_json(faq: Faq) -> dict[str, Any]:
    return {
        "id": faq.id,
        "category": faq.category,
        "question": faq.question,
        "similar_questions": faq.similar_questions,
        "answer": faq.answer,
        "short_answer": faq.short_answer,
        "english_answer": faq.english_answer,
        "status": str(faq.status),
        "valid_from": faq.valid_from.isoformat() if faq.valid_from else None,
        "valid_until": faq.valid_until.isoformat() if faq.valid_until else None,
        "version": faq.version,
        "updated_by": faq.updated_by,
        "updated_at": faq.updated_at.isoformat(),
    }


def question_json(row: KbQuestion) -> dict[str, Any]:
    return {
        "query": row.query,
        "decision": row.decision,
        "candidates": row.candidates,
        "channel": row.channel,
        "created_at": row.created_at.isoformat(),
    }


def label_json(label: OutOfScopeLabel) -> dict[str, Any]:
    return {
        "id": label.id,
        "query": label.query,
        "labelled_by": label.labelled_by,
        "labelled_at": label.labelled_at.isoformat(),
    }


def create_router() -> APIRouter:
    router = APIRouter(prefix="/api")

    def services(request: Request) -> Services:
        found: Services = request.app.state.services
        return found

    async def committed(request: Request) -> None:
        """Make this process's index current before answering; others follow by Redis/poll."""
        await to_thread.run_sync(services(request).kb.sync)

    @router.get("/faqs")
    async def list_faqs(
        request: Request,
        _: Agent,
        category: str | None = None,
        q: Annotated[str | None, Query(max_length=200)] = None,
    ) -> list[dict[str, Any]]:
        faqs = await to_thread.run_sync(services(request).faqs.all)
        return [
            faq_json(f)
            for f in faqs
            if (category is None or f.category == category)
            and (not q or q in f.question or any(q in s for s in f.similar_questions))
        ]

    @router.get("/faqs/export")
    async def export_faqs(request: Request, _: Admin, format: str = "csv") -> Response:
        faqs = await to_thread.run_sync(services(request).faqs.all)
        if format == "csv":
            return Response(
                csv_bytes(faqs),
                media_type="text/csv; charset=utf-8",
                headers={"content-disposition": 'attachment; filename="faq.csv"'},
            )
        if format == "xlsx":
            return Response(
                xlsx_bytes(faqs),
                media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                headers={"content-disposition": 'attachment; filename="faq.xlsx"'},
            )
        raise InvalidInput("format 只能是 csv 或 xlsx")

    @router.get("/faqs/{faq_id}")
    async def get_faq(request: Request, faq_id: str, _: Agent) -> dict[str, Any]:
        store = services(request).faqs
        faq = await to_thread.run_sync(store.get, faq_id)
        if faq is None:
            raise NotFound(f"没有 id 为 {faq_id} 的问答")
        versions = await to_thread.run_sync(store.versions, faq_id)
        return {
            **faq_json(faq),
            "versions": [
                {
                    "version": v.version,
                    "changed_by": v.changed_by,
                    "changed_at": v.changed_at.isoformat(),
                    "snapshot": v.snapshot,
                }
                for v in versions
            ],
        }

    @router.post("/faqs", status_code=201)
    async def create_faq(request: Request, body: NewFaq, user: Admin) -> dict[str, Any]:
        store = services(request).faqs
        if await to_thread.run_sync(store.get, body.id) is not None:
            raise Conflict(f"id {body.id} 已存在：修改请用 PUT /api/faqs/{body.id}")
        entry = body.to_input(body.id)
        await to_thread.run_sync(lambda: store.upsert_many([entry], changed_by=user.name))
        await committed(request)
        faq = await to_thread.run_sync(store.get, body.id)
        assert faq is not None
        return faq_json(faq)

    @router.put("/faqs/{faq_id}")
    async def put_faq(request: Request, faq_id: str, body: FaqBody, user: Admin) -> dict[str, Any]:
        store = services(request).faqs
        await to_thread.run_sync(
            lambda: store.upsert_many([body.to_input(faq_id)], changed_by=user.name)
        )
        await committed(request)
        faq = await to_thread.run_sync(store.get, faq_id)
        assert faq is not None
        return faq_json(faq)

    @router.delete("/faqs/{faq_id}", status_code=204)
    async def delete_faq(request: Request, faq_id: str, user: Admin) -> Response:
        store = services(request).faqs
        try:
            await to_thread.run_sync(lambda: store.delete(faq_id, changed_by=user.name))
        except FaqNotFound as exc:
            raise NotFound(f"没有 id 为 {faq_id} 的问答") from exc
        await committed(request)
        return Response(status_code=204)

    @router.post("/faqs/{faq_id}/rollback")
    async def rollback_faq(
        request: Request, faq_id: str, body: RollbackBody, user: Admin
    ) -> dict[str, Any]:
        try:
            faq = await to_thread.run_sync(
                lambda: services(request).faqs.rollback(faq_id, body.version, changed_by=user.name)
            )
        except FaqNotFound as exc:
            raise NotFound(f"没有 {faq_id} 的第 {body.version} 版") from exc
        await committed(request)
        return faq_json(faq)

    @router.post("/faqs/import")
    async def import_faqs(request: Request, file: UploadFile, user: Admin) -> dict[str, Any]:
        data = await file.read(MAX_IMPORT_BYTES + 1)
        if len(data) > MAX_IMPORT_BYTES:
            raise PayloadTooLarge("导入文件过大：最多 10 MB")
        try:
            entries = parse(data, file.filename or "")
        except ImportFailed as exc:
            raise ImportRejected(exc) from exc
        changed = await to_thread.run_sync(
            lambda: services(request).faqs.upsert_many(entries, changed_by=user.name)
        )
        await committed(request)
        return {"rows": len(entries), "changed": changed}

    @router.get("/kb/search")
    async def search(
        request: Request,
        _: Agent,
        q: Annotated[str, Query(min_length=1, max_length=2000)],
        k: Annotated[int, Query(ge=1, le=20)] = 5,
        explain: bool = False,
    ) -> dict[str, Any]:
        """``explain=true`` (the admin's hit test) adds why each hit scored as it did."""
        kb = services(request).kb
        if not explain:
            result = await to_thread.run_sync(lambda: kb.search(q, k=k))
            return {**result.as_full_dict(), "revision": kb.revision}
        result, why = await to_thread.run_sync(lambda: kb.explain(q, k=k))
        body = result.as_full_dict()
        return {
            **body,
            "hits": [{**hit, "why": reason} for hit, reason in zip(body["hits"], why, strict=True)],
            "thresholds": {"answer": kb.calibration.answer, "clarify": kb.calibration.clarify},
            "revision": kb.revision,
        }

    @router.get("/kb/unanswered")
    async def unanswered(
        request: Request, _: Admin, limit: Annotated[int, Query(ge=1, le=1000)] = 100
    ) -> list[dict[str, Any]]:
        rows = await to_thread.run_sync(services(request).questions.unanswered, limit)
        return [question_json(r) for r in rows]

    @router.get("/kb/unanswered/groups")
    async def unanswered_groups(
        request: Request, _: Admin, days: Annotated[int, Query(ge=1, le=365)] = 30
    ) -> list[dict[str, Any]]:
        """Questions an admin labelled out of scope are dealt with: they are left out."""
        found = services(request)
        labelled = await to_thread.run_sync(found.faqs.out_of_scope_labels)
        groups = await to_thread.run_sync(
            lambda: found.questions.groups(
                found.kb.embed_queries, days=days, skip={label.query for label in labelled}
            )
        )
        questions = await to_thread.run_sync(found.faqs.questions)
        return [
            {
                "label": group.label,
                "count": len(group.queries),
                "queries": [question_json(q) for q in group.queries],
                "candidates": [
                    {"id": faq_id, "question": questions[faq_id], "score": score}
                    for faq_id, score in sorted(
                        group.candidates.items(), key=lambda item: item[1], reverse=True
                    )
                    if faq_id in questions
                ][:3],
            }
            for group in groups
        ]

    @router.get("/kb/out-of-scope")
    async def out_of_scope_labels(request: Request, _: Admin) -> list[dict[str, Any]]:
        labels = await to_thread.run_sync(services(request).faqs.out_of_scope_labels)
        return [label_json(label) for label in labels]

    @router.post("/kb/out-of-scope", status_code=201)
    async def label_out_of_scope(
        request: Request, body: OutOfScopeBody, user: Admin
    ) -> dict[str, Any]:
        """不属于本知识库: questions no FAQ answers. The search reads them as known out-of-scope
        questions from the next sync on, in every process; questions like them are handed over
        rather than answered with a neighbouring FAQ."""
        found = services(request)
        queries = list(dict.fromkeys(body.queries))
        nearest = await to_thread.run_sync(found.kb.closest_texts, queries)
        added = await to_thread.run_sync(
            lambda: found.faqs.label_out_of_scope(queries, nearest, labelled_by=user.name)
        )
        await committed(request)
        already = len(queries) - len(added)
        return {"added": [label_json(label) for label in added], "already": already}

    @router.delete("/kb/out-of-scope/{label_id}", status_code=204)
    async def unlabel(request: Request, label_id: int, user: Admin) -> Response:
        store = services(request).faqs
        try:
            await to_thread.run_sync(lambda: store.unlabel(label_id, changed_by=user.name))
        except LabelNotFound as exc:
            raise NotFound(f"没有编号为 {label_id} 的“不属于本知识库”标记") from exc
        await committed(request)
        return Response(status_code=204)

    @router.post("/faqs/{faq_id}/similar")
    async def add_similar(
        request: Request, faq_id: str, body: SimilarBody, user: Admin
    ) -> dict[str, Any]:
        """An unanswered question becomes a similar question of an FAQ (a new version)."""
        store = services(request).faqs
        faq = await to_thread.run_sync(store.get, faq_id)
        if faq is None:
            raise NotFound(f"没有 id 为 {faq_id} 的问答")
        if body.question in (faq.question, *faq.similar_questions):
            raise Conflict(f"“{body.question}”已是 {faq_id} 的问法")
        entry = replace(FaqInput.of(faq), similar_questions=[*faq.similar_questions, body.question])
        await to_thread.run_sync(lambda: store.upsert_many([entry], changed_by=user.name))
        await committed(request)
        updated = await to_thread.run_sync(store.get, faq_id)
        assert updated is not None
        return faq_json(updated)

    return router


class ImportRejected(InvalidInput):
    """An import with bad rows: nothing was imported; every bad row is listed."""

    def __init__(self, failure: ImportFailed) -> None:
        whole_file = [e.message for e in failure.errors if e.row == 0]
        super().__init__(
            f"导入失败：{whole_file[0]}"
            if whole_file
            else f"导入失败：{len(failure.errors)} 行有错误，未导入任何数据"
        )
        self.errors = [{"row": e.row, "message": e.message} for e in failure.errors]
