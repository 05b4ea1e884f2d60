"""The console's 团长管理 pages: applications (approve / reject with a reason), the leaders list and one
leader's page (with the keep / replace decision), withdrawals review — and who is kept out."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient

from linli.core import clock
from linli.core.jobs import run_due
from linli.events import build_registry
from linli.schedule import DUE_JOBS
from tests.client import Client
from tests.factories import SAME_ORIGIN
from tests.leader.test_applications import _apply_body


def _console(t, headers, cookie="linli_token", path="/console") -> TestClient:
    c = Client(t.client.app, headers=SAME_ORIGIN)
    c.cookies.set(cookie, headers["Authorization"].removeprefix("Bearer "), domain="testserver.local", path=path)
    return c


def _application(t, app_id):
    return t.client.get(f"/api/v1/leader-applications/{app_id}", headers=t.op).json()


def test_applications_queue_reject_needs_a_reason_then_approve(make):
    t = make.tenant()
    cid = t.default_community()
    _, h1 = t.member()
    _, h2 = t.member()
    first = t.post("/leader-applications", _apply_body(cid), h1)
    second = t.post("/leader-applications", _apply_body(cid, real_name="李强"), h2)
    c = _console(t, t.op)
    html = c.get("/console/leader-applications").text
    assert "团长管理" in html and "团长招募" in html and "王芳" in html and "李强" in html
    assert first["id_number_masked"] in html and _apply_body(cid)["id_number"] not in html
    assert "未上传" in html

    r = c.post(f"/console/leader-applications/{first['id']}/reject", data={"reason": "  "})
    assert r.status_code == 422 and "请填写驳回原因" in r.text
    assert _application(t, first["id"])["status"] == "pending"  # nothing written
    r = c.post(f"/console/leader-applications/{first['id']}/reject", data={"reason": "住址不在小区内"},
               follow_redirects=False)
    assert r.status_code == 303 and _application(t, first["id"])["status"] == "rejected"
    assert "住址不在小区内" in c.get("/console/leader-applications?status=rejected").text
    r = c.post(f"/console/leader-applications/{first['id']}/approve")
    assert r.status_code == 409 and "已处理过" in r.text

    r = c.post(f"/console/leader-applications/{second['id']}/approve", follow_redirects=False)
    assert r.status_code == 303
    leader_id = _application(t, second["id"])["leader_id"]
    assert leader_id
    assert c.get("/console/leader-applications/999999/proof").status_code == 404

    listing = c.get("/console/leaders").text
    assert f'data-leader="{leader_id}"' in listing and "新团长" in listing
    page = c.get(f"/console/leaders/{leader_id}")
    assert page.status_code == 200 and "本月对账单" in page.text and "月度考核" in page.text
    assert c.get("/console/leaders/999999").status_code == 404


def test_withdrawal_review_reject_needs_a_reason_then_approve(make):
    t = make.tenant()
    leader_id, point_id, lh = t.leader()
    product = t.product(price_fen=10000)
    _, mh = t.member()
    order = t.post("/orders", {"items": [{"product_id": product["id"], "quantity": 1}], "pickup_point_id": point_id},
                   mh)
    t.post(f"/orders/{order['id']}/pay", None, mh, expect=200)
    code = t.client.get(f"/api/v1/orders/{order['id']}", headers=mh).json()["pickup_code"]
    t.post(f"/orders/{order['id']}/pickup", {"code": code}, lh, expect=200)
    run_due(t.db, DUE_JOBS, build_registry())
    run_due(t.db, DUE_JOBS, build_registry(), clock.now() + timedelta(days=30, minutes=1))
    available = t.client.get("/api/v1/leader/commission", headers=lh).json()["available_fen"]
    assert available > 0
    w = t.post("/leader/withdrawals", {"amount_fen": available}, {**lh, "Idempotency-Key": "k1"})

    c = _console(t, t.op)
    html = c.get("/console/withdrawals").text
    assert "提现审核" in html and f'data-withdrawal="{w["id"]}"' in html
    r = c.post(f"/console/withdrawals/{w['id']}/reject", data={"reason": ""})
    assert r.status_code == 422 and "请填写驳回原因" in r.text
    status = t.client.get("/api/v1/withdrawals", headers=t.op).json()["items"][0]["status"]
    assert status == "requested"  # nothing written
    r = c.post(f"/console/withdrawals/{w['id']}/approve", follow_redirects=False)
    assert r.status_code == 303
    assert t.client.get("/api/v1/withdrawals", headers=t.op).json()["items"][0]["status"] == "approved"
    r = c.post(f"/console/withdrawals/{w['id']}/reject", data={"reason": "重复"})
    assert r.status_code == 409 and "已处理过" in r.text
    detail = c.get(f"/console/leaders/{leader_id}").text
    assert "已打款" in detail and "提现打款" in detail


def test_leaders_and_members_are_refused_from_the_console_pages(make):
    t = make.tenant()
    _, _, lh = t.leader()
    _, mh = t.member()
    for headers in (lh, mh):
        c = _console(t, headers)
        for path in ("/console/leader-applications", "/console/leaders", "/console/withdrawals"):
            r = c.get(path, follow_redirects=False)
            assert r.status_code == 303 and r.headers["location"].startswith("/console/login")
        r = c.post("/console/withdrawals/1/approve", follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"].startswith("/console/login")
