"""Tenant B never sees A's events nor can name A's community or event (answered as for ids that never existed)."""

from __future__ import annotations

from tests.api.conftest import assert_error
from tests.calendar.test_events import event

API = "/api/v1"


def test_another_tenants_community_and_events_look_like_nothing(make):
    a, b = make.tenant(), make.tenant()
    a_community = a.community()["id"]
    a_event = a.post("/calendar/events", event("A的活动", community_id=a_community))
    a.post("/calendar/events", event("A全体活动"))
    b_community = b.community()["id"]
    ghost = a_community + 10_000
    for cid in (a_community, ghost):
        r = b.client.get(f"{API}/calendar", params={"month": "2026-10", "community_id": cid}, headers=b.op)
        assert_error(r, 404, "community_not_found")
    for eid in (a_event["id"], a_event["id"] + 10_000):
        assert_error(b.client.get(f"{API}/calendar/events/{eid}", headers=b.op), 404, "event_not_found")
        assert_error(b.client.delete(f"{API}/calendar/events/{eid}", headers=b.op), 404, "event_not_found")
    cal = b.client.get(f"{API}/calendar", params={"month": "2026-10"}, headers=b.op).json()
    assert not any(d["events"] for d in cal["days"])
    assert_error(b.client.post(f"{API}/calendar/events", json=event("越界", community_id=a_community), headers=b.op),
                 422, "unknown_community")
    assert b.client.get(f"{API}/calendar", params={"month": "2026-10", "community_id": b_community},
                        headers=b.op).status_code == 200
