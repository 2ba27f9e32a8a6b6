"""The knowledge-base API in process: roles, edits that answer at once, imports, exports."""

import io
from collections.abc import Iterator
from dataclasses import replace

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from bot.app import create_app
from bot.complaints.service import ComplaintDraft
from bot.settings import Settings
from tests.bot.complaints.test_service import DRAFT

ADMIN = {"authorization": "Bearer admin-secret"}
AGENT = {"authorization": "Bearer agent-secret"}
NEW = {
    "id": "shop-hanfu",
    "category": "购物",
    "question": "云溪哪里可以租汉服拍照？",
    "similar_questions": ["古镇租汉服", "汉服租赁多少钱"],
    "answer": "云溪古镇东街有三家汉服租赁店，每套每天80元起（演示数据）。",
}


@pytest.fixture
def api(settings: Settings) -> Iterator[TestClient]:
    settings = settings.model_copy(
        update={"admin_token": "admin-secret", "agent_token": "agent-secret"}
    )
    with TestClient(create_app(settings)) as client:
        yield client


def test_every_route_wants_a_token_and_the_right_role(api: TestClient) -> None:
    assert api.get("/api/faqs").status_code == 401
    wrong = api.get("/api/faqs", headers={"authorization": "Bearer guess"})
    assert wrong.status_code == 401 and "令牌无效" in wrong.json()["error"]
    assert api.get("/api/faqs", headers=AGENT).status_code == 200
    refused = api.post("/api/faqs", json=NEW, headers=AGENT)
    assert refused.status_code == 403 and "管理员" in refused.json()["error"]
    assert api.delete("/api/faqs/faq-0001", headers=AGENT).status_code == 403


def test_an_admin_edit_is_the_next_answer(api: TestClient) -> None:
    def top(query: str) -> dict:
        return api.get("/api/kb/search", params={"q": query}, headers=AGENT).json()["hits"][0]

    assert top("古镇有租汉服的吗")["id"] != "shop-hanfu"
    created = api.post("/api/faqs", json=NEW, headers=ADMIN)
    assert created.status_code == 201 and created.json()["version"] == 1
    assert top("古镇有租汉服的吗")["id"] == "shop-hanfu"
    assert api.post("/api/faqs", json=NEW, headers=ADMIN).status_code == 409

    changed = {**NEW, "answer": "汉服租赁每套每天100元起（演示数据）。"}
    del changed["id"]
    assert api.put("/api/faqs/shop-hanfu", json=changed, headers=ADMIN).json()["version"] == 2
    assert "100元" in top("古镇有租汉服的吗")["answer"]

    rolled = api.post("/api/faqs/shop-hanfu/rollback", json={"version": 1}, headers=ADMIN)
    assert rolled.json()["version"] == 3 and "80元" in rolled.json()["answer"]
    history = api.get("/api/faqs/shop-hanfu", headers=AGENT).json()["versions"]
    assert [v["version"] for v in history] == [1, 2, 3]

    assert api.delete("/api/faqs/shop-hanfu", headers=ADMIN).status_code == 204
    assert top("古镇有租汉服的吗")["id"] != "shop-hanfu"
    assert api.delete("/api/faqs/shop-hanfu", headers=ADMIN).status_code == 404


def test_bad_faqs_are_refused_with_reasons(api: TestClient) -> None:
    blank = api.post("/api/faqs", json={**NEW, "answer": "   "}, headers=ADMIN)
    assert blank.status_code == 422 and "answer" in blank.json()["error"]
    bad_id = api.post("/api/faqs", json={**NEW, "id": "有 空格"}, headers=ADMIN)
    assert bad_id.status_code == 422 and "id" in bad_id.json()["error"]
    window = {**NEW, "valid_from": "2026-12-01T00:00:00", "valid_until": "2026-11-01T00:00:00"}
    assert api.post("/api/faqs", json=window, headers=ADMIN).status_code == 422
    assert api.post("/api/faqs", content=b"\xff\xfe", headers=ADMIN).status_code == 422
    missing = api.post("/api/faqs/nope/rollback", json={"version": 1}, headers=ADMIN)
    assert missing.status_code == 404


