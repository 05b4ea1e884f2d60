"""Lifecycle HTTP: the distribution chart, access rules and invalid input."""

from __future__ import annotations

from datetime import timedelta

from linli.core import clock
from tests.lifecycle.helpers import due, events, joined_at, picked_up, rate


def test_distribution_replays_the_history(make):
    t = make.tenant()
    _, (m2, _) = t.member(), t.member()
    j = joined_at(t, m2["id"])
    due(t, j + timedelta(days=8))
    clock.set_process_time(j + timedelta(days=8))
    try:
        r = t.client.get("/api/v1/lifecycle/distribution?days=10", headers=t.op)
    finally:
        clock.set_process_time(None)
    assert r.status_code == 200
    body = r.json()
    assert body["stages"] == ["new", "active", "silent", "dormant", "core"]
    items = body["items"]
    assert len(items) == 10 and items[-1]["day"] == clock.local(j + timedelta(days=8)).date().isoformat()
    assert items[0] == {"day": items[0]["day"], "new": 0, "active": 0, "silent": 0, "dormant": 0, "core": 0}
    joined_day = clock.local(j).date().isoformat()
    assert next(x for x in items if x["day"] == joined_day)["new"] == 2
    assert items[-1]["active"] == 2 and items[-1]["new"] == 0


def test_access_and_validation(make):
    t = make.tenant()
    m, h = t.member()
    assert t.client.get(f"/api/v1/members/{m['id']}/lifecycle", headers=h).status_code == 403
    assert t.client.get("/api/v1/me/lifecycle", headers=t.op).status_code == 403
    missing = t.client.get("/api/v1/members/999999/lifecycle", headers=t.op)
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "member_not_found"
    other = make.tenant()
    assert other.client.get(f"/api/v1/members/{m['id']}/lifecycle", headers=other.op).status_code == 404
    # interactions are recorded where they happen; a member cannot report one (issue 11)
    for body in ({"kind": "share"}, {"kind": "review"}, {}):
        r = t.client.post("/api/v1/me/interactions", json=body, headers=h)
        assert r.status_code in (404, 405) and r.json()["error"]["code"], r.text
    for bad in ({"silent_days": 30, "dormant_days": 30}, {"new_days": 0}, {"core_orders": "3"}):
        r = t.client.put("/api/v1/lifecycle/settings", json=bad, headers=t.op)
        assert r.status_code == 422 and "error" in r.json(), r.text
    for q in ("days=0", "days=400", "days=x"):
        assert t.client.get(f"/api/v1/lifecycle/distribution?{q}", headers=t.op).status_code == 422


def test_a_review_is_an_interaction_recorded_where_it_happens(make):
    t = make.tenant()
    _, point_id, leader_h = t.leader()
    product = t.product(price_fen=100)
    m, h = t.member()
    order_id = picked_up(t, h, product["id"], point_id, leader_h)
    assert [e["kind"] for e in events(t, "member.interacted", m["id"])] == []
    rate(t, h, order_id)
    assert [(e["kind"], e["ref"]) for e in events(t, "member.interacted", m["id"])] == [
        ("review", f"order:{order_id}")]
    due(t)
    view = t.client.get(f"/api/v1/members/{m['id']}/lifecycle", headers=t.op).json()
    assert view["last_interaction_at"] is not None
