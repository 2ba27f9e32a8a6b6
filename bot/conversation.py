"""One turn: store the message, ask the engine, fall back to the knowledge base when it can't.

Redeliveries of one message (same de-dup key) share the first delivery's turn: in this process
by awaiting the same task, in another process by waiting for the stored outcome.
"""

import asyncio
import logging
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace

from anyio import to_thread

from bot.engine import EngineClient
from bot.exceptions import EngineUnavailable
from bot.logs import new_request_id, request_id_var
from bot.messages import Delivery, InboundMessage, MessageLog, Outcome, Recorded
from bot.metrics import Metrics
from bot.outbox import Outbox
from bot.safety import (
    COMPLAINT_DEFERRED_MESSAGE,
    EMERGENCY_MESSAGE,
    ENGINE_DOWN_MESSAGE,
    sounds_like_complaint,
    sounds_like_emergency,
)
from channels.base import SHORT_CHANNELS, Inbound, Reply
from knowledge_base.questions import QuestionLog
from knowledge_base.search import KnowledgeBase
from knowledge_base.text import to_half_width, to_simplified

log = logging.getLogger(__name__)
# "2", "2.", "第二个", "二" — what a tourist types or says to pick a numbered suggestion
CHOICE = re.compile(r"^\s*第?([1-9一二三四五六七八九])个?\s*[.。、]?\s*$")
CHINESE_DIGITS = "一二三四五六七八九"
DUPLICATE_WAIT_SECONDS = 15.0


@dataclass(frozen=True)
class Turn:
    message_id: int
    replies: list[Reply]
    duplicate: bool = False
    pushed: bool = False  # the replies go out through the outbox, not in this response


