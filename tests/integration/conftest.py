"""Start the real engine and the real app (``hotline serve``) once for the integration tests,
with every channel configured and WeChat's and Twilio's APIs served by local stand-ins."""

from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest
import redis

from bot.engine_process import train
from bot.launcher import NotReady, ServedBot
from bot.settings import Settings
from tests.standins import TwilioApiStandIn, WeChatApiStandIn

ADMIN_TOKEN = "integration-admin"
WECHAT = {"token": "integration-wx", "appid": "wx00000000integration", "secret": "wx-secret"}
TWILIO = {"sid": "AC" + "3" * 32, "token": "integration-twilio", "from": "+15005550006"}
VOICE_SECRET = "integration-voice"


def redis_available() -> bool:
    client = redis.Redis(host="127.0.0.1", port=6379, socket_connect_timeout=1)
    try:
        return bool(client.ping())
    except redis.RedisError:
        return False
    finally:
        client.close()


@dataclass
class RunningBot:
    served: ServedBot
    http: httpx.Client
    wechat: WeChatApiStandIn
    twilio: TwilioApiStandIn

    @property
    def app_url(self) -> str:
        return self.served.url

    @property
    def engine_url(self) -> str:
        return self.served.engine_url

    def say(self, sender: str, text: str) -> list[dict[str, object]]:
        response = self.http.post("/channels/web", json={"sender": sender, "text": text})
        response.raise_for_status()
        return list(response.json()["messages"])


def channel_env(served: ServedBot, wx: WeChatApiStandIn, tw: TwilioApiStandIn) -> dict[str, str]:
    return {
        "HOTLINE_ADMIN_TOKEN": ADMIN_TOKEN,
        "HOTLINE_ENGINE_TOKEN": "integration-token",
        "HOTLINE_WECHAT_TOKEN": WECHAT["token"],
        "HOTLINE_WECHAT_APPID": WECHAT["appid"],
        "HOTLINE_WECHAT_SECRET": WECHAT["secret"],
        "HOTLINE_WECHAT_API_URL": wx.url + "/cgi-bin/",
        "HOTLINE_TWILIO_ACCOUNT_SID": TWILIO["sid"],
        "HOTLINE_TWILIO_AUTH_TOKEN": TWILIO["token"],
        "HOTLINE_TWILIO_FROM_NUMBER": TWILIO["from"],
        "HOTLINE_TWILIO_API_URL": tw.url,
        "HOTLINE_PUBLIC_URL": served.url,  # Twilio signs and calls back the app itself
        "HOTLINE_VOICE_SECRET": VOICE_SECRET,
        "HOTLINE_OUTBOX_INTERVAL": "0.2",
    }


@pytest.fixture(scope="session")
def running_bot(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningBot]:
    train(Settings())  # a no-op when `make test` already trained this data
    with (
        WeChatApiStandIn(WECHAT["appid"], WECHAT["secret"]) as wx,
        TwilioApiStandIn(TWILIO["sid"], TWILIO["token"]) as tw,
    ):
        served = ServedBot(tmp_path_factory.mktemp("var"))
        served.env.update(channel_env(served, wx, tw))
        try:
            served.start()
        except NotReady as exc:
            pytest.fail(str(exc))
        http = httpx.Client(
            base_url=served.url, timeout=60, headers={"authorization": f"Bearer {ADMIN_TOKEN}"}
        )
        yield RunningBot(served, http, wx, tw)
        http.close()
        served.stop()
