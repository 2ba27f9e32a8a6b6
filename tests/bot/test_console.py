"""The consoles' back end in process: login, cookie sessions and CSRF, pages by role, and the
data only the consoles need (calls, dashboard, hit test, unanswered groups)."""

from collections.abc import Iterator
from dataclasses import replace

import pytest
from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from bot.app import create_app
from bot.exceptions import InvalidInput
from bot.settings import Settings
from tests.bot.complaints.test_service import DRAFT

ADMIN = {"authorization": "Bearer admin-secret"}


@pytest.fixture
def app_client(settings: Settings) -> Iterator[TestClient]:
    settings = settings.model_copy(update={"admin_token": "admin-secret"})
    with TestClient(create_app(settings)) as client:
        users = client.app.state.services.users  # type: ignore[attr-defined]
        users.add("wang", "correct horse", "admin")
        users.add("li", "battery staple", "agent")
        yield client


def log_in(client: TestClient, username: str, password: str) -> str:
    response = client.post("/api/login", json={"username": username, "password": password})
    assert response.status_code == 200, response.text
    return str(response.json()["csrf_token"])


def test_login_sets_an_httponly_strict_cookie(app_client: TestClient) -> None:
    response = app_client.post("/api/login", json={"username": "li", "password": "battery staple"})
    assert response.json()["username"] == "li" and response.json()["role"] == "agent"
    cookie = response.headers["set-cookie"]
    assert "hotline_session=" in cookie and "HttpOnly" in cookie and "SameSite=strict" in cookie
    session = app_client.get("/api/session").json()
    assert session == response.json()


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        ({"username": "li", "password": "wrong"}, 401, "用户名或密码错误"),
        ({"username": "nobody", "password": "battery staple"}, 401, "用户名或密码错误"),
        ({"username": "li"}, 422, "password"),
        ({"username": "", "password": "x"}, 422, "username"),
    ],
)
def test_bad_logins_are_refused(
    app_client: TestClient, body: dict[str, str], status: int, message: str
) -> None:
    response = app_client.post("/api/login", json=body)
    assert response.status_code == status and message in response.json()["error"]
    assert "set-cookie" not in response.headers
    assert app_client.get("/api/session").status_code == 401


def test_five_wrong_passwords_lock_the_login(app_client: TestClient) -> None:
    for _ in range(5):
        app_client.post("/api/login", json={"username": "li", "password": "guess"})
    locked = app_client.post("/api/login", json={"username": "li", "password": "battery staple"})
    assert locked.status_code == 429 and "登录失败次数过多" in locked.json()["error"]


def test_a_cookie_change_needs_the_csrf_token(app_client: TestClient) -> None:
    csrf = log_in(app_client, "wang", "correct horse")
    body = {"question": "青峰山门票学生多少钱"}
    no_token = app_client.post("/api/faqs/ticket-price/similar", json=body)
    assert no_token.status_code == 403 and "CSRF" in no_token.json()["error"]
    wrong = app_client.post(
        "/api/faqs/ticket-price/similar", json=body, headers={"x-csrf-token": "guess"}
    )
    assert wrong.status_code == 403
    faq_id = app_client.get("/api/faqs").json()[0]["id"]
    added = app_client.post(
        f"/api/faqs/{faq_id}/similar", json=body, headers={"x-csrf-token": csrf}
    )
    assert added.status_code == 200 and "青峰山门票学生多少钱" in added.json()["similar_questions"]
    assert added.json()["updated_by"] == "wang"  # the audit names the person, not the role


def test_bearer_scripts_need_no_csrf_token(app_client: TestClient) -> None:
    faq_id = app_client.get("/api/faqs", headers=ADMIN).json()[0]["id"]
    response = app_client.post(
        f"/api/faqs/{faq_id}/similar", json={"question": "脚本加的问法"}, headers=ADMIN
    )
    assert response.status_code == 200


def test_an_agent_session_cannot_do_admin_things(app_client: TestClient) -> None:
    csrf = log_in(app_client, "li", "battery staple")
    assert app_client.get("/api/faqs").status_code == 200  # agents read
    refused = app_client.delete("/api/faqs/anything", headers={"x-csrf-token": csrf})
    assert refused.status_code == 403 and "管理员" in refused.json()["error"]
    assert app_client.get("/api/dashboard").status_code == 403
    page = app_client.get("/admin")
    assert page.status_code == 403 and "管理后台需要管理员账号" in page.text
    assert app_client.get("/agent").status_code == 200


def test_pages_send_strangers_to_the_login(app_client: TestClient) -> None:
    for page in ("/admin", "/agent"):
        response = app_client.get(page, follow_redirects=False)
        assert response.status_code == 303
        assert response.headers["location"] == f"/login?next={page}"
    assert "登录" in app_client.get("/login").text


def test_logout_ends_the_session(app_client: TestClient) -> None:
    csrf = log_in(app_client, "li", "battery staple")
    assert app_client.post("/api/logout", headers={"x-csrf-token": csrf}).status_code == 204
    assert app_client.get("/api/session").status_code == 401


def test_every_api_route_wants_credentials(app_client: TestClient) -> None:
    paths = app_client.get("/openapi.json").json()["paths"]
    routes = [
        (method.upper(), path)
        for path, methods in paths.items()
        if path.startswith("/api/") and path != "/api/login"
        for method in methods
    ]
    assert len(routes) > 25
    for method, path in routes:
        response = app_client.request(method, path.replace("{", "").replace("}", ""))
        assert response.status_code == 401, (method, path, response.status_code)


