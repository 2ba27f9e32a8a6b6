"""The normalized message every channel parses to, and the reply every channel renders."""

from dataclasses import dataclass, field
from typing import Any

SHORT_CHANNELS = frozenset({"sms", "voice"})  # where an FAQ's short answer is used


@dataclass(frozen=True)
class Inbound:
    channel: str
    sender: str  # the sender's id on its channel
    text: str
    meta: dict[str, Any] = field(default_factory=dict)
    dedup_key: str | None = None  # the same for every redelivery of one message

    @property
    def conversation_id(self) -> str:
        """Sender ids are namespaced per channel so that two channels never share a tracker."""
        return f"{self.channel}:{self.sender}"


@dataclass(frozen=True)
class Reply:
    text: str
    buttons: list[dict[str, str]] = field(default_factory=list)
    custom: dict[str, Any] | None = None

    @classmethod
    def from_engine(cls, message: dict[str, Any]) -> "Reply":
        return cls(
            text=str(message.get("text") or ""),
            buttons=[
                {"title": str(b.get("title", "")), "payload": str(b.get("payload", ""))}
                for b in message.get("buttons") or []
            ],
            custom=message.get("custom"),
        )

    @classmethod
    def from_engine_messages(cls, messages: list[dict[str, Any]]) -> list["Reply"]:
        """Rasa sends an action's ``json_message`` as a message of its own after the text;
        fold it back into the reply it belongs to."""
        replies: list[Reply] = []
        for message in messages:
            if replies and not message.get("text") and message.get("custom") is not None:
                previous = replies[-1]
                custom = {**(previous.custom or {}), **message["custom"]}
                replies[-1] = cls(text=previous.text, buttons=previous.buttons, custom=custom)
            else:
                replies.append(cls.from_engine(message))
        return replies

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"text": self.text}
        if self.buttons:
            data["buttons"] = self.buttons
        if self.custom is not None:
            data["custom"] = self.custom
        return data
