"""REST API: the knowledge base (``/api/faqs``, ``/api/kb``) and complaint work orders
(``/api/complaints``); admins change things, agents read."""

import csv
import io
import re
from datetime import date, datetime
from typing import Annotated, Any

from anyio import to_thread
from fastapi import APIRouter, Depends, Query, Request, UploadFile
from fastapi.responses import Response
from pydantic import BaseModel, Field, field_validator

from bot.auth import Role, require
from bot.complaints.intake import mask_phone
from bot.complaints.models import Complaint, ComplaintEvent, Status
from bot.complaints.queue import Filters, QueueItem
from bot.complaints.workflow import Change
from bot.exceptions import Conflict, InvalidInput, NotFound, PayloadTooLarge
from bot.services import Services
from knowledge_base.importer import ImportFailed, csv_bytes, parse, xlsx_bytes
from knowledge_base.store import Faq, FaqInput, FaqNotFound, FaqStatus

MAX_IMPORT_BYTES = 10 * 1024 * 1024

Admin = Annotated[Role, Depends(require("admin"))]
Agent = Annotated[Role, Depends(require("agent"))]


class FaqBody(BaseModel):
    category: str = Field(min_length=1, max_length=32)
    question: str = Field(min_length=1, max_length=500)
    answer: str = Field(min_length=1, max_length=4000)
    similar_questions: list[Annotated[str, Field(min_length=1, max_length=500)]] = []
    short_answer: str | None = Field(default=None, max_length=500)
    english_answer: str | None = Field(default=None, max_length=4000)
    status: FaqStatus = FaqStatus.published
    valid_from: datetime | None = None
    valid_until: datetime | None = None

    @field_validator("category", "question", "answer")
    @classmethod
    def not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("不能为空")
        return value.strip()

    def to_input(self, faq_id: str) -> FaqInput:
        if self.valid_from and self.valid_until and self.valid_until <= self.valid_from:
            raise InvalidInput("valid_until 必须晚于 valid_from")
        return FaqInput(id=faq_id, **self.model_dump(exclude={"id"}))


class NewFaq(FaqBody):
    id: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.-]+$")


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
    async def create_faq(request: Request, body: NewFaq, role: Admin) -> dict[str, Any]:
        store = services(request).faqs
        if await to_thread.run_sync(store.get, body.id) is not None:
            raise Conflict(f"id {body.id} 已存在：修改请用 PUT /api/faqs/{body.id}")
        entry = body.to_input(body.id)
        await to_thread.run_sync(lambda: store.upsert_many([entry], changed_by=role))
        await committed(request)
        faq = await to_thread.run_sync(store.get, body.id)
        assert faq is not None
        return faq_json(faq)

    @router.put("/faqs/{faq_id}")
    async def put_faq(request: Request, faq_id: str, body: FaqBody, role: Admin) -> dict[str, Any]:
        store = services(request).faqs
        await to_thread.run_sync(
            lambda: store.upsert_many([body.to_input(faq_id)], changed_by=role)
        )
        await committed(request)
        faq = await to_thread.run_sync(store.get, faq_id)
        assert faq is not None
        return faq_json(faq)

    @router.delete("/faqs/{faq_id}", status_code=204)
    async def delete_faq(request: Request, faq_id: str, role: Admin) -> Response:
        try:
            await to_thread.run_sync(lambda: services(request).faqs.delete(faq_id, changed_by=role))
        except FaqNotFound as exc:
            raise NotFound(f"没有 id 为 {faq_id} 的问答") from exc
        await committed(request)
        return Response(status_code=204)

    @router.post("/faqs/{faq_id}/rollback")
    async def rollback_faq(
        request: Request, faq_id: str, body: RollbackBody, role: Admin
    ) -> dict[str, Any]:
        try:
            faq = await to_thread.run_sync(
                lambda: services(request).faqs.rollback(faq_id, body.version, changed_by=role)
            )
        except FaqNotFound as exc:
            raise NotFound(f"没有 {faq_id} 的第 {body.version} 版") from exc
        await committed(request)
        return faq_json(faq)

    @router.post("/faqs/import")
    async def import_faqs(request: Request, file: UploadFile, role: Admin) -> dict[str, Any]:
        data = await file.read(MAX_IMPORT_BYTES + 1)
        if len(data) > MAX_IMPORT_BYTES:
            raise PayloadTooLarge("导入文件过大：最多 10 MB")
        try:
            entries = parse(data, file.filename or "")
        except ImportFailed as exc:
            raise ImportRejected(exc) from exc
        changed = await to_thread.run_sync(
            lambda: services(request).faqs.upsert_many(entries, changed_by=role)
        )
        await committed(request)
        return {"rows": len(entries), "changed": changed}

    @router.get("/kb/search")
    async def search(
        request: Request,
        _: Agent,
        q: Annotated[str, Query(min_length=1, max_length=2000)],
        k: Annotated[int, Query(ge=1, le=20)] = 5,
    ) -> dict[str, Any]:
        result = await to_thread.run_sync(lambda: services(request).kb.search(q, k=k))
        return {**result.as_full_dict(), "revision": services(request).kb.revision}

    @router.get("/kb/unanswered")
    async def unanswered(
        request: Request, _: Admin, limit: Annotated[int, Query(ge=1, le=1000)] = 100
    ) -> list[dict[str, Any]]:
        rows = await to_thread.run_sync(services(request).unanswered.recent, limit)
        return [
            {
                "query": r.query,
                "decision": r.decision,
                "candidates": r.candidates,
                "channel": r.channel,
                "created_at": r.created_at.isoformat(),
            }
            for r in rows
        ]

    @router.get("/complaints")
    async def list_complaints(
        request: Request,
        role: Agent,
        status: Status | None = None,
        category: str | None = None,
        place: Annotated[str | None, Query(max_length=100)] = None,
        since: date | None = None,
        until: date | None = None,
        overdue: bool | None = None,
    ) -> list[dict[str, Any]]:
        filters = Filters(status, category, place, since, until, overdue)
        items = await to_thread.run_sync(services(request).queue.find, filters)
        return [queue_json(item, masked=role != "admin") for item in items]

    @router.get("/complaints/stats")
    async def complaint_stats(request: Request, _: Agent) -> dict[str, Any]:
        return await to_thread.run_sync(services(request).queue.statistics)

    @router.get("/complaints/export")
    async def export_complaints(request: Request, _: Admin) -> Response:
        items = await to_thread.run_sync(services(request).queue.find, Filters())
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(EXPORT_COLUMNS)
        for item in items:
            row = queue_json(item, masked=False)
            writer.writerow([row[column] for column in EXPORT_COLUMNS])
        return Response(
            buffer.getvalue().encode("utf-8-sig"),
            media_type="text/csv; charset=utf-8",
            headers={"content-disposition": 'attachment; filename="complaints.csv"'},
        )

    @router.get("/complaints/{number}")
    async def get_complaint(request: Request, number: str, role: Agent) -> dict[str, Any]:
        complaint = await to_thread.run_sync(services(request).complaints.get, number)
        if complaint is None:
            raise NotFound(f"没有编号为 {number} 的投诉工单")
        history = await to_thread.run_sync(services(request).workflow.history, number)
        files = await to_thread.run_sync(services(request).complaints.attachments, complaint.id)
        return {
            **complaint_json(complaint, history, masked=role != "admin"),
            "attachments": [{"kind": f.kind, "media_id": f.media_id} for f in files],
        }

    @router.get("/departments")
    async def departments(request: Request, role: Agent) -> dict[str, list[str]]:
        return {"departments": services(request).workflow.departments}

    @router.post("/complaints/{number}/extension")
    async def extend(
        request: Request, number: str, body: ExtensionBody, role: Admin
    ) -> dict[str, Any]:
        workflow = services(request).workflow
        await to_thread.run_sync(
            lambda: workflow.extend(number, days=body.days, reason=body.reason, actor=role)
        )
        return await get_complaint(request, number, role)

    @router.post("/complaints/{number}/supervision")
    async def supervise(
        request: Request, number: str, body: SupervisionBody, role: Admin
    ) -> dict[str, Any]:
        queue, workflow = services(request).queue, services(request).workflow
        await to_thread.run_sync(
            lambda: workflow.supervise(
                number, note=body.note, actor=role, overdue=lambda c: queue.item(c).overdue
            )
        )
        return await get_complaint(request, number, role)

    @router.post("/complaints/{number}/transitions")
    async def transition(
        request: Request, number: str, body: TransitionBody, role: Admin
    ) -> dict[str, Any]:
        change = Change(actor=role, **body.model_dump())
        workflow = services(request).workflow
        complaint = await to_thread.run_sync(workflow.apply, number, change)
        history = await to_thread.run_sync(workflow.history, number)
        return complaint_json(complaint, history, masked=False)

    return router