def test_import_is_all_or_nothing_with_row_numbers(api: TestClient) -> None:
    bad = "id,category,question,similar_questions,answer\nz1,门票,问题,,答案\nz2,门票,,,答案\n"
    response = api.post(
        "/api/faqs/import", files={"file": ("faq.csv", bad.encode(), "text/csv")}, headers=ADMIN
    )
    assert response.status_code == 422
    assert response.json()["rows"] == [{"row": 3, "message": "question 不能为空"}]
    assert api.get("/api/faqs/z1", headers=AGENT).status_code == 404

    good = "id,category,question,similar_questions,answer\nz1,门票,望月楼门票多少钱？,,30元\n"
    done = api.post(
        "/api/faqs/import", files={"file": ("faq.csv", good.encode(), "text/csv")}, headers=ADMIN
    )
    assert done.json() == {"rows": 1, "changed": 1}
    wrong_type = api.post(
        "/api/faqs/import", files={"file": ("faq.doc", b"x", "application/msword")}, headers=ADMIN
    )
    assert wrong_type.status_code == 422 and "不支持" in wrong_type.json()["error"]


def test_export_as_excel(api: TestClient) -> None:
    response = api.get("/api/faqs/export", params={"format": "xlsx"}, headers=ADMIN)
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("id", "category", "question", "similar_questions", "answer")
    assert len(rows) == 1 + 343
    assert api.get("/api/faqs/export", params={"format": "pdf"}, headers=ADMIN).status_code == 422


def test_unanswered_questions_are_kept_for_the_admin(api: TestClient) -> None:
    # The engine is down: the KB answers, or here declines.
    api.post("/channels/web", json={"sender": "u1", "text": "Excel怎么合并单元格"})
    rows = api.get("/api/kb/unanswered", headers=ADMIN).json()
    assert rows[0]["query"] == "Excel怎么合并单元格" and rows[0]["decision"] == "none"
    assert rows[0]["channel"] == "web"


def test_questions_labelled_out_of_scope_leave_the_queue_and_are_handed_over(
    api: TestClient,
) -> None:
    asked = "观音洞里面信号好不好"  # no FAQ says anything about phone signal in the cave

    def decision(query: str) -> str:
        found = api.get("/api/kb/search", params={"q": query}, headers=AGENT).json()
        return str(found["decision"])

    assert decision(asked) == "clarify"
    api.post("/channels/web", json={"sender": "u2", "text": asked})
    queue = api.get("/api/kb/unanswered/groups", headers=ADMIN).json()
    assert [g["label"] for g in queue] == [asked]

    body = {"queries": [asked, asked]}
    assert api.post("/api/kb/out-of-scope", json=body, headers=AGENT).status_code == 403
    labelled = api.post("/api/kb/out-of-scope", json=body, headers=ADMIN)
    assert labelled.status_code == 201
    (label,) = labelled.json()["added"]
    assert label["query"] == asked and label["labelled_by"] == "admin"
    assert api.get("/api/kb/unanswered/groups", headers=ADMIN).json() == []
    assert decision(asked) == "none"  # this process synced before answering
    again = api.post("/api/kb/out-of-scope", json={"queries": [asked]}, headers=ADMIN).json()
    assert again == {"added": [], "already": 1}
    listed = api.get("/api/kb/out-of-scope", headers=ADMIN).json()
    assert [x["query"] for x in listed] == [asked]

    for bad in ({"queries": []}, {"queries": ["  "]}, {"queries": ["长" * 501]}, {"query": asked}):
        refused = api.post("/api/kb/out-of-scope", json=bad, headers=ADMIN)
        assert refused.status_code == 422 and "queries" in refused.json()["error"]

    assert api.delete(f"/api/kb/out-of-scope/{label['id']}", headers=ADMIN).status_code == 204
    assert decision(asked) == "clarify"
    gone = api.delete(f"/api/kb/out-of-scope/{label['id']}", headers=ADMIN)
    assert gone.status_code == 404 and "不属于本知识库" in gone.json()["error"]


def test_complaints_by_number_and_their_transitions(api: TestClient) -> None:
    services = api.app.state.services  # type: ignore[attr-defined]
    draft = replace(DRAFT, sender="web:u9")
    number = services.complaints.submit(draft, idempotency_key="api-1").number
    seen_by_agent = api.get(f"/api/complaints/{number}", headers=AGENT).json()
    assert seen_by_agent["status"] == "已受理" and seen_by_agent["phone"] == "138****5678"
    assert {"number", "target", "incident_time", "place", "category", "description"} <= set(
        seen_by_agent
    )
    assert api.get(f"/api/complaints/{number}", headers=ADMIN).json()["phone"] == "13812345678"

    path = f"/api/complaints/{number}/transitions"
    assert (
        api.post(path, json={"to": "已派单", "department": "x"}, headers=AGENT).status_code == 403
    )
    wrong = api.post(path, json={"to": "已答复", "reply": "好了"}, headers=ADMIN)
    assert wrong.status_code == 409 and "不能改为「已答复」" in wrong.json()["error"]
    assert api.post(path, json={"to": "已派单"}, headers=ADMIN).status_code == 422
    assert api.post(path, json={"to": "已关闭"}, headers=ADMIN).status_code == 422
    assigned = api.post(path, json={"to": "已派单", "department": "市场监督管理局"}, headers=ADMIN)
    assert assigned.status_code == 200 and assigned.json()["status"] == "已派单"
    assert [h["to"] for h in assigned.json()["history"]] == ["已受理", "已派单"]
    assert api.get("/api/complaints/TS20000101001", headers=AGENT).status_code == 404


