"""Crisis cases: opened from an alert or by hand, the playbook's steps, overdue steps, closing."""

from __future__ import annotations

from datetime import datetime, timedelta

from linli.core import clock
from tests.alert.helpers import YESTERDAY, add_orders, point_of, run
from tests.factories import Factory


def test_a_case_from_an_alert_gets_the_playbook_and_acknowledges_the_alert(make: Factory) -> None:
    kit = make.tenant()
    c = kit.community()
    m, _ = kit.member(c["id"])
    add_orders(kit.db, kit.tenant_id, m["id"], point_of(kit, c["id"]), 20, at=YESTERDAY, status="cancelled")
    [alert] = run(kit.db, kit.tenant_id, "cancel_rate")
    case = kit.post("/crises", {"title": "取消率异常", "severity": 2, "description": "昨日取消率100%",
                                "alert_id": alert.id})
    assert [st["title"] for st in case["steps"]] == ["启动应急小组", "暂停相关商品销售", "发布情况说明", "启动补偿",
                                                     "完成用户回访", "提交整改报告(复盘)"]
    due = [clock.as_utc(datetime.fromisoformat(st["due_at"])) - clock.now()
           for st in case["steps"]]
    assert due == [timedelta(minutes=15), timedelta(hours=1), timedelta(hours=2), timedelta(hours=24),
                   timedelta(days=3), timedelta(days=7)]
    got = kit.client.get(f"/api/v1/alerts/{alert.id}", headers=kit.op).json()
    assert got["status"] == "acknowledged" and f"#{case['id']}" in got["note"]
    r = kit.client.post("/api/v1/crises", json={"title": "x", "alert_id": 999}, headers=kit.op)
    assert r.status_code == 422 and r.json()["error"]["code"] == "unknown_alert"


def test_steps_are_assigned_done_and_overdue_shows(make: Factory) -> None:
    kit = make.tenant()
    case = kit.post("/crises", {"title": "菜品变质投诉", "severity": 1})
    first, second = case["steps"][0], case["steps"][1]
    clock.set_process_time(clock.now() + timedelta(minutes=90))  # past the first two deadlines
    listed = kit.client.get("/api/v1/crises", headers=kit.op).json()["items"]
    assert listed[0]["overdue_steps"] == 2
    url = f"/api/v1/crises/{case['id']}/steps/{first['id']}"
    done = kit.client.patch(url, json={"done": True, "note": "小组已组建"}, headers=kit.op).json()
    assert done["done_at"] is not None and done["overdue"] is False
    r = kit.client.patch(f"/api/v1/crises/{case['id']}/steps/{second['id']}", json={"owner_user_id": 999},
                         headers=kit.op)
    assert r.status_code == 422 and r.json()["error"]["code"] == "unknown_owner"
    detail = kit.client.get(f"/api/v1/crises/{case['id']}", headers=kit.op).json()
    assert detail["overdue_steps"] == 1 and [s["overdue"] for s in detail["steps"][:2]] == [False, True]
    closed = kit.client.post(f"/api/v1/crises/{case['id']}/close", json={"note": "已复盘"}, headers=kit.op)
    assert closed.json()["status"] == "closed"
    again = kit.client.post(f"/api/v1/crises/{case['id']}/close", json={}, headers=kit.op)
    assert again.status_code == 409 and again.json()["error"]["code"] == "crisis_closed"