def test_the_agent_assist_socket_takes_the_cookie_from_the_own_origin_only(
    app_client: TestClient,
) -> None:
    log_in(app_client, "li", "battery staple")
    with app_client.websocket_connect(
        "/agent-assist/call-1", headers={"origin": "http://testserver"}
    ) as socket:
        assert socket.receive_json()["type"] == "snapshot"
    with pytest.raises(WebSocketDisconnect):
        with app_client.websocket_connect(
            "/agent-assist/call-1", headers={"origin": "https://evil.example"}
        ) as socket:
            socket.receive_json()


def test_ongoing_calls_are_listed_with_the_caller_masked_for_agents(
    app_client: TestClient,
) -> None:
    calls = app_client.app.state.services.calls  # type: ignore[attr-defined]
    calls.start(call_id="c1", caller="13812345678", hotline="12301", agent_id="8001", mode="assist")
    calls.start(call_id="c2", caller="13900001111", hotline="12345", agent_id=None, mode="ivr")
    calls.end("c2")
    log_in(app_client, "li", "battery staple")
    listed = app_client.get("/api/calls").json()
    assert [(c["call_id"], c["caller"]) for c in listed] == [("c1", "138****5678")]
    assert app_client.get("/api/calls", headers=ADMIN).json()[0]["caller"] == "13812345678"


def test_the_callers_earlier_work_orders(app_client: TestClient) -> None:
    complaints = app_client.app.state.services.complaints  # type: ignore[attr-defined]
    complaints.submit(replace(DRAFT, phone="13812345678"), idempotency_key="k1")
    complaints.submit(replace(DRAFT, phone="13900001111"), idempotency_key="k2")
    log_in(app_client, "li", "battery staple")
    found = app_client.get("/api/complaints", params={"phone": "13812345678"}).json()
    assert len(found) == 1 and found[0]["phone"] == "138****5678"
    bad = app_client.get("/api/complaints", params={"phone": "12345"})
    assert bad.status_code == 422 and "phone" in bad.json()["error"]
    categories = app_client.get("/api/complaint-categories").json()["categories"]
    assert "强制购物" in categories and len(categories) == 8


def test_the_hit_test_says_why(app_client: TestClient) -> None:
    body = app_client.get(
        "/api/kb/search", params={"q": "青峰山门票多少钱", "k": 3, "explain": "true"}, headers=ADMIN
    ).json()
    thresholds, top = body["thresholds"], body["hits"][0]["score"]
    assert 0 < thresholds["clarify"] < 1 and 0 < thresholds["answer"] <= 1
    if body["in_scope"] < thresholds["clarify"]:
        assert body["decision"] == "none"
    else:
        assert body["decision"] == ("answer" if top >= thresholds["answer"] else "clarify")
    why = body["hits"][0]["why"]
    assert set(why["sources"]) <= {"dense", "lexical"} and why["sources"]
    assert set(why["contributions"]) <= set(why["features"])
    plain = app_client.get("/api/kb/search", params={"q": "青峰山门票多少钱"}, headers=ADMIN).json()
    assert "why" not in plain["hits"][0] and plain["hits"][0]["id"] == body["hits"][0]["id"]


def test_the_dashboard_counts_what_the_knowledge_base_decided(app_client: TestClient) -> None:
    for text in ("青峰山门票多少钱", "帮我写一篇作文", "帮我写篇作文吧", "今晚的球赛谁赢"):
        app_client.post("/channels/web", json={"sender": "u1", "text": text})  # engine down
    board = app_client.get("/api/dashboard", params={"days": 7}, headers=ADMIN).json()
    assert len(board["days"]) == 7
    today = board["days"][-1]
    assert today["questions"] == 4
    assert today["answer"] + today["clarify"] + today["none"] == 4
    assert abs(sum(board["rates"].values()) - 1) < 1e-6
    if today["answer"]:
        assert board["top_faqs"][0]["count"] >= 1 and board["top_faqs"][0]["question"]
    assert board["complaints"]["total"] == 0 and "by_category" in board["complaints"]


def test_unanswered_questions_are_grouped_by_meaning(app_client: TestClient) -> None:
    for text in ("帮我写一篇作文", "帮我写一篇作文", "帮我写篇作文吧", "今晚的球赛谁赢"):
        app_client.post("/channels/web", json={"sender": "u2", "text": text})
    groups = app_client.get("/api/kb/unanswered/groups", headers=ADMIN).json()
    assert groups[0]["label"] == "帮我写一篇作文" and groups[0]["count"] == 3
    assert {q["query"] for q in groups[0]["queries"]} == {"帮我写一篇作文", "帮我写篇作文吧"}
    assert sum(g["count"] for g in groups) == 4
    assert all(len(g["candidates"]) <= 3 for g in groups)


def test_a_followed_call_ends_with_the_session(
    app_client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("bot.channel_routes.SESSION_RECHECK_SECONDS", 0.05)
    csrf = log_in(app_client, "li", "battery staple")
    token = app_client.cookies.get("hotline_session")
    users = app_client.app.state.services.users  # type: ignore[attr-defined]
    with app_client.websocket_connect("/agent-assist/call-1") as socket:
        assert socket.receive_json()["type"] == "snapshot"
        users.log_out(token)  # e.g. from another tab
        with pytest.raises(WebSocketDisconnect) as ended:
            socket.receive_json()
        assert ended.value.code == 1008
    assert csrf


def test_user_names_carry_no_markup(app_client: TestClient) -> None:
    users = app_client.app.state.services.users  # type: ignore[attr-defined]
    with pytest.raises(InvalidInput):
        users.add("<img src=x onerror=alert(1)>", "long enough", "agent")
