"""One turn: store the message, ask the engine, fall back to the knowledge base when it can't."""

import logging

from anyio import to_thread

from bot.engine import EngineClient
from bot.exceptions import EngineUnavailable
from bot.logs import new_request_id, request_id_var
from bot.messages import MessageLog, Outcome
from bot.safety import EMERGENCY_MESSAGE, ENGINE_DOWN_MESSAGE, sounds_like_emergency
from channels.base import Inbound, Reply
from knowledge_base.search import KnowledgeBase
from knowledge_base.unanswered import UnansweredLog

log = logging.getLogger(__name__)


class ConversationService:
    def __init__(
        self,
        *,
        engine: EngineClient,
        messages: MessageLog,
        kb: KnowledgeBase,
        unanswered: UnansweredLog,
    ) -> None:
        self._engine = engine
        self._messages = messages
        self._kb = kb
        self._unanswered = unanswered

    async def handle(self, inbound: Inbound) -> list[Reply]:
        request_id = request_id_var.get()
        if request_id == "-":
            request_id = new_request_id()
            request_id_var.set(request_id)
        message_id = await to_thread.run_sync(
            lambda: self._messages.record(
                request_id=request_id,
                channel=inbound.channel,
                sender=inbound.conversation_id,
                text=inbound.text,
                meta=inbound.meta,
            )
        )
        metadata = {"channel": inbound.channel, "request_id": request_id, **inbound.meta}
        try:
            raw = await self._engine.send(inbound.conversation_id, inbound.text, metadata)
            replies, outcome, error = Reply.from_engine_messages(raw), Outcome.answered, None
        except EngineUnavailable as exc:
            log.warning("engine unavailable, answering from the knowledge base: %s", exc)
            replies = await to_thread.run_sync(self._without_engine, inbound)
            outcome, error = Outcome.degraded, str(exc)
        await to_thread.run_sync(
            lambda: self._messages.finish(
                message_id, outcome=outcome, replies=[r.as_dict() for r in replies], error=error
            )
        )
        log.info(
            "turn %s on %s: %d replies (%s)", message_id, inbound.channel, len(replies), outcome
        )
        return replies

    def _without_engine(self, inbound: Inbound) -> list[Reply]:
        if sounds_like_emergency(inbound.text):
            return [Reply(text=EMERGENCY_MESSAGE, custom={"handoff": True, "alert": "emergency"})]
        result = self._kb.search(inbound.text, k=3)
        self._unanswered.record(result, inbound.channel)
        if result.decision == "answer":
            return [
                Reply(
                    text=result.hits[0].answer,
                    custom={"faq_id": result.hits[0].id, "degraded": True},
                )
            ]
        return [Reply(text=ENGINE_DOWN_MESSAGE, custom={"degraded": True})]
