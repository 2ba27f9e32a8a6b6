"""Status changes reach the tourist on the channel they came from, through the outbox.

WeChat tourists get a customer-service message (a template message outside WeChat's 48-hour
window, an SMS to the work order's phone when WeChat refuses both); SMS tourists a text; web
and phone-call tourists a text to the phone they gave. The message is staged in the
transition's own transaction, so a committed change always has its notification and a
rolled-back one never does.
"""

from sqlalchemy.orm import Session

from bot.complaints.models import Complaint, ComplaintEvent, Status
from bot.outbox import Outbox

TEMPLATES = {
    Status.assigned: "您的投诉（单号{number}）已派至{department}办理。",
    Status.in_progress: "您的投诉（单号{number}）正在处理中。",
    Status.replied: "您的投诉（单号{number}）已有答复：{reply}",
    Status.closed: "您的投诉（单号{number}）已办结，感谢您的评价与监督。",
    Status.rejected: "您的投诉（单号{number}）不予受理，原因：{reason}。如有异议请拨打12301。",
    Status.received: "您的投诉（单号{number}）已退回受理环节，将重新派单。",
}
ACTIONS = {
    "延期": "您的投诉（单号{number}）办理期限延长，{note}。",
    "签收": "您的投诉（单号{number}）已由{department}签收，正在处理。",
}
SIGNATURE = "【云游热线】"


def e164(phone: str) -> str:
    digits = phone.strip().replace(" ", "").replace("-", "")
    if digits.startswith("+"):
        return digits
    return "+86" + digits.removeprefix("86") if len(digits) in (11, 13) else digits


def route(complaint: Complaint) -> tuple[str, str, list[dict[str, str]] | None]:
    """(channel, recipient, fallbacks) for this work order's tourist. A WeChat tourist gets a
    customer-service message while the 48-hour window is open, else a template message,
    else an SMS to the phone on the work order."""
    channel, _, sender_id = complaint.sender.partition(":")
    sms_to_phone = {"channel": "sms", "recipient": e164(complaint.phone)}
    if channel == "wechat" and sender_id:
        template = {"channel": "wechat_template", "recipient": sender_id}
        return "wechat", sender_id, [template, sms_to_phone]
    if channel == "sms" and sender_id:
        return "sms", sender_id, None
    return "sms", sms_to_phone["recipient"], None


def text_of(complaint: Complaint, event: ComplaintEvent) -> str | None:
    """What the tourist is told of this change; None for what is internal (督办)."""
    if event.action == "督办":
        return None
    template = ACTIONS.get(event.action or "") or TEMPLATES[Status(complaint.status)]
    reply = complaint.reply or ""
    reply = reply if len(reply) <= 200 else reply[:199] + "…"
    body = template.format(
        note=event.note,
        number=complaint.number,
        department=complaint.department or "承办部门",
        reply=reply,
        reason=complaint.reject_reason or "",
    )
    return SIGNATURE + body


class ComplaintNotifier:
    def __init__(self, outbox: Outbox) -> None:
        self._outbox = outbox

    def __call__(self, session: Session, complaint: Complaint, event: ComplaintEvent) -> None:
        text = text_of(complaint, event)
        if text is None:
            return
        channel, recipient, fallback = route(complaint)
        self._outbox.enqueue(
            channel=channel,
            recipient=recipient,
            text=text,
            kind="notification",
            source=f"complaint:{complaint.number}:{event.id}",
            fallback=fallback,
            session=session,
        )
