"""HTTP client of the Rasa engine (REST channel and HTTP API)."""

from typing import Any

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

    async def status(self) -> dict[str, Any]:
        result = await self._request("GET", "/status")
        return result if isinstance(result, dict) else {}

    async def _request(self, method: str, path: str, **kwargs: Any) -> Any:
        try:
            response = await self._client.request(method, path, params=self._params, **kwargs)
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
