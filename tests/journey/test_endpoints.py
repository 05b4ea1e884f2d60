"""The operator's journey API: checked definitions (422, nothing written), versions, pause and resume,
templates and the per-step funnel."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.api.conftest import API, assert_error, journey_body, row_counts
from tests.journey.helpers import coupon, due, joined_at, journey, runs
from tests.lifecycle.helpers import buy_and_pay

BAD = [
    ("journey_cycle", lambda d: d["steps"][3].update(next="coupon")),
    ("journey_unknown_step_type", lambda d: d["steps"][1].update(type="sleep")),
    ("journey_unknown_field", lambda d: d["steps"][1].update(colour="red")),
    ("journey_missing_target", lambda d: d["steps"][2].update(if_true="nowhere")),
    ("journey_unreachable_step", lambda d: d["steps"][2].update(if_false=None)),
    ("journey_duplicate_step", lambda d: d["steps"][3].update(id="coupon")),
    ("journey_unknown_trigger", lambda d: d["trigger"].update(topic="order.shipped")),
    ("journey_unknown_action", lambda d: d["steps"][3].update(action="call")),
    ("journey_bad_value", lambda d: d["trigger"].update(topic="member.stage_changed", filter={"to": "asleep"})),
]


@pytest.mark.parametrize(("code", "spoil"), BAD, ids=[b[0] for b in BAD])
def test_a_bad_definition_is_422_with_its_code_and_writes_nothing(make, db, code, spoil):
    t = make.tenant()
    body = journey_body(coupon(t))
    spoil(body["definition"])
    before = row_counts(db)
    r = t.client.post(f"{API}/journeys", json=body, headers=t.op)
    assert_error(r, 422, code)
    j = t.post("/journeys", journey_body(coupon(t, "另一张")))
    before = row_counts(db)
    r = t.client.patch(f"{API}/journeys/{j['id']}", json={"name": "改名", "definition": body["definition"]},
                       headers=t.op)
    assert_error(r, 422, code)
    assert row_counts(db) == before
    assert t.client.get(f"{API}/journeys/{j['id']}", headers=t.op).json()["name"] == "新人关怀"


def test_templates_and_versions(make):
    t = make.tenant()
    templates = t.client.get(f"{API}/journey-templates", headers=t.op).json()
    assert {x["code"] for x in templates} == {"welcome_48h", "fresh_recipe_3d", "silent_wakeup_30d",
                                              "idle_callback_3d"}
    c = coupon(t)
    j = t.post("/journeys/from-template", {"template": "welcome_48h", "coupon_template_id": c})
    assert (j["status"], j["version"], j["template_code"]) == ("draft", 1, "welcome_48h")
    assert j["definition"]["steps"][1]["template_id"] == c
    same = t.client.patch(f"{API}/journeys/{j['id']}", json={"definition": j["definition"]}, headers=t.op).json()
    assert same["version"] == 1  # nothing changed: no new version
    d = j["definition"]
    d["steps"][2]["hours"] = 12
    changed = t.client.patch(f"{API}/journeys/{j['id']}", json={"definition": d}, headers=t.op).json()
    assert changed["version"] == 2 and changed["definition"]["steps"][2]["hours"] == 12
    listed = t.client.get(f"{API}/journeys", headers=t.op, params={"status": "draft"}).json()["items"]
    assert [x["id"] for x in listed] == [j["id"]]


def test_paused_journeys_neither_enrol_nor_move_and_resume_where_they_were(make):
    t = make.tenant()
    c = coupon(t)
    j = journey(t, journey_body(c)["definition"])
    m1, _ = t.member()
    start = joined_at(t, m1["id"])
    due(t, start + timedelta(minutes=1))
    t.post(f"/journeys/{j['id']}/pause", None, expect=200)
    m2, _ = t.member()
    due(t, start + timedelta(hours=30))
    assert runs(t, m2["id"]) == []  # joined while paused: not enrolled
    assert runs(t, m1["id"])[-1][:2] == ("wait", "pending")  # waits where it was
    t.post(f"/journeys/{j['id']}/activate", None, expect=200)
    due(t, start + timedelta(hours=31))
    assert [r[0] for r in runs(t, m1["id"])] == ["coupon", "wait", "ordered", "gift"]


def test_funnel_counts_entered_completed_branches_and_conversions(make):
    t = make.tenant()
    c = coupon(t)
    j = journey(t, journey_body(c)["definition"], conversion_days=3)
    product = t.product()
    members = [t.member() for _ in range(4)]
    start = joined_at(t, members[0][0]["id"])
    due(t, start + timedelta(minutes=1))
    # two buy within the conversion window of the coupon, one after it, one never
    buy_and_pay(t, members[0][1], product["id"], at=start + timedelta(hours=2))
    due(t, start + timedelta(hours=25))  # the day's wait is over: only member 0 has ordered
    buy_and_pay(t, members[1][1], product["id"], at=start + timedelta(days=2))
    due(t, start + timedelta(days=2, hours=1))
    buy_and_pay(t, members[2][1], product["id"], at=start + timedelta(days=4))
    due(t, start + timedelta(days=4, hours=1))
    f = t.client.get(f"{API}/journeys/{j['id']}/funnel", headers=t.op).json()
    by = {s["step_id"]: s for s in f["steps"]}
    assert (f["enrolled"], f["finished"]) == (4, 4)
    assert (by["coupon"]["entered"], by["coupon"]["completed"], by["coupon"]["outcomes"]) == (4, 4, {"issued": 4})
    assert (by["coupon"]["converted"], by["coupon"]["conversion_rate"]) == (2, 0.5)
    assert by["ordered"]["outcomes"] == {"true": 1, "false": 3}
    assert by["gift"]["entered"] == 3 and by["gift"]["converted"] == 2  # members 1 (day 2) and 2 (day 4)
    assert by["wait"]["converted"] is None and by["wait"]["label"] == "等待24小时"
    assert by["coupon"]["label"] == "发放优惠券"


def test_events_from_before_activation_enrol_nobody(make):
    """A member who joined while the journey was a draft (the event still waiting in the outbox) is not
    taken in when it is switched on; one who joins afterwards is."""
    t = make.tenant()
    j = journey(t, journey_body(coupon(t))["definition"], activate=False)
    early, _ = t.member()
    t.post(f"/journeys/{j['id']}/activate", None, expect=200)
    late, _ = t.member()
    due(t, joined_at(t, late["id"]) + timedelta(minutes=1))
    assert runs(t, early["id"]) == []
    assert [r[0] for r in runs(t, late["id"])] == ["coupon", "wait"]
