"""Pilots (试点-复盘-推广): a campaign sent to the pilot communities only, a review of pilot against the rest,
the roll-out that reaches everyone else once, and the state machine."""

from __future__ import annotations

from datetime import timedelta

import pytest

from linli.core import clock
from tests.campaign.helpers import buy_and_pay, campaign, deliveries, due, launch, member_ids, segment


def _town(t):
    """Three communities: 3 + 3 + 2 members, all in one segment."""
    a, b, c = t.community(), t.community(), t.community()
    ha, hb, hc = t.members(3, a["id"]), t.members(3, b["id"]), t.members(2, c["id"])
    ids = {k: member_ids(t, hs) for k, hs in (("a", ha), ("b", hb), ("c", hc))}
    seg = segment(t, ids["a"] + ids["b"] + ids["c"])
    return (a, b, c), (ha, hb, hc), ids, seg


def test_pilot_review_and_roll_out(make):
    t = make.tenant()
    (a, b, c), (ha, hb, _hc), ids, seg = _town(t)
    product = t.product(price_fen=1500)
    camp = campaign(t, seg, days=10)
    pilot = t.post("/pilots", {"name": "中秋试点", "campaign_id": camp["id"], "community_ids": [a["id"]]})
    assert pilot["status"] == "pilot" and pilot["starts_at"] == camp["starts_at"]
    assert t.client.get(f"/api/v1/scenario-campaigns/{camp['id']}", headers=t.op).json()["community_ids"] == [a["id"]]
    launch(t, camp["id"])
    due(t)
    assert [m for m, _, _ in deliveries(t, camp["id"])] == ids["a"]  # the pilot community only
    now = clock.now()
    buy_and_pay(t, ha[0], product["id"], now + timedelta(hours=1))
    buy_and_pay(t, ha[0], product["id"], now + timedelta(hours=2))
    buy_and_pay(t, ha[1], product["id"], now + timedelta(hours=3))
    buy_and_pay(t, hb[0], product["id"], now + timedelta(hours=4))
    buy_and_pay(t, hb[0], product["id"], now - timedelta(hours=2))  # before the window: not counted
    clock.set_process_time(now + timedelta(days=2))
    review = t.client.get(f"/api/v1/pilots/{pilot['id']}/review", headers=t.op).json()
    assert review["pilot"] == {"communities": 1, "members": 3, "buyers": 2, "orders": 3, "gmv_fen": 4500,
                               "participation_rate": pytest.approx(2 / 3, abs=1e-6),
                               "orders_per_member": 1.0, "gmv_per_member_fen": 1500}
    assert review["rest"] == {"communities": 2, "members": 5, "buyers": 1, "orders": 1, "gmv_fen": 1500,
                              "participation_rate": 0.2, "orders_per_member": 0.2, "gmv_per_member_fen": 300}
    assert review["participation_lift"] == pytest.approx((2 / 3) / 0.2 - 1, abs=1e-5)
    assert [(r["community_id"], r["in_pilot"], r["buyers"]) for r in review["communities"]] == [
        (a["id"], True, 2), (b["id"], False, 1), (c["id"], False, 0)]
    r = t.client.post(f"/api/v1/pilots/{pilot['id']}/roll-out", headers=t.op)
    assert r.status_code == 409 and r.json()["error"]["code"] == "pilot_bad_transition"  # review first
    reviewed = t.post(f"/pilots/{pilot['id']}/reviewed", {"note": "参与率提升明显，推广"}, expect=200)
    assert reviewed["status"] == "reviewed" and reviewed["review_note"] == "参与率提升明显，推广"
    rolled = t.post(f"/pilots/{pilot['id']}/roll-out", {"community_ids": None}, expect=200)
    assert rolled["status"] == "rolled_out" and rolled["rollout_community_ids"] is None
    due(t)
    sent = [m for m, _, _ in deliveries(t, camp["id"])]
    assert sorted(sent) == sorted(ids["a"] + ids["b"] + ids["c"])  # everyone now, each once
    for action in ("reviewed", "roll-out", "abandon"):
        r = t.client.post(f"/api/v1/pilots/{pilot['id']}/{action}", headers=t.op)
        assert r.status_code == 409 and r.json()["error"]["code"] == "pilot_bad_transition"


