"""rasa-sdk builds actions without arguments, so they find the app's services here."""

from typing import Any

from bot.services import Services

_services: Services | None = None


def configure(services: Services | None) -> None:
    global _services
    _services = services


def services() -> Services:
    if _services is None:
        raise RuntimeError("actions used before the app configured its services")
    return _services


def channel_of(latest_message: dict[str, Any]) -> str:
    return str((latest_message.get("metadata") or {}).get("channel", "web"))
