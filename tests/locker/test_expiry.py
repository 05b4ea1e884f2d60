"""A parcel's clock: reminded once before expiry, then expired back to the leader with its compartment freed;
the order stays paid and the leader hands it out with the member's pickup code."""

from __future__ import annotations

from datetime import timedelta

from linli.core.outbox import drain
from linli.events import build_registry
from linli.locker import jobs
from tests.lifecycle.helpers import due
from tests.locker.helpers import API, code_of, collect, deposit, inbox, locker, order_status, paid_order, parcel_rows


def test_reminder_once_then_expiry_returns_the_parcel_to_the_leader(make, morning):
    t = make.tenant()
    t.client.put(f"{API}/settings", json={"hold_hours": 24, "remind_hours": 6}, headers=t.op).raise_for_status()
    lk = locker(t, small=1, medium=0)
    m, = t.members(1)
    member_id = t.client.get("/api/v1/me", headers=m).json()["member_id"]
    order_id = paid_order(t, lk, m)
    parcel = deposit(t, lk, order_id)
    assert parcel["expires_at"].startswith("2026-10-13T09:00")  # 24 h after 09:00 Shanghai

    assert jobs.run_due(t.db, morning + timedelta(hours=17)) == 0  # 7 h left: not yet
    assert len(inbox(t, member_id)) == 1
    assert jobs.run_due(t.db, morning + timedelta(hours=18, minutes=1)) == 1
    assert jobs.run_due(t.db, morning + timedelta(hours=19)) == 0  # a second run reminds no one again
    titles = [title for title, _ in inbox(t, member_id)]
    assert titles == ["您的包裹已放入智能柜", "智能柜包裹即将超时"]
    assert parcel_rows(t)[0].reminded_at is not None

    due(t, morning + timedelta(hours=24))  # the scheduler's run-due runs the locker job
    assert jobs.run_due(t.db, morning + timedelta(hours=25)) == 0
    row, = parcel_rows(t)
    assert (row.status, row.returned_at) == ("expired", None)
    assert [title for title, _ in inbox(t, member_id)][-1] == "智能柜包裹已退回团长"
    assert order_status(t, order_id) == "paid"
    boxes = t.client.get(f"{API}/{lk.id}/compartments", headers=lk.leader).json()
    assert [b["status"] for b in boxes] == ["free"]
    waiting, = t.client.get(f"{API}/expired", headers=lk.leader).json()
    assert waiting["order_id"] == order_id
    # the leader takes it back and hands it out with the order's own code
    t.post(f"/lockers/parcels/{row.id}/taken-back", None, lk.leader, expect=200)
    assert t.client.get(f"{API}/expired", headers=lk.leader).json() == []
    code = t.client.get(f"/api/v1/orders/{order_id}", headers=m).json()["pickup_code"]
    t.post(f"/orders/{order_id}/pickup", {"code": code}, lk.leader, expect=200)
    assert order_status(t, order_id) == "picked_up"


def test_settings_refuse_a_reminder_after_the_expiry(make):
    t = make.tenant()
    r = t.client.put(f"{API}/settings", json={"hold_hours": 12, "remind_hours": 12}, headers=t.op)
    assert r.status_code == 422 and r.json()["error"]["code"] == "invalid_locker_hours"
    assert t.client.get(f"{API}/settings", headers=t.op).json() == {"hold_hours": 48, "remind_hours": 12}


def test_a_refund_withdraws_the_parcel_and_the_code_stops_opening(make):
    t = make.tenant()
    lk = locker(t, small=1, medium=0)
    m, = t.members(1)
    order_id = paid_order(t, lk, m)
    parcel = deposit(t, lk, order_id)
    code = code_of(t, m, parcel["id"])
    t.post(f"/orders/{order_id}/refund", {"reason": "不想要了"}, m, expect=200)
    drain(t.db, build_registry())
    drain(t.db, build_registry())  # a second delivery changes nothing
    row, = parcel_rows(t)
    assert (row.status, order_status(t, order_id)) == ("expired", "refunded")
    assert collect(t, lk, code, m, expect=409)["error"]["code"] == "wrong_code"
    assert [b["status"] for b in t.client.get(f"{API}/{lk.id}/compartments", headers=lk.leader).json()] == ["free"]
    assert [x["order_id"] for x in t.client.get(f"{API}/expired", headers=lk.leader).json()] == [order_id]