PHONE_IN_TEXT = re.compile(r"1[3-9]\d{9}")
EXPORT_COLUMNS = (
    "number",
    "status",
    "category",
    "target",
    "place",
    "incident_time",
    "phone",
    "description",
    "channel",
    "department",
    "created_at",
    "due",
    "overdue",
)


def queue_json(item: QueueItem, *, masked: bool) -> dict[str, Any]:
    row = complaint_json(item.complaint, [], masked=masked)
    del row["history"]
    return {
        **row,
        "due": item.due.isoformat(),
        "overdue": item.overdue,
    }


class ExtensionBody(BaseModel):
    days: int = Field(ge=1, le=30)
    reason: str = Field(min_length=1, max_length=2000)


class SupervisionBody(BaseModel):
    note: str = Field(default="", max_length=2000)


class TransitionBody(BaseModel):
    to: Status
    note: str = Field(default="", max_length=2000)
    department: str | None = Field(default=None, max_length=64)
    reply: str | None = Field(default=None, max_length=4000)
    satisfaction: int | None = Field(default=None, ge=1, le=5)
    reason: str | None = Field(default=None, max_length=2000)


def complaint_json(
    complaint: Complaint, history: list[ComplaintEvent], *, masked: bool
) -> dict[str, Any]:
    """The contract's fields; agents see the phone masked (138****5678)."""
    return {
        "number": complaint.number,
        "status": str(complaint.status),
        "target": complaint.target,
        "incident_time": complaint.incident_time,
        "place": complaint.place,
        "category": complaint.category,
        "phone": mask_phone(complaint.phone) if masked else complaint.phone,
        "description": complaint.description,
        "channel": complaint.channel,
        "sender": PHONE_IN_TEXT.sub(lambda m: mask_phone(m.group()), complaint.sender)
        if masked
        else complaint.sender,
        "department": complaint.department,
        "reply": complaint.reply,
        "satisfaction": complaint.satisfaction,
        "reject_reason": complaint.reject_reason,
        "extension_days": complaint.extension_days or 0,
        "supervised_at": complaint.supervised_at.isoformat() if complaint.supervised_at else None,
        "created_at": complaint.created_at.isoformat(),
        "history": [
            {
                "from": e.from_status,
                "to": e.to_status,
                "action": e.action,
                "actor": e.actor,
                "note": e.note,
                "at": e.at.isoformat(),
            }
            for e in history
        ],
    }


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