def test_roll_out_to_chosen_communities_only(make):
    t = make.tenant()
    (a, b, _c), _hs, ids, seg = _town(t)
    camp = campaign(t, seg)
    pilot = t.post("/pilots", {"name": "试点", "campaign_id": camp["id"], "community_ids": [a["id"]]})
    launch(t, camp["id"])
    t.post(f"/pilots/{pilot['id']}/reviewed", None, expect=200)
    rolled = t.post(f"/pilots/{pilot['id']}/roll-out", {"community_ids": [b["id"]]}, expect=200)
    assert rolled["rollout_community_ids"] == sorted([a["id"], b["id"]])
    due(t)
    assert sorted(m for m, _, _ in deliveries(t, camp["id"])) == sorted(ids["a"] + ids["b"])


def test_an_abandoned_pilot_never_widens(make):
    t = make.tenant()
    (a, _b, _c), _hs, ids, seg = _town(t)
    camp = campaign(t, seg)
    pilot = t.post("/pilots", {"name": "试点", "campaign_id": camp["id"], "community_ids": [a["id"]]})
    launch(t, camp["id"])
    assert t.post(f"/pilots/{pilot['id']}/abandon", None, expect=200)["status"] == "abandoned"
    r = t.client.post(f"/api/v1/pilots/{pilot['id']}/reviewed", headers=t.op)
    assert r.status_code == 409
    due(t)
    assert [m for m, _, _ in deliveries(t, camp["id"])] == ids["a"]


def test_a_standalone_experiment_pilot_exposes_only_pilot_members_until_rolled_out(make):
    t = make.tenant()
    (a, _b, _c), _hs, ids, _seg = _town(t)
    e = t.post("/experiments", {"name": "横幅", "variants": [{"code": "A", "name": "甲", "weight": 50},
                                                           {"code": "B", "name": "乙", "weight": 50}]})
    t.post(f"/experiments/{e['id']}/start", None, expect=200)
    pilot = t.post("/pilots", {"name": "实验试点", "experiment_id": e["id"], "community_ids": [a["id"]]})
    t.post(f"/experiments/{e['id']}/exposures", {"member_id": ids["a"][0]})
    r = t.client.post(f"/api/v1/experiments/{e['id']}/exposures", json={"member_id": ids["b"][0]}, headers=t.op)
    assert r.status_code == 409 and r.json()["error"]["code"] == "outside_pilot"
    t.post(f"/pilots/{pilot['id']}/reviewed", None, expect=200)
    t.post(f"/pilots/{pilot['id']}/roll-out", None, expect=200)
    t.post(f"/experiments/{e['id']}/exposures", {"member_id": ids["b"][0]})


@pytest.mark.parametrize(("change", "status", "code"), [
    ({"campaign_id": None}, 422, "pilot_subject_required"),
    ({"experiment_id": 1}, 422, "pilot_subject_required"),
    ({"community_ids": []}, 422, "pilot_no_communities"),
    ({"community_ids": [999]}, 422, "unknown_community"),
    ({"campaign_id": 999}, 422, "unknown_campaign"),
    ({"ends_at": "2020-01-01T00:00:00+08:00"}, 422, "invalid_window"),
])
def test_bad_pilots_are_refused_whole(make, change, status, code):
    t = make.tenant()
    (a, _b, _c), _hs, _ids, seg = _town(t)
    camp = campaign(t, seg)
    body = {"name": "试点", "campaign_id": camp["id"], "community_ids": [a["id"]]} | change
    r = t.client.post("/api/v1/pilots", json=body, headers=t.op)
    assert r.status_code == status and r.json()["error"]["code"] == code, r.text
    assert t.client.get("/api/v1/pilots", headers=t.op).json()["items"] == []
    assert t.client.get(f"/api/v1/scenario-campaigns/{camp['id']}", headers=t.op).json()["community_ids"] is None


def test_a_running_campaign_cannot_start_a_pilot_and_one_open_pilot_per_subject(make):
    t = make.tenant()
    (a, b, _c), _hs, _ids, seg = _town(t)
    camp = campaign(t, seg, start=clock.now() + timedelta(days=1))
    t.post("/pilots", {"name": "试点", "campaign_id": camp["id"], "community_ids": [a["id"]]})
    r = t.client.post("/api/v1/pilots", json={"name": "再试", "campaign_id": camp["id"], "community_ids": [b["id"]]},
                      headers=t.op)
    assert r.status_code == 409 and r.json()["error"]["code"] == "pilot_exists"
    running = campaign(t, segment(t, [], name="空"), start=clock.now() - timedelta(minutes=5))
    launch(t, running["id"])
    r = t.client.post("/api/v1/pilots", json={"name": "晚了", "campaign_id": running["id"],
                                              "community_ids": [a["id"]]}, headers=t.op)
    assert r.status_code == 409 and r.json()["error"]["code"] == "campaign_not_draft"
