"""Every channel end to end through the real engine: real payloads and signatures in, the
work order in the database, the notification at the provider's (local stand-in) API."""

import asyncio
import json
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import websockets
import xmltodict

from tests.clients import (
    post_sms,
    post_voice,
    post_wechat,
    utterance,
    wechat_image,
    wechat_text,
)
from tests.integration.conftest import ADMIN_TOKEN, TWILIO, VOICE_SECRET, WECHAT, RunningBot


def wechat_says(bot: RunningBot, openid: str, text: str) -> str:
    body, _ = wechat_text(openid, text)
    response = post_wechat(bot.http, WECHAT["token"], body)
    assert response.status_code == 200, response.text
    return str(xmltodict.parse(response.text)["xml"]["Content"])


def engine_user_turns(bot: RunningBot, conversation_id: str) -> list[str]:
    tracker = httpx.get(
        f"{bot.engine_url}/conversations/{conversation_id}/tracker",
        params={"token": "integration-token"},
        timeout=30,
    ).json()
    return [e["text"] for e in tracker["events"] if e["event"] == "user"]


def until(predicate, seconds: float = 10.0):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"not within {seconds} s")


def test_wechat_question_is_answered_passively(running_bot: RunningBot) -> None:
    reply = wechat_says(running_bot, "oFaq", "青锋山几点开门")  # ASR/typing homophone
    assert "7:30" in reply and "青峰山" in reply


def test_wechat_redeliveries_make_one_engine_turn_and_one_reply(running_bot: RunningBot) -> None:
    body, _ = wechat_text("oRetry", "青峰山索道几点运营")
    with ThreadPoolExecutor(3) as pool:
        responses = list(
            pool.map(lambda _: post_wechat(running_bot.http, WECHAT["token"], body), range(3))
        )
    assert [r.status_code for r in responses] == [200, 200, 200]
    contents = {xmltodict.parse(r.text)["xml"]["Content"] for r in responses}
    assert len(contents) == 1 and "索道" in contents.pop()
    assert engine_user_turns(running_bot, "wechat:oRetry") == ["青峰山索道几点运营"]


def test_wechat_complaint_with_a_photo_and_its_status_notification(
    running_bot: RunningBot,
) -> None:
    openid = "oComplainer"
    wechat_says(
        running_bot, openid, "我要投诉云游国际旅行社的导游，昨天下午在云溪古镇强迫我们去玉器店购物"
    )
    photo = post_wechat(running_bot.http, WECHAT["token"], wechat_image(openid, "MEDIA_RECEIPT"))
    assert "正在填写的投诉" in xmltodict.parse(photo.text)["xml"]["Content"]
    assert "请核对" in wechat_says(running_bot, openid, "13812345678")
    confirmed = wechat_says(running_bot, openid, "确认")
    number = confirmed[confirmed.index("TS") : confirmed.index("TS") + 13]
    order = running_bot.http.get(f"/api/complaints/{number}").json()
    assert order["channel"] == "wechat" and order["phone"] == "13812345678"
    assert order["attachments"] == [{"kind": "image", "media_id": "MEDIA_RECEIPT"}]

    running_bot.wechat.user_messaged(openid)  # WeChat's side of the 48-hour window
    moved = running_bot.http.post(
        f"/api/complaints/{number}/transitions",
        json={"to": "已派单", "department": "市场监督管理局"},
    )
    assert moved.status_code == 200
    [notice] = until(lambda: running_bot.wechat.sent_texts(openid))
    assert number in notice and "市场监督管理局" in notice


def test_notification_survives_the_provider_being_down(running_bot: RunningBot) -> None:
    sender = "+8613700137000"
    first = "我要投诉云游国际旅行社的导游，昨天下午在云溪古镇强迫我们去玉器店购物"
    for text in (first, "13700137000", "确认"):
        reply = post_sms(running_bot.http, running_bot.app_url, TWILIO["token"], sender, text)
    body = xmltodict.parse(reply.text)["Response"]["Message"]
    number = body[body.index("TS") : body.index("TS") + 13]
    running_bot.twilio.fail_next(1, status=503)
    running_bot.http.post(
        f"/api/complaints/{number}/transitions", json={"to": "不予受理", "reason": "超出受理范围"}
    )
    texted = until(
        lambda: [m for m in running_bot.twilio.messages if number in m["body"]], seconds=20
    )
    assert texted[0]["to"] == sender and "不予受理" in texted[0]["body"]
    delivered = running_bot.twilio.deliver(texted[0]["sid"], "delivered")
    assert delivered is not None and delivered.status_code == 204


def test_sms_question_gets_the_short_answer_in_twiml(running_bot: RunningBot) -> None:
    response = post_sms(
        running_bot.http, running_bot.app_url, TWILIO["token"], "+8613600136000", "青峰山门票多少钱"
    )
    assert response.status_code == 200
    body = xmltodict.parse(response.text)["Response"]["Message"]
    assert body == "青峰山门票旺季120元、淡季80元，不含索道（演示数据）。"


def test_sms_stop_blocks_notifications(running_bot: RunningBot) -> None:
    sender = "+8613500135000"
    stop = post_sms(running_bot.http, running_bot.app_url, TWILIO["token"], sender, "退订")
    assert "已退订" in xmltodict.parse(stop.text)["Response"]["Message"]
    forged = running_bot.http.post(
        "/channels/sms", content=b"From=%2B86135&Body=START", headers={"x-twilio-signature": "x"}
    )
    assert forged.status_code == 403


