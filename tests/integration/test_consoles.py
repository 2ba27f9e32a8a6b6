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
    expect(page).to_have_url(re.compile(rf"^{re.escape(bot.app_url)}/{console}(#.*)?$"))


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


def test_the_login_never_sends_anyone_to_another_site(
    running_bot: RunningBot, accounts: dict[str, str], page: Page
) -> None:
    page.goto(f"{running_bot.app_url}/login?next=/.//evil.example/login")
    page.fill("#username", "agent-li")
    page.fill("#password", accounts["agent-li"])
    page.click("#login")
    page.wait_for_load_state()
    expect(page).to_have_url(re.compile("^" + re.escape(running_bot.app_url) + "/"))


def test_an_agent_follows_a_call_and_files_the_prefilled_work_order(
    running_bot: RunningBot, accounts: dict[str, str], page: Page
) -> None:
    log_in(page, running_bot, "agent", "agent-li", accounts["agent-li"])
    started = {"type": "call.started", "call_id": "browser-1", "caller": "13755550001",
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
    expect(page.locator("#phone")).to_have_value("13755550001")
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
    assert filed["category"] == "强制购物" and filed["phone"] == "13755550001"
    assert filed["place"] == "云溪古镇玉器店" and "云游国际旅行社" in filed["target"]
    assert filed["channel"] == "voice" and "强迫我们买玉器" in filed["description"]
    expect(page.locator(f'#history .order[data-number="{filed["number"]}"]')).to_be_visible()
    page.click("#create-order")  # a second click on the same form makes no second order
    orders = running_bot.http.get("/api/complaints", params={"phone": "13755550001"}).json()
    assert [o["number"] for o in orders].count(filed["number"]) == 1 and len(orders) == 1


def say(bot: RunningBot, call_id: str, text: str, start_ms: int) -> None:
    response = post_voice(bot.http, VOICE_SECRET, utterance(call_id, text, start_ms))
    assert response.status_code == 200, response.text


def test_an_admin_edits_an_faq_and_the_next_answer_is_the_new_text(
    running_bot: RunningBot, accounts: dict[str, str], page: Page
) -> None:
    bot = running_bot
    before = bot.say("web:before-edit", "龙潭瀑布门票多少钱")[0]["text"]
    assert "60元" in str(before)
    log_in(page, bot, "admin", "admin-wang", accounts["admin-wang"])
    page.fill("#faq-search", "龙潭瀑布")
    page.click('#faq-list tr[data-id="faq-0005"]')
    expect(page.locator("#faq-question")).to_have_value("龙潭瀑布门票多少钱？")
    new_answer = "龙潭瀑布景区门票冬季优惠为45元/人（演示数据），12月1日起执行。"
    page.fill("#faq-answer", new_answer)
    page.click("#faq-save")
    expect(page.locator("#toast")).to_contain_text("已保存")
    expect(page.locator("#toast")).to_contain_text("简短答案")  # SMS would still say 60元
    assert bot.say("web:after-edit", "龙潭瀑布门票多少钱")[0]["text"] == new_answer

    versions = page.locator("#faq-versions tr")
    expect(versions).to_have_count(2)
    screenshot(page, "admin-faq")
    page.click('#faq-versions .rollback[data-version="1"]')
    expect(page.locator("#faq-answer")).to_have_value(re.compile("60元"))
    assert "60元" in str(bot.say("web:after-rollback", "龙潭瀑布门票多少钱")[0]["text"])


def test_an_admin_imports_tests_and_adds_what_went_unanswered(
    running_bot: RunningBot, accounts: dict[str, str], page: Page, tmp_path: Path
) -> None:
    bot = running_bot
    log_in(page, bot, "admin", "admin-wang", accounts["admin-wang"])
    bad = tmp_path / "faq.csv"
    bad.write_text(
        "id,category,question,similar_questions,answer\n"
        "faq-9001,门票,滑雪场门票多少钱？,滑雪票价,滑雪场门票200元（演示数据）。\n"
        "faq-9002,门票,,缺问题,有答案\n",
        encoding="utf-8",
    )
    page.click("#tab-import")
    page.set_input_files("#import-file", str(bad))
    page.click("#import-submit")
    expect(page.locator("#import-errors tr")).to_have_count(1)
    expect(page.locator("#import-errors tr").first).to_contain_text("3")
    assert bot.http.get("/api/faqs/faq-9001").status_code == 404  # all or nothing

    page.click("#tab-hittest")
    page.fill("#hit-query", "青锋山几点开门")
    page.click("#hit-submit")
    expect(page.locator("#hit-results .hit").first).to_contain_text("青峰山")
    expect(page.locator("#hit-decision")).not_to_be_empty()

    bot.say("web:u-a", "景区可以用数字人民币吗")  # the demo FAQ half covers it: clarify
    bot.say("web:u-b", "景区可以用数字人民币吗")
    page.click("#tab-unanswered")
    group = page.locator(".group", has_text="景区可以用数字人民币吗").first
    expect(group).to_be_visible()
    expect(group).to_contain_text("2")
    faq_id = group.locator(".target-faq").input_value()
    group.locator(".add-similar").click()
    expect(page.locator("#toast")).to_contain_text("已")
    similar = bot.http.get(f"/api/faqs/{faq_id}").json()["similar_questions"]
    assert "景区可以用数字人民币吗" in similar
    bot.http.post(f"/api/faqs/{faq_id}/rollback", json={"version": 1})

    bot.say("web:u-c", "古镇里有没有剧本杀")  # nothing fits: none
    page.click("#unanswered-reload")
    page.locator(".group", has_text="古镇里有没有剧本杀").first.locator(".new-faq").click()
    expect(page.locator("#faq-question")).to_have_value("古镇里有没有剧本杀")
    page.fill("#faq-id", "fun-jubensha")
    page.fill("#faq-category", "购物")
    page.fill("#faq-answer", "云溪古镇老街有两家剧本杀馆，需提前预约（演示数据）。")
    page.click("#faq-save")
    expect(page.locator("#toast")).to_contain_text("已保存")
    assert "剧本杀馆" in str(bot.say("web:u-d", "古镇里有没有剧本杀")[0]["text"])
    assert bot.http.delete("/api/faqs/fun-jubensha").status_code == 204

    def decision(query: str) -> str:
        return str(bot.http.get("/api/kb/search", params={"q": query}).json()["decision"])

    asked = "观音洞里面信号好不好"  # no FAQ speaks of phone signal; the cave's FAQs come close
    assert decision(asked) == "clarify"
    bot.say("web:u-e", asked)
    page.click("#tab-unanswered")
    page.locator(".group", has_text=asked).first.locator(".not-ours").click()
    expect(page.locator("#toast")).to_contain_text("不属于本知识库")
    expect(page.locator(".group", has_text=asked)).to_have_count(0)
    assert decision(asked) == "none"
    page.click("#labels-box summary")
    page.locator("#labels-list li", has_text=asked).locator(".unlabel").click()
    expect(page.locator("#toast")).to_contain_text("已撤销")
    expect(page.locator(".group", has_text=asked)).to_have_count(1)
    assert decision(asked) == "clarify"


def test_an_admin_runs_the_complaint_queue_and_reads_the_dashboard(
    running_bot: RunningBot, accounts: dict[str, str], page: Page
) -> None:
    bot = running_bot
    filed = bot.http.post(
        "/api/complaints",
        json={
            "phone": "13600136000",
            "target": "望月楼茶馆",
            "incident_time": "今天中午",
            "place": "云溪古镇",
            "category": "价格欺诈",
            "description": "一壶茶收了880元",
            "idempotency_key": "browser-queue-1",
        },  # fmt: skip
    ).json()
    log_in(page, bot, "admin", "admin-wang", accounts["admin-wang"])
    page.click("#tab-complaints")
    page.select_option("#c-category", "价格欺诈")
    page.click("#c-search")
    row = page.locator(f'#complaint-list tr[data-number="{filed["number"]}"]')
    row.click()
    expect(page.locator("#cd-description")).to_have_text("一壶茶收了880元")
    page.select_option("#c-to", "处理中")  # not from 已受理: refused with the reason
    page.click("#c-apply")
    expect(page.locator("#toast")).to_contain_text("已受理")
    page.select_option("#c-to", "已派单")
    page.select_option("#c-department", "市场监督管理局")
    page.click("#c-apply")
    expect(page.locator("#cd-history")).to_contain_text("已派单")
    assert bot.http.get(f"/api/complaints/{filed['number']}").json()["status"] == "已派单"
    expect(row).to_contain_text("已派单")

    page.click("#tab-dashboard")
    expect(page.locator("#chart-daily svg")).to_be_visible()
    expect(page.locator("#rate-answer")).to_have_text(re.compile(r"\d+(\.\d)?%"))
    expect(page.locator("#chart-categories")).to_contain_text("价格欺诈")
    screenshot(page, "admin-dashboard")
