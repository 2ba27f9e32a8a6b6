"""Agent assist: while a 12301/12345 call runs, every final caller utterance becomes a
suggestion for the agent — the line, the intent and entities, the top three FAQ answers with
their scores, a complaint work order filled in over the call, and alerts (emergency, rising
anger, a question asked again). Agents follow a call over ``WS /agent-assist/{call_id}``."""

import asyncio
import logging
import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from anyio import to_thread

from bot.complaints import categories
from bot.complaints.intake import ROLES, classify_category, find_phone, find_target, find_time
from bot.engine import EngineClient
from bot.exceptions import EngineUnavailable
from bot.safety import sounds_like_emergency
from knowledge_base.search import KnowledgeBase

log = logging.getLogger(__name__)
ANGER_WORDS = (
    "投诉", "骗子", "骗人", "太过分", "气死", "生气", "曝光", "报警", "欺负", "忍无可忍",
    "什么态度", "凭什么", "垃圾", "坑人", "黑心", "不给个说法", "必须", "马上",
)  # fmt: skip
MAX_LINES = 500


@dataclass
class CallState:
    call_id: str
    caller: str
    lines: list[dict[str, Any]] = field(default_factory=list)
    prefill: dict[str, str] = field(default_factory=dict)
    anger: list[int] = field(default_factory=list)
    asked: list[str] = field(default_factory=list)  # the top FAQ of each caller utterance


def _names_role(target: str | None) -> bool:
    return target is not None and any(role in target for role in ROLES)


def anger_of(text: str) -> int:
    return sum(text.count(word) for word in ANGER_WORDS) + text.count("！") + text.count("!")


class AssistHub:
    """Per-call state and the agents' queues, in this process."""

    def __init__(self, engine: EngineClient, kb: KnowledgeBase) -> None:
        self._engine = engine
        self._kb = kb
        self._calls: dict[str, CallState] = {}
        self._followers: dict[str, set[asyncio.Queue[dict[str, Any]]]] = defaultdict(set)

    def start(self, call_id: str, caller: str) -> None:
        self._calls.setdefault(call_id, CallState(call_id, caller, prefill={"phone": caller}))

    def end(self, call_id: str) -> None:
        self._publish(call_id, {"type": "call.ended", "call_id": call_id})
        self._calls.pop(call_id, None)

    def snapshot(self, call_id: str) -> dict[str, Any]:
        state = self._calls.get(call_id)
        return {
            "type": "snapshot",
            "call_id": call_id,
            "active": state is not None,
            "lines": state.lines if state else [],
            "prefill": state.prefill if state else {},
        }

    def follow(self, call_id: str) -> "asyncio.Queue[dict[str, Any]]":
        queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue(maxsize=100)
        self._followers[call_id].add(queue)
        return queue

    def unfollow(self, call_id: str, queue: "asyncio.Queue[dict[str, Any]]") -> None:
        self._followers[call_id].discard(queue)
        if not self._followers[call_id]:
            del self._followers[call_id]

    async def utterance(
        self, call_id: str, speaker: str, text: str, start_ms: int, received: float
    ) -> dict[str, Any] | None:
        """Record a final utterance; for the caller's, compute and push the suggestion.
        ``received`` is the ``time.perf_counter()`` when the event arrived."""
        state = self._calls.get(call_id)
        if state is None:
            return None
        line = {"speaker": speaker, "text": text, "start_ms": start_ms}
        state.lines = [*state.lines, line][-MAX_LINES:]
        if speaker != "caller":
            message = {"type": "transcript", "call_id": call_id, "line": line}
            self._publish(call_id, message)
            return message
        parsed, result = await asyncio.gather(
            self._parse(text), to_thread.run_sync(lambda: self._kb.search(text, k=3))
        )
        entities = [
            {"entity": e.get("entity"), "value": e.get("value")}
            for e in parsed.get("entities") or []
        ]
        intent = (parsed.get("intent") or {}).get("name")
        self._fill(state, text, entities)
        alerts = self._alerts(state, text, intent, result.hits[0].id if result.hits else None)
        suggestion = {
            "type": "suggestion",
            "call_id": call_id,
            "line": line,
            "intent": intent,
            "confidence": (parsed.get("intent") or {}).get("confidence"),
            "entities": entities,
            "decision": result.decision,
            "answers": [
                {"id": h.id, "question": h.question, "answer": h.answer, "score": round(h.score, 3)}
                for h in result.hits[:3]
            ],
            "prefill": dict(state.prefill),
            "alerts": alerts,
            "latency_ms": round((time.perf_counter() - received) * 1000, 1),
        }
        self._publish(call_id, suggestion)
        return suggestion

    async def _parse(self, text: str) -> dict[str, Any]:
        try:
            return await self._engine.parse(text)
        except EngineUnavailable as exc:
            log.warning("agent assist without intent: %s", exc)
            return {}

    @staticmethod
    def _fill(state: CallState, text: str, entities: list[dict[str, Any]]) -> None:
        """Accumulate the work order over the call: later, more specific words win."""
        found = {e["entity"]: str(e["value"]) for e in entities if e.get("value")}
        prefill = state.prefill
        said = [line["text"] for line in state.lines if line["speaker"] == "caller"]
        story = "；".join(said)
        businesses = [found["business"]] if "business" in found else []
        target = find_target(text, businesses)
        if target and _names_role(prefill.get("target")) and not _names_role(target):
            target = None  # "云游国际旅行社（导游）" is not replaced by a later "玉器"
        for name, value in (
            ("target", target),
            ("place", found.get("place")),
            ("incident_time", find_time(text) or found.get("time")),
            # Once a grievance is told, its category as the whole call reads so far.
            ("category", categories.classify(story) if classify_category(story) else None),
            ("phone", find_phone(text)),
        ):
            if value:
                prefill[name] = value
        prefill["description"] = story[-2000:]

    @staticmethod
    def _alerts(state: CallState, text: str, intent: str | None, top: str | None) -> list[str]:
        alerts = []
        if intent == "emergency" or sounds_like_emergency(text):
            alerts.append("emergency")
        state.anger.append(anger_of(text))
        if len(state.anger) >= 2 and state.anger[-1] >= 2 and state.anger[-1] > state.anger[-2]:
            alerts.append("anger_rising")
        if top is not None and top in state.asked[-5:]:
            alerts.append("repeated_question")
        if top is not None:
            state.asked.append(top)
        return alerts

    def _publish(self, call_id: str, message: dict[str, Any]) -> None:
        for queue in list(self._followers.get(call_id, ())):
            try:
                queue.put_nowait(message)
            except asyncio.QueueFull:  # a stalled console loses old suggestions, not the call
                log.warning("agent console on %s is not keeping up", call_id)
