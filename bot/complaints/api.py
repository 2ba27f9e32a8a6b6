"""REST API of the complaint work orders (``/api/complaints``): admins run the queue, agents
read it (phones masked) and file work orders from a call."""

import csv
import io
import re
from datetime import date
from typing import Annotated, Any

from anyio import to_thread
from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field, field_validator

from bot.auth import Admin, Agent
from bot.complaints.intake import CATEGORIES, mask_phone
from bot.complaints.models import Complaint, ComplaintEvent, Status
from bot.complaints.queue import Filters, QueueItem
from bot.complaints.service import ComplaintDraft
from bot.complaints.workflow import Change
from bot.exceptions import NotFound
from bot.services import Services


def services(request: Request) -> Services:
    found: Services = request.app.state.services
    return found


def create_router() -> APIRouter:
    router = APIRouter(prefix="/api")

    @router.get("/complaints")
    async def list_complaints(
        request: Request,
        user: Agent,
        status: Status | None = None,
        category: str | None = None,
        place: Annotated[str | None, Query(max_length=100)] = None,
        since: date | None = None,
        until: date | None = None,
        overdue: bool | None = None,
        phone: Annotated[str | None, Query(pattern=r"^1[3-9]\d{9}$")] = None,
    ) -> list[dict[str, Any]]:
        filters = Filters(status, category, place, since, until, overdue, phone)
        items = await to_thread.run_sync(services(request).queue.find, filters)
        return [queue_json(item, masked=user.role != "admin") for item in items]

    @router.post("/complaints", status_code=201)
    async def create_complaint(request: Request, body: NewComplaint, user: Agent) -> dict[str, Any]:
        """An agent files the caller's work order (e.g. from agent assist's prefill). The same
        ``idempotency_key`` always returns the same work order: a double click makes one."""
        sender = f"voice:{body.call_id}" if body.call_id else f"agent:{user.name}"
        draft = ComplaintDraft(
            channel="voice" if body.call_id else "agent",
            sender=sender,
            phone=body.phone,
            target=body.target,
            incident_time=body.incident_time,
            place=body.place,
            category=body.category,
            description=body.description,
        )
        complaint = await to_thread.run_sync(
            lambda: services(request).complaints.submit(
                draft, idempotency_key=f"agent:{body.idempotency_key}"
            )
        )
        return await get_complaint(request, complaint.number, user)

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
    async def get_complaint(request: Request, number: str, user: Agent) -> dict[str, Any]:
        complaint = await to_thread.run_sync(services(request).complaints.get, number)
        if complaint is None:
            raise NotFound(f"没有编号为 {number} 的投诉工单")
        history = await to_thread.run_sync(services(request).workflow.history, number)
        files = await to_thread.run_sync(services(request).complaints.attachments, complaint.id)
        return {
            **complaint_json(complaint, history, masked=user.role != "admin"),
            "attachments": [{"kind": f.kind, "media_id": f.media_id} for f in files],
        }

    @router.get("/complaint-categories")
    async def categories(_: Agent) -> dict[str, list[str]]:
        return {"categories": list(CATEGORIES)}

    @router.get("/departments")
    async def departments(request: Request, user: Agent) -> dict[str, list[str]]:
        return {"departments": services(request).workflow.departments}

    @router.post("/complaints/{number}/extension")
    async def extend(
        request: Request, number: str, body: ExtensionBody, user: Admin
    ) -> dict[str, Any]:
        workflow = services(request).workflow
        await to_thread.run_sync(
            lambda: workflow.extend(number, days=body.days, reason=body.reason, actor=user.name)
        )
        return await get_complaint(request, number, user)

    @router.post("/complaints/{number}/supervision")
    async def supervise(
        request: Request, number: str, body: SupervisionBody, user: Admin
    ) -> dict[str, Any]:
        queue, workflow = services(request).queue, services(request).workflow
        await to_thread.run_sync(
            lambda: workflow.supervise(
                number, note=body.note, actor=user.name, overdue=lambda c: queue.item(c).overdue
            )
        )
        return await get_complaint(request, number, user)

    @router.post("/complaints/{number}/transitions")
    async def transition(
        request: Request, number: str, body: TransitionBody, user: Admin
    ) -> dict[str, Any]:
        change = Change(actor=user.name, **body.model_dump())
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


class NewComplaint(BaseModel):
    phone: str = Field(pattern=r"^1[3-9]\d{9}$", description="mainland mobile number")
    target: str = Field(min_length=1, max_length=200)
    incident_time: str = Field(min_length=1, max_length=100)
    place: str = Field(min_length=1, max_length=200)
    category: str
    description: str = Field(min_length=1, max_length=4000)
    call_id: str | None = Field(default=None, pattern=r"^[A-Za-z0-9_.:-]{1,64}$")
    idempotency_key: str = Field(min_length=8, max_length=100)

    @field_validator("category")
    @classmethod
    def known_category(cls, value: str) -> str:
        if value not in CATEGORIES:
            raise ValueError(f"类别须为：{'、'.join(CATEGORIES)}")
        return value


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
