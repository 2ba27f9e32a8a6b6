"""The consoles, clicked in headless Chromium (Debian's package, driven by Playwright) against
the real app and engine: an admin's FAQ edit answers the next web question, an agent follows a
scripted call and files the prefilled work order, strangers and agents are kept out.

Set ``SCREENSHOT_DIR`` to keep screenshots of both consoles (the README's come from here)."""

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from tests.clients import post_voice, utterance
from tests.integration.conftest import VOICE_SECRET, RunningBot

CHROMIUM = os.environ.get("HOTLINE_CHROMIUM", "/usr/bin/chromium")
# Without the background-networking flags Chromium keeps calling Google's hosts, which this
# machine's closed network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PASSWORDS = {"admin-wang": "correct horse 1", "agent-li": "battery staple 2"}
TIMEOUT_MS = 20_000


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium package")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def accounts(running_bot: RunningBot) -> dict[str, str]:
    """Console users made the way an operator makes them: ``hotline user add``."""
    hotline = Path(sys.executable).parent / "hotline"
    for name, role in (("admin-wang", "admin"), ("agent-li", "agent")):
        done = subprocess.run(
            [str(hotline), "user", "add", name, "--role", role, "--password-stdin"],
            input=PASSWORDS[name] + "\n",
            env=running_bot.served.env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
    return PASSWORDS


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 860}, locale="zh-CN")
    context.set_default_timeout(TIMEOUT_MS)
    opened = context.new_page()
    yield opened
    context.close()


def log_in(page: Page, bot: RunningBot, console: str, name: str, password: str) -> None:
    page.goto(f"{bot.app_url}/{console}")
    expect(page).to_have_url(re.compile(rf"/login\?next=/{console}$"))
    page.fill("#username", name)
    page.fill("#password", password)
    page.click("#login")
    expect(page).to_have_url(f"{bot.app_url}/{console}")


def screenshot(page: Page, name: str) -> None:
    folder = os.environ.get("SCREENSHOT_DIR")
    if folder:
        page.screenshot(path=str(Path(folder) / f"{name}.png"))


def test_wrong_passwords_and_wrong_roles_are_refused(
    running_bot: RunningBot, accounts: dict[str, str], page: Page
) -> None:
    page.goto(f"{running_bot.app_url}/admin")
    page.fill("#username", "agent-li")
    page.fill("#password", "not the password")
    page.click("#login")
    expect(page.locator("#error")).to_contain_text("用户名或密码错误")
    expect(page).to_have_url(re.compile(r"/login"))

    page.fill("#password", accounts["agent-li"])
    page.click("#login")  # an agent asked for the admin console
    expect(page.locator("body")).to_contain_text("管理后台需要管理员账号")
    refused = page.evaluate(
        """async () => {
            const session = await (await fetch('/api/session')).json();
            const response = await fetch('/api/faqs/ticket-qingfeng', {
                method: 'DELETE', headers: {'X-CSRF-Token': session.csrf_token}});
            return [response.status, (await response.json()).error];
        }"""
    )
    assert refused[0] == 403 and "管理员" in refused[1]
    forged = page.evaluate(  # the cookie alone, without the CSRF token
        """async () => (await fetch('/api/complaints', {method: 'POST',
            headers: {'content-type': 'application/json'}, body: '{}'})).status"""
    )
    assert forged == 403


def test_an_agent_follows_a_call_and_files_the_prefilled_work_order(
    running_bot: RunningBot, accounts: dict[str, str], page: Page
) -> None:
    log_in(page, running_bot, "agent", "agent-li", accounts["agent-li"])
    started = {"type": "call.started", "call_id": "browser-1", "caller": "13700137000",
               "hotline": "12301", "mode": "assist", "agent_id": "8001"}  # fmt: skip
    assert post_voice(running_bot.http, VOICE_SECRET, started).status_code == 200
    page.click('.call[data-call-id="browser-1"]')  # the list polls every 3 s
    expect(page.locator("#call-status")).to_contain_text("通话中")

    question = "喂你好青锋山门票多少钱啊"
    expected = running_bot.http.get("/api/kb/search", params={"q": question, "k": 3}).json()
    say(running_bot, "browser-1", question, 0)
    card = page.locator(".suggestion").first
    expect(card).to_contain_text("青锋山门票多少钱")
    best = card.locator(".answer").first
    expect(best).to_have_attribute("data-faq-id", expected["hits"][0]["id"])
    expect(best).to_contain_text(expected["hits"][0]["answer"][:20])

    say(running_bot, "browser-1", "我要投诉云游国际旅行社的导游", 5000)
    say(running_bot, "browser-1", "昨天下午在云溪古镇强迫我们买玉器不买就不让走", 10000)
    expect(page.locator(".line.caller")).to_have_count(3)
    expect(page.locator("#category")).to_have_value("强制购物")
    expect(page.locator("#target")).to_have_value(re.compile("云游国际旅行社"))
    expect(page.locator("#phone")).to_have_value("13700137000")
    expect(page.locator("#incident_time")).to_have_value(re.compile("^昨天下午"))
    page.fill("#place", "云溪古镇玉器店")  # the agent corrects a field by hand ...
    say(running_bot, "browser-1", "就在古镇里面", 15000)
    expect(page.locator(".line.caller")).to_have_count(4)
    expect(page.locator("#place")).to_have_value("云溪古镇玉器店")  # ... and it stays
    screenshot(page, "agent-console")

    page.click("#create-order")
    number = page.locator("#order-result .order-number")
    expect(number).to_have_text(re.compile(r"^TS\d{8}\d{3}$"))
    filed = running_bot.http.get(f"/api/complaints/{number.text_content()}").json()
    assert filed["category"] == "强制购物" and filed["phone"] == "13700137000"
    assert filed["place"] == "云溪古镇玉器店" and "云游国际旅行社" in filed["target"]
    assert filed["channel"] == "voice" and "强迫我们买玉器" in filed["description"]
    expect(page.locator(f'#history .order[data-number="{filed["number"]}"]')).to_be_visible()
    page.click("#create-order")  # a second click on the same form makes no second order
    orders = running_bot.http.get("/api/complaints", params={"phone": "13700137000"}).json()
    assert [o["number"] for o in orders].count(filed["number"]) == 1 and len(orders) == 1


def say(bot: RunningBot, call_id: str, text: str, start_ms: int) -> None:
    response = post_voice(bot.http, VOICE_SECRET, utterance(call_id, text, start_ms))
    assert response.status_code == 200, response.text