def test_voice_ivr_call_over_http_events(running_bot: RunningBot) -> None:
    call = "call-http-1"
    started = post_voice(
        running_bot.http,
        VOICE_SECRET,
        {"type": "call.started", "call_id": call, "caller": "13800138000", "hotline": "12301"},
    )
    assert "12301" in started.json()["say"]
    partial = post_voice(running_bot.http, VOICE_SECRET, utterance(call, "嗯那个", 0, final=False))
    assert partial.json()["type"] == "ignored"
    answer = post_voice(
        running_bot.http, VOICE_SECRET, utterance(call, "嗯那个青锋山几点开门啊", 1000)
    ).json()
    assert answer["type"] == "bot.say"
    assert "7点30分" in answer["say"] and ":" not in answer["say"]
    assert post_voice(running_bot.http, VOICE_SECRET, {"type": "call.ended", "call_id": call})


def test_voice_ivr_call_over_the_websocket(running_bot: RunningBot) -> None:
    async def call() -> list[dict]:
        url = running_bot.app_url.replace("http", "ws") + "/channels/voice"
        headers = {"Authorization": f"Bearer {VOICE_SECRET}"}
        events = [
            {
                "type": "call.started",
                "call_id": "ws-1",
                "caller": "13800138000",
                "hotline": "12345",
            },
            utterance("ws-1", "索道", 0, final=False),
            utterance("ws-1", "嗯就是那个青峰山索道几点运营啊", 800),
            {"type": "call.ended", "call_id": "ws-1"},
        ]
        replies = []
        async with websockets.connect(url, additional_headers=headers) as ws:
            for event in events:
                await ws.send(json.dumps(event, ensure_ascii=False))
                replies.append(json.loads(await ws.recv()))
        return replies

    started, ignored, said, closed = asyncio.run(call())
    assert started["say"].startswith("您好，这里是12345")
    assert ignored["type"] == "ignored"
    assert said["type"] == "bot.say" and "17点" in said["say"]
    assert closed["type"] == "call.closed"


def test_voice_websocket_refuses_a_wrong_token(running_bot: RunningBot) -> None:
    async def connect() -> int:
        url = running_bot.app_url.replace("http", "ws") + "/channels/voice"
        try:
            async with websockets.connect(
                url, additional_headers={"Authorization": "Bearer x"}
            ) as ws:
                await ws.recv()
        except websockets.ConnectionClosed as closed:
            return closed.rcvd.code if closed.rcvd else 0
        except websockets.InvalidStatus as refused:
            return refused.response.status_code
        return 0

    assert asyncio.run(connect()) in (403, 1008)


def test_double_taps_and_retries_of_confirm_make_one_work_order(running_bot: RunningBot) -> None:
    openid = "oDoubleTap"
    wechat_says(running_bot, openid, "我要投诉云溪大酒店，昨天晚上在云溪古镇，房价比预订时贵了一倍")
    for _ in range(4):  # answer whatever the form still asks, then the phone
        reply = wechat_says(running_bot, openid, "13912345678")
        if "请核对" in reply:
            break
    assert "请核对" in reply
    retried, _ = wechat_text(openid, "确认")  # one message WeChat delivers three times
    bodies = [
        retried,
        retried,
        retried,
        wechat_text(openid, "确认")[0],
        wechat_text(openid, "确认")[0],
    ]
    with ThreadPoolExecutor(len(bodies)) as pool:
        responses = list(
            pool.map(lambda b: post_wechat(running_bot.http, WECHAT["token"], b), bodies)
        )
    assert all(r.status_code == 200 for r in responses)
    orders = [
        c
        for c in running_bot.http.get("/api/complaints").json()
        if c["sender"] == f"wechat:{openid}"
    ]
    assert len(orders) == 1, orders
    assert orders[0]["target"] == "云溪大酒店"


def test_agent_assist_follows_a_call_through_the_engine(running_bot: RunningBot) -> None:
    async def follow() -> list[dict]:
        base = running_bot.app_url.replace("http", "ws")
        agent = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
        platform = {"Authorization": f"Bearer {VOICE_SECRET}"}
        events = [
            utterance("assist-1", "喂你好我想投诉云游国际旅行社的导游", 0),
            utterance("assist-1", "昨天下午在云溪古镇强迫我们买玉器", 5000),
        ]
        voice_url, console_url = f"{base}/channels/voice", f"{base}/agent-assist/assist-1"
        async with websockets.connect(voice_url, additional_headers=platform) as stream:
            started = {"type": "call.started", "call_id": "assist-1", "caller": "13700137000",
                       "hotline": "12345", "mode": "assist"}  # fmt: skip
            await stream.send(json.dumps(started))
            await stream.recv()
            # the agent picks the call up once it rings
            async with websockets.connect(console_url, additional_headers=agent) as console:
                pushed = [json.loads(await console.recv())]  # the snapshot
                for event in events:
                    await stream.send(json.dumps(event, ensure_ascii=False))
                    assert json.loads(await stream.recv())["type"] == "assisted"
                    pushed.append(json.loads(await console.recv()))
        return pushed

    snapshot, first, second = asyncio.run(follow())
    assert snapshot["type"] == "snapshot" and snapshot["active"]
    assert first["intent"] == "complain" and first["answers"]
    prefill = second["prefill"]
    assert prefill["category"] == "强制购物" and prefill["phone"] == "13700137000"
    assert prefill["incident_time"].startswith("昨天下午") and "云游国际旅行社" in prefill["target"]