class ConversationService:
    def __init__(
        self,
        *,
        engine: EngineClient,
        messages: MessageLog,
        kb: KnowledgeBase,
        questions: QuestionLog,
        outbox: Outbox,
    ) -> None:
        self._engine = engine
        self._messages = messages
        self._kb = kb
        self._questions = questions
        self._outbox = outbox
        self.metrics = Metrics()
        self._in_flight: dict[str, asyncio.Task[Turn]] = {}
        self._message_ids: dict[str, int] = {}  # de-dup key → stored message, while in flight
        self._pushed: set[str] = set()  # de-dup keys whose replies go out through the outbox
        self._tasks: set[asyncio.Future[object]] = set()  # fire-and-forget work, kept alive

    async def handle(self, inbound: Inbound) -> list[Reply]:
        return (await self.start(inbound)).replies

    def start(self, inbound: Inbound) -> "asyncio.Task[Turn]":
        """The turn of this message as a task; a redelivery gets the task already running."""
        key = inbound.dedup_key
        if key is not None and key in self._in_flight:
            return self._in_flight[key]
        task = asyncio.ensure_future(self._turn(inbound))
        if key is not None:
            self._in_flight[key] = task
            task.add_done_callback(lambda _: self._forget(key))
        return task

    async def reply_within(
        self, inbound: Inbound, seconds: float, render: Callable[[list[Reply]], str]
    ) -> Turn:
        """The turn if it is ready within ``seconds``; otherwise a turn marked ``pushed`` whose
        replies, rendered by ``render``, are sent through the outbox once they are ready.
        Redeliveries of a pushed message are answered with nothing, never a second reply."""
        key = inbound.dedup_key
        if key is not None and key in self._pushed:
            return Turn(self._message_ids.get(key, 0), [], duplicate=True, pushed=True)
        task = self.start(inbound)
        try:
            return await asyncio.wait_for(asyncio.shield(task), max(seconds, 0.0))
        except TimeoutError:
            pass
        if key is not None:
            self._pushed.add(key)
            if key in self._message_ids:  # for redeliveries that reach another process
                self._background(to_thread.run_sync(self._messages.defer, self._message_ids[key]))
        task.add_done_callback(lambda done: self._push_when_done(done, inbound, render))
        log.info(
            "turn on %s not ready in %.1f s: its replies will be pushed", inbound.channel, seconds
        )
        return Turn(self._message_ids.get(key or "", 0), [], pushed=True)

    def _push_when_done(
        self, task: "asyncio.Task[Turn]", inbound: Inbound, render: Callable[[list[Reply]], str]
    ) -> None:
        key = inbound.dedup_key or ""
        if task.cancelled() or task.exception() is not None:
            self._pushed.discard(key)
            return  # stored as failed; `hotline replay` answers it
        turn = task.result()
        text = render(turn.replies)
        if turn.duplicate or not text:
            self._pushed.discard(key)
            return

        def push() -> None:
            self._messages.defer(turn.message_id)
            self._outbox.enqueue(
                channel=inbound.channel,
                recipient=inbound.sender,
                text=text,
                kind="reply",
                source=f"reply:{turn.message_id}",
            )
            self._pushed.discard(key)  # from now on the stored delivery says "push"

        self._background(to_thread.run_sync(push))

    async def acknowledge(self, inbound: Inbound, replies: list[Reply]) -> Turn:
        """Store a message the channel answers itself (events, images, unheard voice)."""
        recorded = await self._record(inbound)
        if recorded.duplicate:
            return await self._earlier_turn(recorded.id)
        await to_thread.run_sync(
            lambda: self._messages.finish(
                recorded.id, outcome=Outcome.answered, replies=[r.as_dict() for r in replies]
            )
        )
        return Turn(recorded.id, replies)

    async def _record(self, inbound: Inbound) -> Recorded:
        """Commit the message before anything answers it, under this turn's request id."""
        request_id = request_id_var.get()
        if request_id == "-":
            request_id = new_request_id()
            request_id_var.set(request_id)
        return await to_thread.run_sync(
            lambda: self._messages.record(
                request_id=request_id,
                channel=inbound.channel,
                sender=inbound.conversation_id,
                text=inbound.text,
                meta=inbound.meta,
                dedup_key=inbound.dedup_key,
            )
        )

    def _background(self, work: Awaitable[object]) -> None:
        task = asyncio.ensure_future(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _forget(self, key: str) -> None:
        self._in_flight.pop(key, None)
        self._message_ids.pop(key, None)

    async def _turn(self, inbound: Inbound) -> Turn:
        started = time.perf_counter()
        recorded = await self._record(inbound)
        request_id = request_id_var.get()
        if recorded.duplicate:
            return await self._earlier_turn(recorded.id)
        if inbound.dedup_key is not None:
            self._message_ids[inbound.dedup_key] = recorded.id
        await to_thread.run_sync(self._outbox.release_held, inbound.channel, inbound.sender)
        inbound = await to_thread.run_sync(self._resolve_choice, inbound, recorded.id)
        try:
            replies, outcome, error = await self._answer(inbound, request_id)
        except Exception as exc:
            failure = repr(exc)
            await to_thread.run_sync(
                lambda: self._messages.finish(
                    recorded.id, outcome=Outcome.failed, replies=[], error=failure
                )
            )
            raise
        await to_thread.run_sync(
            lambda: self._messages.finish(
                recorded.id, outcome=outcome, replies=[r.as_dict() for r in replies], error=error
            )
        )
        log.info(
            "turn %s on %s: %d replies (%s)", recorded.id, inbound.channel, len(replies), outcome
        )
        self.metrics.turn(inbound.channel, outcome.value, time.perf_counter() - started)
        return Turn(recorded.id, replies)

    async def _answer(
        self, inbound: Inbound, request_id: str
    ) -> tuple[list[Reply], Outcome, str | None]:
        metadata = {"channel": inbound.channel, "request_id": request_id, **inbound.meta}
        # The NLU reads simplified characters and half-width digits (a phone typed １３６…); the
        # tourist's own text travels in the metadata.
        text = to_half_width(to_simplified(inbound.text))
        if text != inbound.text:
            metadata["original_text"] = inbound.text
        try:
            raw = await self._engine.send(inbound.conversation_id, text, metadata)
            return Reply.from_engine_messages(raw), Outcome.answered, None
        except EngineUnavailable as exc:
            log.warning("engine unavailable, answering from the knowledge base: %s", exc)
            replies = await to_thread.run_sync(self._without_engine, inbound)
            return replies, Outcome.degraded, str(exc)

    async def _earlier_turn(self, message_id: int) -> Turn:
        """A redelivery stored after its first delivery: wait for that delivery's outcome."""
        first = await to_thread.run_sync(
            self._messages.wait_processed, message_id, DUPLICATE_WAIT_SECONDS
        )
        if first is None:
            log.warning("redelivery of message %s: the first delivery is still running", message_id)
            return Turn(message_id, [], duplicate=True, pushed=True)
        replies = [Reply.from_engine(r) for r in first.replies or []]
        return Turn(message_id, replies, duplicate=True, pushed=first.delivery == Delivery.push)

    def _resolve_choice(self, inbound: Inbound, message_id: int) -> Inbound:
        """'2' after a numbered list of suggestions (SMS, WeChat, voice) means the second one."""
        match = CHOICE.match(inbound.text)
        if not match:
            return inbound
        earlier = [
            m for m in self._messages.recent(inbound.conversation_id, limit=2) if m.id != message_id
        ]
        buttons = _last_buttons(earlier[0]) if earlier else []
        digit = match.group(1)
        index = int(digit) - 1 if digit.isascii() else CHINESE_DIGITS.index(digit)
        if index >= len(buttons):
            return inbound
        return replace(inbound, text=buttons[index]["payload"])

    def _without_engine(self, inbound: Inbound) -> list[Reply]:
        if sounds_like_emergency(inbound.text):
            return [Reply(text=EMERGENCY_MESSAGE, custom={"handoff": True, "alert": "emergency"})]
        if sounds_like_complaint(inbound.text):
            return [Reply(text=COMPLAINT_DEFERRED_MESSAGE, custom={"degraded": True})]
        result = self._kb.search(inbound.text, k=3)
        self._questions.record(result, inbound.channel)
        if result.decision == "answer":
            best = result.hits[0]
            short = inbound.channel in SHORT_CHANNELS and best.short_answer
            return [
                Reply(
                    text=short or best.answer,
                    custom={"faq_id": best.id, "degraded": True},
                )
            ]
        return [Reply(text=ENGINE_DOWN_MESSAGE, custom={"degraded": True})]

    async def replay(
        self, message: InboundMessage, render: Callable[[list[Reply]], str] | None = None
    ) -> list[Reply]:
        """Send a stored message the engine never answered through the engine now; with
        ``render``, the replies are also pushed to the tourist through the outbox."""
        raw = await self._engine.send(
            message.sender,
            message.text,
            {"channel": message.channel, "request_id": message.request_id, "replayed": True},
        )
        replies = Reply.from_engine_messages(raw)
        text = render(replies) if render is not None else ""

        def store() -> None:
            self._messages.finish(
                message.id, outcome=Outcome.replayed, replies=[r.as_dict() for r in replies]
            )
            if text:
                self._outbox.enqueue(
                    channel=message.channel,
                    recipient=message.sender.partition(":")[2],
                    text=text,
                    kind="reply",
                    source=f"replay:{message.id}",
                )

        await to_thread.run_sync(store)
        return replies


def _last_buttons(message: InboundMessage) -> list[dict[str, str]]:
    buttons = [b for reply in message.replies or [] for b in reply.get("buttons") or []]
    return [b for b in buttons if b.get("payload")]
