"""The services one app process holds; built once by create_app, shared with the actions."""

from dataclasses import dataclass

from bot.complaints.service import ComplaintService
from bot.db import Database
from bot.messages import MessageLog
from bot.settings import Settings
from knowledge_base.search import KnowledgeBase
from knowledge_base.store import FaqStore


@dataclass
class Services:
    settings: Settings
    db: Database
    faqs: FaqStore
    kb: KnowledgeBase
    complaints: ComplaintService
    messages: MessageLog

    @classmethod
    def build(cls, settings: Settings) -> "Services":
        db = Database(settings.sqlalchemy_url)
        db.create_schema()
        faqs = FaqStore(db)
        kb = KnowledgeBase(faqs)
        kb.reload()
        return cls(
            settings=settings,
            db=db,
            faqs=faqs,
            kb=kb,
            complaints=ComplaintService(db),
            messages=MessageLog(db),
        )

    def close(self) -> None:
        self.db.dispose()
