"""The services one app process holds; built once by create_app, shared with the actions."""

import logging
from dataclasses import dataclass
from datetime import datetime

from bot.calls import Calls
from bot.complaints.notifications import ComplaintNotifier
from bot.complaints.queue import ComplaintQueue
from bot.complaints.service import ComplaintService
from bot.complaints.workflow import Workflow
from bot.db import Database
from bot.messages import MessageLog
from bot.optouts import OptOuts
from bot.outbox import Outbox, Provider
from bot.settings import Settings
from bot.users import Users
from channels import sms, wechat
from channels.voice import VoiceChannel
from knowledge_base.embedding import load_embedder
from knowledge_base.live import IndexWatcher
from knowledge_base.questions import QuestionLog
from knowledge_base.search import KnowledgeBase
from knowledge_base.store import FaqStore

log = logging.getLogger(__name__)


@dataclass
class Channels:
    """The channels whose secrets are configured; the others are disabled (None)."""

    wechat: wechat.WeChatChannel | None
    sms: sms.SmsChannel | None
    voice: VoiceChannel | None


@dataclass
class Services:
    settings: Settings
    db: Database
    faqs: FaqStore
    kb: KnowledgeBase
    complaints: ComplaintService
    messages: MessageLog
    watcher: IndexWatcher
    questions: QuestionLog
    workflow: Workflow
    queue: ComplaintQueue
    outbox: Outbox
    optouts: OptOuts
    calls: Calls
    channels: Channels
    users: Users

    @classmethod
    def build(cls, settings: Settings, *, index: bool = True) -> "Services":
        """``index=False`` skips embedding the FAQs, for commands that only write them."""
        db = Database(settings.sqlalchemy_url)
        db.create_schema()
        faqs = FaqStore(db)
        embedder = load_embedder(settings.embedding_model)
        slug = embedder.name.replace("/", "_").replace(":", "_")
        kb = KnowledgeBase(faqs, embedder, index_path=settings.data_dir / "index" / f"{slug}.faiss")
        if index:
            kb.load_saved()
            kb.sync()
        watcher = IndexWatcher(kb, settings.redis_url)
        faqs.listeners.append(watcher.publish)
        messages, optouts = MessageLog(db), OptOuts(db)
        outbox = Outbox(db)
        channels, providers = _channels(settings, messages, outbox, optouts)
        outbox.providers = {p.channel: p for p in providers}
        return cls(
            settings=settings,
            db=db,
            faqs=faqs,
            kb=kb,
            complaints=ComplaintService(db),
            messages=messages,
            watcher=watcher,
            questions=QuestionLog(db),
            workflow=Workflow(
                db, notify=ComplaintNotifier(outbox), departments=settings.departments
            ),
            queue=ComplaintQueue(db, settings.complaint_deadlines, settings.holidays),
            outbox=outbox,
            optouts=optouts,
            calls=Calls(db),
            channels=channels,
            users=Users(db, session_hours=settings.session_hours),
        )

    def close(self) -> None:
        self.watcher.stop()
        self.kb.save()
        self.db.dispose()


def _channels(
    settings: Settings, messages: MessageLog, outbox: Outbox, optouts: OptOuts
) -> tuple[Channels, list[Provider]]:
    providers: list[Provider] = []
    wechat_channel = None
    if settings.wechat_token and settings.wechat_appid:
        wechat_channel = wechat.WeChatChannel(
            token=settings.wechat_token,
            appid=settings.wechat_appid,
            aes_key=settings.wechat_aes_key,
        )
        if settings.wechat_secret:
            client = wechat.HotlineWeChatClient(
                settings.wechat_appid, settings.wechat_secret, settings.wechat_api_url
            )

            def last_message_at(openid: str) -> datetime | None:
                last = messages.last_from(f"{wechat.CHANNEL}:{openid}")
                return last.received_at if last else None

            window = wechat.CustomerServiceWindow(
                last_message_at, lambda openid, since: outbox.sent_since("wechat", openid, since)
            )
            providers.append(wechat.WeChatProvider(client, window))
            if settings.wechat_template_id:
                providers.append(wechat.WeChatTemplateProvider(client, settings.wechat_template_id))
    sms_channel = None
    if settings.twilio_account_sid and settings.twilio_auth_token and settings.public_url:
        sms_channel = sms.SmsChannel(
            auth_token=settings.twilio_auth_token, public_url=settings.public_url
        )
        if settings.twilio_from_number:
            client = sms.twilio_client(
                settings.twilio_account_sid, settings.twilio_auth_token, settings.twilio_api_url
            )
            providers.append(
                sms.SmsProvider(
                    client,
                    from_number=settings.twilio_from_number,
                    status_callback=sms_channel.url_of("/channels/sms/status"),
                    optouts=optouts,
                )
            )
    voice_channel = VoiceChannel(secret=settings.voice_secret) if settings.voice_secret else None
    channels = Channels(wechat=wechat_channel, sms=sms_channel, voice=voice_channel)
    for name, channel in vars(channels).items():
        if channel is None:
            log.info("channel %s is disabled: its secrets are not set", name)
    log.info("outbound providers: %s", ", ".join(p.channel for p in providers) or "none")
    return channels, providers
