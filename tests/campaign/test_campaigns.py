"""Scenario campaigns: checked drafts, launch, batched sending through messaging, coupons, states, calendar."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from linli.campaign import sending
from linli.core import clock
from linli.models import InboxMessage, MemberCoupon, ScenarioCampaign
from tests.campaign.helpers import (
    campaign,
    campaign_body,
    deliveries,
    due,
    launch,
    member_ids,
    recipients,
    segment,
)
from tests.journey.helpers import coupon


def _count(t, model) -> int:
    with t.db.unit_of_work() as s:
        return int(s.scalar(select(func.count()).select_from(model).where(model.tenant_id == t.tenant_id)) or 0)


def test_launch_sends_each_member_of_the_segment_once_with_the_coupon(make):
    t = make.tenant()
    ids = member_ids(t, t.members(5))
    c_id = coupon(t, "中秋券")
    seg = segment(t, ids[:4])  # the fifth is not in the segment
    product = t.product()
    c = campaign(t, seg, link={"kind": "product", "id": product["id"]}, coupon_template_id=c_id)
    assert c["status"] == "draft" and c["link"]["url"] == f"/m/products/{product['id']}"
    assert c["scenario_label"] == "中秋节"
    assert deliveries(t, c["id"]) == []
    launched = launch(t, c["id"])
    assert launched["status"] == "running"
    due(t)
    assert deliveries(t, c["id"]) == [(m, "inbox", "sent") for m in ids[:4]]
    assert recipients(t, c["id"]) == {"sent": 4}
    with t.db.unit_of_work() as s:
        assert s.scalar(select(func.count()).select_from(MemberCoupon).where(
            MemberCoupon.template_id == c_id)) == 4
        inbox = s.scalars(select(InboxMessage).where(InboxMessage.member_id == ids[0])).all()
        assert [(m.title, m.link) for m in inbox] == [("中秋月饼到货啦", f"/m/products/{product['id']}")]
    got = t.client.get(f"/api/v1/scenario-campaigns/{c['id']}", headers=t.op).json()
    assert got["sending"] == {"recipients": 4, "pending": 0, "sent": 4, "skipped": 0}
    # a relaunch is refused, and running the sender again sends nothing more
    r = t.client.post(f"/api/v1/scenario-campaigns/{c['id']}/launch", headers=t.op)
    assert r.status_code == 409 and r.json()["error"]["code"] == "campaign_already_launched"
    due(t)
    with t.db.unit_of_work() as s:
        sending.send_batch(s, t.tenant_id, c["id"])
    assert len(deliveries(t, c["id"])) == 4
    assert _count(t, MemberCoupon) == 4


def test_a_large_segment_goes_out_in_batches_through_the_outbox(make, monkeypatch):
    monkeypatch.setattr(sending, "BATCH", 3)
    t = make.tenant()
    ids = member_ids(t, t.members(8))
    c = campaign(t, segment(t, ids))
    launch(t, c["id"])
    assert deliveries(t, c["id"]) == []  # nothing is sent inside the request
    due(t)  # the outbox: campaign.send -> a batch of 3 -> campaign.send -> … until none is left
    assert [m for m, _, _ in deliveries(t, c["id"])] == ids
    assert recipients(t, c["id"]) == {"sent": 8}


def test_a_campaign_launched_before_its_window_waits_then_runs_and_ends(make):
    t = make.tenant()
    ids = member_ids(t, t.members(2))
    start = clock.now() + timedelta(days=2)
    c = campaign(t, segment(t, ids), start=start, days=3)
    assert launch(t, c["id"])["status"] == "scheduled"
    due(t, start - timedelta(minutes=1))
    assert deliveries(t, c["id"]) == []
    due(t, start + timedelta(minutes=1))
    got = t.client.get(f"/api/v1/scenario-campaigns/{c['id']}", headers=t.op).json()
    assert got["status"] == "running" and len(deliveries(t, c["id"])) == 2
    due(t, start + timedelta(days=3, minutes=1))
    got = t.client.get(f"/api/v1/scenario-campaigns/{c['id']}", headers=t.op).json()
    assert got["status"] == "ended" and got["finished_at"] is not None


def test_cancel_stops_what_is_not_sent_and_is_final(make):
    t = make.tenant()
    ids = member_ids(t, t.members(3))
    c = campaign(t, segment(t, ids), start=clock.now() + timedelta(days=1))
    launch(t, c["id"])
    assert t.post(f"/scenario-campaigns/{c['id']}/cancel", None, expect=200)["status"] == "cancelled"
    due(t, clock.now() + timedelta(days=2))
    assert deliveries(t, c["id"]) == []
    for action in ("cancel", "launch"):
        r = t.client.post(f"/api/v1/scenario-campaigns/{c['id']}/{action}", headers=t.op)
        assert r.status_code == 409


def test_unsubscribed_members_are_skipped_and_marketing_waits_for_the_quiet_hours_to_end(make):
    t = make.tenant()
    hs = t.members(2)
    ids = member_ids(t, hs)
    r = t.client.put("/api/v1/me/message-preferences", json={"marketing": False, "sms": True, "wechat": True},
                     headers=hs[1])
    assert r.status_code == 200, r.text
    c = campaign(t, segment(t, ids))
    launch(t, c["id"])
    late = clock.local(clock.now()).replace(hour=23)
    due(t, late)
    assert deliveries(t, c["id"]) == [(ids[0], "inbox", "deferred"), (ids[1], "inbox", "skipped")]
    assert recipients(t, c["id"]) == {"sent": 1, "skipped": 1}


@pytest.mark.parametrize(("change", "code"), [
    ({"segment_id": 999}, "unknown_segment"),
    ({"ends_at": "2026-09-19T10:00:00+08:00"}, "invalid_window"),
    ({"link": {"kind": "flash_sale", "id": 999}}, "unknown_link_target"),
    ({"coupon_template_id": 999}, "unknown_coupon_template"),
    ({"community_ids": [999]}, "unknown_community"),
])
def test_bad_drafts_are_refused_whole(make, change, code):
    t = make.tenant()
    seg = segment(t, member_ids(t, t.members(1)))
    body = campaign_body(seg, start=clock.now()) | change
    r = t.client.post("/api/v1/scenario-campaigns", json=body, headers=t.op)
    assert r.status_code == 422 and r.json()["error"]["code"] == code, r.text
    assert _count(t, ScenarioCampaign) == 0


def test_two_live_campaigns_to_one_segment_may_not_overlap(make):
    t = make.tenant()
    seg = segment(t, member_ids(t, t.members(1)))
    first = campaign(t, seg, start=clock.now(), days=7)
    r = t.client.post("/api/v1/scenario-campaigns", json=campaign_body(seg, start=clock.now() + timedelta(days=6)),
                      headers=t.op)
    assert r.status_code == 422 and r.json()["error"]["code"] == "window_overlaps"
    campaign(t, seg, start=clock.now() + timedelta(days=7))  # right after it: fine
    t.post(f"/scenario-campaigns/{first['id']}/cancel", None, expect=200)
    campaign(t, seg, start=clock.now() + timedelta(days=1), days=2)  # a cancelled one no longer counts
    assert _count(t, ScenarioCampaign) == 3


def test_only_drafts_are_edited(make):
    t = make.tenant()
    seg = segment(t, member_ids(t, t.members(1)))
    c = campaign(t, seg)
    r = t.client.patch(f"/api/v1/scenario-campaigns/{c['id']}", json={"title": "停水通知", "scenario": "water_outage"},
                       headers=t.op)
    assert r.status_code == 200 and r.json()["title"] == "停水通知" and r.json()["scenario_label"] == "停水通知"
    bad = t.client.patch(f"/api/v1/scenario-campaigns/{c['id']}", json={"ends_at": c["starts_at"]}, headers=t.op)
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "invalid_window"
    launch(t, c["id"])
    r = t.client.patch(f"/api/v1/scenario-campaigns/{c['id']}", json={"title": "改"}, headers=t.op)
    assert r.status_code == 409 and r.json()["error"]["code"] == "campaign_not_draft"


def test_the_calendar_lists_campaigns_by_day(make):
    t = make.tenant()
    seg = segment(t, member_ids(t, t.members(1)))
    c = campaign(t, seg, start=clock.as_utc(clock.local(clock.now()).replace(day=28, hour=9)), days=3)
    seg2 = segment(t, [], name="另一人群")
    other = campaign(t, seg2, start=clock.as_utc(clock.local(clock.now()).replace(month=10, day=5, hour=9)), days=1)
    sep = t.client.get("/api/v1/scenario-campaigns/calendar?month=2026-09", headers=t.op).json()
    assert [x["id"] for x in sep["campaigns"]] == [c["id"]]
    by_day = {d["day"]: d["campaigns"] for d in sep["days"]}
    assert len(by_day) == 30 and by_day["2026-09-27"] == [] and by_day["2026-09-28"] == [c["id"]]
    assert by_day["2026-09-30"] == [c["id"]]
    octo = t.client.get("/api/v1/scenario-campaigns/calendar?month=2026-10", headers=t.op).json()
    by_day = {d["day"]: d["campaigns"] for d in octo["days"]}
    assert by_day["2026-10-01"] == [c["id"]] and by_day["2026-10-02"] == [] and by_day["2026-10-05"] == [other["id"]]
    assert t.client.get("/api/v1/scenario-campaigns/calendar?month=2026-13", headers=t.op).status_code == 422
    for far in ("0001-01", "9999-12"):  # instants the clock cannot convert: refused, not a 500 (found by the fuzz)
        r = t.client.get(f"/api/v1/scenario-campaigns/calendar?month={far}", headers=t.op)
        assert r.status_code == 422 and r.json()["error"]["code"] == "validation_error", r.text
