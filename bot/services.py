"""The services one app process holds; built once by create_app, shared with the actions."""

from dataclasses import dataclass

from bot.complaints.queue import ComplaintQueue
from bot.complaints.service import ComplaintService
from bot.complaints.workflow import Workflow
from bot.db import Database
from bot.messages import MessageLog
from bot.settings import Settings
from knowledge_base.embedding import load_embedder
from knowledge_base.live import IndexWatcher
from knowledge_base.search import KnowledgeBase
from knowledge_base.store import FaqStore
from knowledge_base.unanswered import UnansweredLog


@dataclass
class Services:
    settings: Settings
    db: Database
    faqs: FaqStore
    kb: KnowledgeBase
    complaints: ComplaintService
    messages: MessageLog
    watcher: IndexWatcher
    unanswered: UnansweredLog
    workflow: Workflow
    queue: ComplaintQueue

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
        return cls(
            settings=settings,
            db=db,
            faqs=faqs,
            kb=kb,
            complaints=ComplaintService(db),
            messages=MessageLog(db),
            watcher=watcher,
            unanswered=UnansweredLog(db),
            workflow=Workflow(db),
            queue=ComplaintQueue(db, settings.complaint_deadlines, settings.holidays),
        )

    def close(self) -> None:
        self.watcher.stop()
        self.kb.save()
        self.db.dispose()
