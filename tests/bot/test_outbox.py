"""The outbox: notifications committed with the change, delivered through the real SDK clients
to local stand-ins of WeChat's and Twilio's APIs, retried, re-routed or held — never lost."""

from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest

from bot.complaints.models import Status
from bot.complaints.notifications import ComplaintNotifier
from bot.complaints.service import ComplaintDraft, ComplaintService
from bot.complaints.workflow import Change, InvalidTransition, Workflow
from bot.db import Database, utcnow
from bot.messages import MessageLog
from bot.optouts import OptOuts
from bot.outbox import Outbox, OutboxStatus
from channels import sms, wechat
from tests.standins import TwilioApiStandIn, WeChatApiStandIn

APPID, SECRET = "wx0123456789abcdef", "wechat-secret"
SID, AUTH = "AC" + "1" * 32, "twilio-auth-token"
OPENID, PHONE = "oTourist1", "13800138000"


class Clock:
    def __init__(self) -> None:
        self.now = utcnow()

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


class World:
    """The outbox wired as the app wires it, with both providers pointed at stand-ins."""

    def __init__(self, db: Database, wx: WeChatApiStandIn, tw: TwilioApiStandIn) -> None:
        self.wx, self.tw, self.clock = wx, tw, Clock()
        self.messages, self.optouts = MessageLog(db), OptOuts(db)
        self.outbox = Outbox(db, clock=self.clock, backoff=(5, 30), max_attempts=4)
        window = wechat.CustomerServiceWindow(
            lambda openid: _last(self.messages, openid),
            lambda openid, since: self.outbox.sent_since("wechat", openid, since),
        )
        self.wechat_client = wechat.HotlineWeChatClient(APPID, SECRET, wx.url + "/cgi-bin/")
        self.twilio_client = sms.twilio_client(SID, AUTH, tw.url)
        self.outbox.providers = {
            "wechat": wechat.WeChatProvider(self.wechat_client, window),
            "sms": sms.SmsProvider(
                self.twilio_client,
                from_number="+15005550006",
                status_callback="https://hotline.example.gov.cn/channels/sms/status",
                optouts=self.optouts,
            ),
        }
        self.complaints = ComplaintService(db)
        self.workflow = Workflow(db, notify=ComplaintNotifier(self.outbox))

    def tourist_writes(self, openid: str = OPENID) -> None:
        self.messages.record(
            request_id="t", channel="wechat", sender=f"wechat:{openid}", text="在吗"
        )
        self.wx.user_messaged(openid)

    def complaint(self, sender: str = f"wechat:{OPENID}") -> str:
        draft = ComplaintDraft(
            channel=sender.partition(":")[0],
            sender=sender,
            phone=PHONE,
            target="云溪大酒店",
            incident_time="昨天下午",
            place="青峰山",
            category="价格欺诈",
            description="房价比预订时贵了一倍",
        )
        return self.complaints.submit(draft, idempotency_key=sender + "-1").number

    def assign(self, number: str) -> None:
        self.workflow.apply(number, Change(Status.assigned, actor="admin", department="市场监管局"))


def _last(messages: MessageLog, openid: str) -> datetime | None:
    last = messages.last_from(f"wechat:{openid}")
    return last.received_at if last else None


@pytest.fixture
def world(db: Database) -> Iterator[World]:
    with WeChatApiStandIn(appid=APPID, secret=SECRET) as wx, TwilioApiStandIn(SID, AUTH) as tw:
        world = World(db, wx, tw)
        yield world
        world.wechat_client._http.close()
        world.twilio_client.http_client.session.close()  # type: ignore[attr-defined]


def test_a_status_change_reaches_the_wechat_tourist(world: World) -> None:
    world.tourist_writes()
    number = world.complaint()
    world.assign(number)
    assert world.outbox.deliver_due() == 1
    [text] = world.wx.sent_texts(OPENID)
    assert number in text and "市场监管局" in text
    [row] = world.outbox.recent()
    assert row.status == OutboxStatus.sent and row.source.startswith(f"complaint:{number}:")


def test_a_refused_transition_queues_nothing(world: World) -> None:
    number = world.complaint()
    with pytest.raises(InvalidTransition, match="不能改为"):
        world.workflow.apply(number, Change(Status.closed, actor="admin", satisfaction=5))
    assert world.outbox.recent() == []


def test_provider_down_is_retried_with_back_off_until_it_answers(world: World) -> None:
    world.tourist_writes()
    world.assign(world.complaint())
    world.wx.fail_next(2, status=500)
    assert world.outbox.deliver_due() == 0
    [row] = world.outbox.recent()
    assert (row.status, row.attempts) == (OutboxStatus.pending, 1)
    assert world.outbox.deliver_due() == 0  # not due yet: back-off
    world.clock.advance(5)
    assert world.outbox.deliver_due() == 0  # second failure
    world.clock.advance(30)
    assert world.outbox.deliver_due() == 1
    [row] = world.outbox.recent()
    assert (row.status, row.attempts) == (OutboxStatus.sent, 3)
    assert len(world.wx.sent_texts(OPENID)) == 1


