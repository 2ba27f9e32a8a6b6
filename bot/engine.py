"""HTTP client of the Rasa engine (REST channel and HTTP API)."""

from typing import Any
from urllib.parse import quote

import httpx

from bot.exceptions import EngineUnavailable


class EngineClient:
    def __init__(
        self,
        base_url: str,
        *,
        token: str | None = None,
        timeout: float = 8.0,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self._params = {"token": token} if token else {}
        self._client = httpx.AsyncClient(base_url=base_url, timeout=timeout, transport=transport)

    async def send(self, sender: str, text: str, metadata: dict[str, Any]) -> list[dict[str, Any]]:
        """One user turn through the engine's REST channel; returns the bot's messages."""
        payload = {"sender": sender, "message": text, "metadata": metadata}
        replies = await self._request("POST", "/webhooks/rest/webhook", json=payload)
        if not isinstance(replies, list):
            raise EngineUnavailable(f"engine answered with {type(replies).__name__}, not a list")
        return replies

    async def parse(self, text: str) -> dict[str, Any]:
        result = await self._request("POST", "/model/parse", json={"text": text})
        if not isinstance(result, dict):
            raise EngineUnavailable("engine parse result is not an object")
        return result

    async def active_loop(self, sender: str) -> str | None:
        """The form the conversation is in (e.g. ``complaint_form``), None when there is none
        or the engine cannot say."""
        try:
            tracker = await self._request(
                "GET",
                f"/conversations/{quote(sender, safe=':@')}/tracker",  # Rasa does not unquote
                params={"include_events": "NONE"},
            )
        except EngineUnavailable:
            return None
        loop = tracker.get("active_loop") if isinstance(tracker, dict) else None
        return (loop or {}).get("name") or None

    async def status(self) -> dict[str, Any]:
        result = await self._request("GET", "/status")
        return result if isinstance(result, dict) else {}

    async def _request(
        self, method: str, path: str, params: dict[str, str] | None = None, **kwargs: Any
    ) -> Any:
        try:
            response = await self._client.request(
                method, path, params={**self._params, **(params or {})}, **kwargs
            )
            response.raise_for_status()
            return response.json()
        except httpx.TimeoutException as exc:
            raise EngineUnavailable(f"engine timed out on {path}") from exc
        except httpx.HTTPStatusError as exc:
            raise EngineUnavailable(
                f"engine answered {exc.response.status_code} on {path}"
            ) from exc
        except (httpx.HTTPError, ValueError) as exc:
            raise EngineUnavailable(f"engine unreachable on {path}: {exc}") from exc

    async def aclose(self) -> None:
        await self._client.aclose()