def test_the_complaint_queue_lists_counts_and_exports(api: TestClient) -> None:
    services = api.app.state.services  # type: ignore[attr-defined]
    draft = ComplaintDraft(
        channel="sms",
        sender="sms:+8613812345678",
        phone="13812345678",
        target="翠湖游船公司",
        incident_time="上周六",
        place="翠湖公园",
        category="价格欺诈",
        description="游船票价和公示的不一样",
    )
    number = services.complaints.submit(draft, idempotency_key="queue-1").number
    listed = api.get("/api/complaints", params={"category": "价格欺诈"}, headers=AGENT).json()
    assert [(c["number"], c["phone"], c["overdue"]) for c in listed] == [
        (number, "138****5678", False)
    ]
    assert api.get("/api/complaints", params={"status": "已回访"}, headers=AGENT).json() == []
    assert api.get("/api/complaints", params={"status": "done"}, headers=AGENT).status_code == 422
    stats = api.get("/api/complaints/stats", headers=AGENT).json()
    assert stats["total"] == 1 and stats["by_place"] == {"翠湖公园": 1}
    exported = api.get("/api/complaints/export", headers=ADMIN)
    assert exported.status_code == 200
    lines = exported.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("number,status,category") and number in lines[1]
    assert "13812345678" in lines[1]
    assert api.get("/api/complaints/export", headers=AGENT).status_code == 403


def test_departments_extension_and_supervision(api: TestClient) -> None:
    services = api.app.state.services  # type: ignore[attr-defined]
    departments = api.get("/api/departments", headers=AGENT).json()["departments"]
    assert "市场监督管理局" in departments
    number = services.complaints.submit(
        replace(DRAFT, sender="web:u10"), idempotency_key="api-12345"
    ).number
    base = f"/api/complaints/{number}"
    api.post(
        f"{base}/transitions", json={"to": "已派单", "department": departments[0]}, headers=ADMIN
    )
    early = api.post(f"{base}/supervision", json={"note": "加快"}, headers=ADMIN)
    assert early.status_code == 409 and "未超期" in early.json()["error"]
    assert api.post(f"{base}/extension", json={"days": 3}, headers=ADMIN).status_code == 422
    assert (
        api.post(f"{base}/extension", json={"days": 3, "reason": "x"}, headers=AGENT).status_code
        == 403
    )
    extended = api.post(
        f"{base}/extension", json={"days": 3, "reason": "需调取监控录像"}, headers=ADMIN
    )
    assert extended.status_code == 200
    body = extended.json()
    assert body["extension_days"] == 3
    assert (
        body["history"][-1]["action"] == "延期" and "需调取监控录像" in body["history"][-1]["note"]
    )
    too_long = api.post(f"{base}/extension", json={"days": 31, "reason": "x"}, headers=ADMIN)
    assert too_long.status_code == 422


def test_an_agent_files_a_work_order_once_however_often_it_is_clicked(api: TestClient) -> None:
    from concurrent.futures import ThreadPoolExecutor

    order = {
        "phone": "13912345678",
        "target": "云溪大酒店",
        "incident_time": "昨晚十点",
        "place": "云溪古镇",
        "category": "价格欺诈",
        "description": "来电人称入住时房价比预订时高了一倍",
        "call_id": "call-77",
        "idempotency_key": "call-77-order-1",
    }
    with ThreadPoolExecutor(4) as pool:
        responses = list(
            pool.map(lambda _: api.post("/api/complaints", json=order, headers=AGENT), range(4))
        )
    assert {r.status_code for r in responses} == {201}
    assert len({r.json()["number"] for r in responses}) == 1
    created = responses[0].json()
    assert created["sender"] == "voice:call-77" and created["phone"] == "139****5678"
    listed = api.get("/api/complaints", headers=ADMIN).json()
    assert [c["number"] for c in listed] == [created["number"]]
    bad_phone = api.post("/api/complaints", json={**order, "phone": "12345"}, headers=AGENT)
    assert bad_phone.status_code == 422 and "phone" in bad_phone.json()["error"]
    bad_category = api.post("/api/complaints", json={**order, "category": "吵架"}, headers=AGENT)
    assert bad_category.status_code == 422 and "类别须为" in bad_category.json()["error"]
    assert api.post("/api/complaints", json=order).status_code == 401