def test_wechat_refusing_outside_its_window_falls_back_to_sms_to_the_phone(world: World) -> None:
    world.messages.record(request_id="t", channel="wechat", sender=f"wechat:{OPENID}", text="hi")
    # our record says the window is open, WeChat says 45015 (e.g. the tourist unfollowed)
    number = world.complaint()
    world.assign(number)
    assert world.outbox.deliver_due() == 0
    assert world.outbox.deliver_due() == 0  # no template message configured
    assert world.outbox.deliver_due() == 1  # the SMS fallback
    [text] = [m["body"] for m in world.tw.messages]
    assert number in text
    assert world.tw.messages[0]["to"] == "+86" + PHONE
    statuses = sorted((r.channel, r.status) for r in world.outbox.recent())
    assert statuses == [
        ("sms", OutboxStatus.sent),
        ("wechat", OutboxStatus.failed),
        ("wechat_template", OutboxStatus.failed),
    ]


def test_outside_the_window_a_template_message_is_sent(world: World) -> None:
    world.outbox.providers["wechat_template"] = wechat.WeChatTemplateProvider(
        world.wechat_client, "tpl_status"
    )
    world.wx.templates.add("tpl_status")
    number = world.complaint()  # the tourist wrote long ago: no customer-service window
    world.assign(number)
    assert world.outbox.deliver_due() == 0  # customer-service message refused by our count
    assert world.outbox.deliver_due() == 1
    [sent] = world.wx.sent_templates(OPENID)
    assert sent["template_id"] == "tpl_status" and number in sent["data"]["first"]["value"]
    assert world.tw.messages == []


def test_a_spent_quota_holds_a_reply_until_the_tourist_writes_again(world: World) -> None:
    world.tourist_writes()
    for i in range(6):
        world.outbox.enqueue(channel="wechat", recipient=OPENID, text=f"答复{i}", kind="reply")
    assert world.outbox.deliver_due() == 5  # WeChat's 5 per window, counted by us
    assert [r.status for r in world.outbox.recent()][0] == OutboxStatus.held
    assert world.wx.calls and len(world.wx.sent_texts(OPENID)) == 5
    world.tourist_writes()
    assert world.outbox.release_held("wechat", OPENID) == 1
    assert world.outbox.deliver_due() == 1
    assert world.wx.sent_texts(OPENID)[-1] == "答复5"


def test_sms_tourists_are_texted_and_opt_outs_are_honoured(world: World) -> None:
    number = world.complaint(sender="sms:+8613900139000")
    world.assign(number)
    assert world.outbox.deliver_due() == 1
    [message] = world.tw.messages
    assert message["to"] == "+8613900139000" and number in message["body"]
    assert len(message["body"]) <= sms.MAX_REPLY_CHARS
    world.optouts.set("+8613900139000", opted_out=True)
    world.workflow.apply(number, Change(Status.in_progress, actor="dept"))
    assert world.outbox.deliver_due() == 0
    assert len(world.tw.messages) == 1
    failed = [r for r in world.outbox.recent() if r.status == OutboxStatus.failed]
    assert failed and "退订" in (failed[0].last_error or "")


def test_web_and_phone_tourists_are_texted_on_the_phone_they_gave(world: World) -> None:
    world.assign(world.complaint(sender="voice:call-1"))
    assert world.outbox.deliver_due() == 1
    assert world.tw.messages[0]["to"] == "+86" + PHONE


def test_twilio_delivery_reports_are_recorded(world: World) -> None:
    world.assign(world.complaint(sender="web:u1"))
    world.outbox.deliver_due()
    [row] = world.outbox.recent()
    assert row.provider_id and row.provider_id.startswith("SM")
    assert world.outbox.record_status(row.provider_id, "undelivered", "30003")
    [row] = world.outbox.recent()
    assert (row.provider_status, row.last_error) == ("undelivered", "30003")
    assert not world.outbox.record_status("SM" + "0" * 32, "delivered")


def test_a_permanent_error_without_fallback_fails_visibly(world: World) -> None:
    world.outbox.enqueue(channel="sms", recipient="13800138000", text="x", kind="reply")
    assert world.outbox.deliver_due() == 0  # 21211: not an E.164 number
    [row] = world.outbox.recent()
    assert row.status == OutboxStatus.failed and "21211" in (row.last_error or "")


def test_a_message_is_claimed_by_one_worker_only(world: World) -> None:
    world.tourist_writes()
    world.outbox.enqueue(channel="wechat", recipient=OPENID, text="一次", kind="reply", source="s1")
    world.outbox.enqueue(channel="wechat", recipient=OPENID, text="两次", kind="reply", source="s1")
    [row] = world.outbox.recent()  # the same source is queued once
    assert world.outbox._claim(row, world.clock())
    assert not world.outbox._claim(row, world.clock())


def test_an_unconfigured_channel_fails_with_a_reason(db: Database) -> None:
    outbox = Outbox(db)
    outbox.enqueue(channel="sms", recipient="+8613800138000", text="x", kind="notification")
    assert outbox.deliver_due() == 0
    [row] = outbox.recent()
    assert row.status == OutboxStatus.failed and "未配置" in (row.last_error or "")


def test_an_extension_is_told_and_supervision_is_not(world: World) -> None:
    world.tourist_writes()
    number = world.complaint()
    world.assign(number)
    world.workflow.extend(number, days=3, reason="需调取监控", actor="市场监管局")
    world.workflow.supervise(number, note="请加快", actor="admin", overdue=lambda c: True)
    assert world.outbox.deliver_due() == 2
    assigned, extended = world.wx.sent_texts(OPENID)
    assert "延长" in extended and "3 个工作日" in extended and "需调取监控" in extended
