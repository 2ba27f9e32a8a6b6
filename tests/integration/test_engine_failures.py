"""The real engine slow, then stopped mid-conversation: WeChat's 5-second rule holds (reply
``success``, deliver through the customer-service API), FAQs are still answered from the
knowledge base, nothing the tourist sent is lost, and ``hotline replay`` answers it later."""

import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import xmltodict

from bot.db import Database
from bot.engine_process import start_engine, train
from bot.launcher import NotReady, ServedBot, free_port
from bot.messages import MessageLog, Outcome
from bot.settings import PROJECT_DIR, Settings
from tests.clients import post_wechat, wechat_text
from tests.integration.conftest import WECHAT
from tests.integration.proxy import DelayProxy
from tests.standins import WeChatApiStandIn

ENGINE_TOKEN = "failures-token"


@dataclass
class Stack:
    app: ServedBot
    http: httpx.Client
    proxy: DelayProxy
    wechat: WeChatApiStandIn
    engine_settings: Settings
    engine: subprocess.Popen[bytes] | None = None

    def start_engine(self) -> None:
        self.engine = start_engine(self.engine_settings, train(self.engine_settings))
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            try:
                status = httpx.get(
                    f"{self.engine_settings.engine_url}/status", params={"token": ENGINE_TOKEN}
                )
                if status.status_code == 200 and status.json().get("model_file"):
                    return
            except httpx.HTTPError:
                pass
            time.sleep(1)
        pytest.fail("the engine did not start")

    def stop_engine(self) -> None:
        if self.engine is not None:
            self.engine.terminate()
            self.engine.wait(timeout=60)
            self.engine = None

    def messages(self) -> MessageLog:
        return MessageLog(Database(f"sqlite:///{self.app.data_dir / 'hotline.db'}"))

    def user_turns(self, conversation_id: str) -> list[str]:
        tracker = httpx.get(
            f"{self.engine_settings.engine_url}/conversations/{conversation_id}/tracker",
            params={"token": ENGINE_TOKEN},
            timeout=30,
        ).json()
        return [e["text"] for e in tracker["events"] if e["event"] == "user"]


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    data_dir: Path = tmp_path_factory.mktemp("failures")
    engine_port = free_port()
    with (
        DelayProxy(engine_port) as proxy,
        WeChatApiStandIn(WECHAT["appid"], WECHAT["secret"]) as wx,
    ):
        app = ServedBot(
            data_dir,
            {
                "HOTLINE_ENGINE_URL": proxy.url,
                "HOTLINE_ENGINE_TOKEN": ENGINE_TOKEN,
                "HOTLINE_WECHAT_TOKEN": WECHAT["token"],
                "HOTLINE_WECHAT_APPID": WECHAT["appid"],
                "HOTLINE_WECHAT_SECRET": WECHAT["secret"],
                "HOTLINE_WECHAT_API_URL": wx.url + "/cgi-bin/",
                "HOTLINE_OUTBOX_INTERVAL": "0.2",
            },
            engine=False,
        )
        engine_settings = Settings(
            data_dir=data_dir,
            engine_url=f"http://127.0.0.1:{engine_port}",
            engine_token=ENGINE_TOKEN,
            port=app.port,  # the engine calls this app's action endpoint
        )
        stack = Stack(app, httpx.Client(base_url=app.url, timeout=60), proxy, wx, engine_settings)
        stack.start_engine()
        try:
            app.start()
        except NotReady as exc:
            stack.stop_engine()
            pytest.fail(str(exc))
        yield stack
        stack.http.close()
        app.stop()
        stack.stop_engine()


def test_slow_engine_wechat_answers_success_then_pushes_the_reply(stack: Stack) -> None:
    openid = "oSlow"
    stack.wechat.user_messaged(openid)
    body, _ = wechat_text(openid, "青峰山门票多少钱")
    stack.proxy.delay = 5.0  # over WeChat's 4-s budget, under the app's 8-s engine timeout
    try:
        started = time.monotonic()
        first = post_wechat(stack.http, WECHAT["token"], body)
        waited = time.monotonic() - started
        retry = post_wechat(stack.http, WECHAT["token"], body)  # WeChat retries after 5 s
        assert (first.text, retry.text) == ("success", "success")
        assert waited < 4.8  # inside WeChat's 5 seconds
        deadline = time.monotonic() + 30
        while not stack.wechat.sent_texts(openid) and time.monotonic() < deadline:
            time.sleep(0.2)
    finally:
        stack.proxy.delay = 0.0
    [pushed] = stack.wechat.sent_texts(openid)
    assert "120元" in pushed
    deadline = time.monotonic() + 30  # under load the engine may store the turn after the push
    while not stack.user_turns(f"wechat:{openid}") and time.monotonic() < deadline:
        time.sleep(0.2)
    assert stack.user_turns(f"wechat:{openid}") == ["青峰山门票多少钱"]
    time.sleep(1)
    assert len(stack.wechat.sent_texts(openid)) == 1


def test_engine_stopped_mid_conversation(stack: Stack) -> None:
    sender = "midway"

    def say(text: str) -> list[dict]:
        response = stack.http.post("/channels/web", json={"sender": sender, "text": text})
        assert response.status_code == 200
        return list(response.json()["messages"])

    [hello] = say("你好")
    assert "degraded" not in (hello.get("custom") or {})

    stack.stop_engine()
    [faq] = say("青峰山门票多少钱")
    assert "120元" in faq["text"] and faq["custom"]["degraded"] is True
    [kept] = say("我要投诉导游强迫购物")
    assert "留言已经保存" in kept["text"]
    openid = "oDuringOutage"
    body, _ = wechat_text(openid, "我要投诉导游强迫购物")
    reply = xmltodict.parse(post_wechat(stack.http, WECHAT["token"], body).text)["xml"]
    assert "留言已经保存" in reply["Content"]
    stored = stack.messages().replayable(settle_seconds=0)
    assert {(m.sender, m.text, m.outcome) for m in stored} >= {
        ("web:midway", "青峰山门票多少钱", Outcome.degraded),
        ("web:midway", "我要投诉导游强迫购物", Outcome.degraded),
        (f"wechat:{openid}", "我要投诉导游强迫购物", Outcome.degraded),
    }

    stack.start_engine()
    stack.wechat.user_messaged(openid)
    replayed = subprocess.run(
        [sys.executable, "-m", "bot.cli", "replay"],
        cwd=PROJECT_DIR,
        env=stack.app.env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert replayed.returncode == 0, replayed.stderr[-2000:]
    assert "已推送" in replayed.stdout
    assert stack.messages().replayable(settle_seconds=0) == []
    turns = stack.user_turns(f"wechat:{openid}")
    assert turns == ["我要投诉导游强迫购物"]
    deadline = time.monotonic() + 20
    while not stack.wechat.sent_texts(openid) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert stack.wechat.sent_texts(openid)  # the form's next question reached the tourist
