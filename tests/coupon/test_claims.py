"""Templates, claims, audience rules, validity, issuing and expiry."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from linli.core import clock
from linli.core.jobs import run_due
from linli.coupon import service
from linli.events import build_registry
from linli.models import CouponTemplate, MemberCoupon
from linli.schedule import DUE_JOBS
from linli.tier import service as tiers
from tests.coupon.helpers import claim, code, coupon, window


def _count(t, model) -> int:
    with t.db.unit_of_work() as s:
        return s.scalar(select(func.count()).select_from(model)) or 0


def test_the_api_contract_body_creates_a_fixed_coupon(make):
    t = make.tenant()
    c = coupon(t, total=5, per_member_limit=2)
    assert c["id"] > 0 and c["kind"] == "fixed" and c["discount_fen"] == 1000 and c["min_spend_fen"] == 5000
    assert (c["total"], c["claimed"], c["remaining"], c["per_member_limit"]) == (5, 0, 5, 2)
    assert c["used"] == 0 and c["valid_to"].endswith("+08:00")
    assert t.client.get(f"/api/v1/coupons/{c['id']}", headers=t.op).json()["name"] == "满50减10"


@pytest.mark.parametrize("bad", [
    {"kind": "percent"},  # no percent_off
    {"kind": "percent", "percent_off": 100, "discount_fen": 0},
    {"discount_fen": 0},
    {"discount_fen": "1000"},  # strings are not numbers
    {"total": 0},
    {"per_member_limit": 0},
    {"valid_from": "2030-01-02T00:00:00", "valid_to": "2030-01-01T00:00:00"},
    {"valid_to": None},  # neither valid_to nor valid_days
    {"max_discount_fen": 500},  # caps percent coupons only
    {"tier_only": ["Gold!"]},
    {"category_ids": []},
    {"surprise": 1},
])
def test_bad_input_is_refused_and_nothing_is_written(make, bad):
    t = make.tenant()
    body = {"name": "坏券", "discount_fen": 1000, "min_spend_fen": 0, "total": 10, "per_member_limit": 1,
            **window(), **bad}
    r = t.client.post("/api/v1/coupons", headers=t.op, json={k: v for k, v in body.items() if v is not None})
    assert r.status_code == 422, r.text
    assert set(r.json()) == {"error"} and set(r.json()["error"]) == {"code", "message"}
    assert _count(t, CouponTemplate) == 0


def test_claim_limits_and_my_coupons(make):
    t = make.tenant()
    c = coupon(t, total=2, per_member_limit=1)
    a, b, d = t.members(3)
    first = claim(t, a, c["id"])
    assert first.status_code == 201 and first.json()["status"] == "available"
    again = claim(t, a, c["id"])
    assert again.status_code == 409 and code(again) == "limit_exceeded"
    assert claim(t, b, c["id"]).status_code == 201
    late = claim(t, d, c["id"])
    assert late.status_code == 409 and code(late) == "exhausted"
    mine = t.client.get("/api/v1/me/coupons", headers=a).json()["items"]
    assert [(m["id"], m["status"], m["source"]) for m in mine] == [(first.json()["member_coupon_id"],
                                                                     "available", "claim")]
    assert t.client.get("/api/v1/me/coupons?status=used", headers=a).json()["items"] == []
    op_view = t.client.get("/api/v1/coupons", headers=t.op).json()["items"][0]
    assert (op_view["claimed"], op_view["remaining"], op_view["used"]) == (2, 0, 0)


def test_idempotent_claim_returns_the_first_answer(make):
    t = make.tenant()
    c = coupon(t, per_member_limit=3)
    (h,) = t.members(1)
    r1, r2 = claim(t, h, c["id"], key="k-1"), claim(t, h, c["id"], key="k-1")
    assert r1.status_code == r2.status_code == 201
    assert r1.json() == r2.json() and r2.headers.get("Idempotent-Replayed") == "true"
    assert t.client.get(f"/api/v1/coupons/{c['id']}", headers=t.op).json()["claimed"] == 1


def test_not_claimable_inactive_or_outside_the_window(make):
    t = make.tenant()
    (h,) = t.members(1)
    later = coupon(t, **window(days_from=1, days_to=5))
    over = coupon(t, valid_from=None, valid_to=None, valid_days=3)
    off = coupon(t)
    t.client.patch(f"/api/v1/coupons/{off['id']}", headers=t.op, json={"active": False})
    for c in (later, off):
        r = claim(t, h, c["id"])
        assert r.status_code == 409 and code(r) == "not_claimable"
    assert claim(t, h, over["id"]).status_code == 201  # relative validity, no end: always open
    listed = t.client.get("/api/v1/coupons", headers=h).json()["items"]
    assert [(x["id"], x["claimable"]) for x in listed] == [(over["id"], False)]  # already claimed its one
    assert claim(t, h, 10**6).status_code == 404


def test_new_member_only_boundary_at_seven_days(make):
    t = make.tenant()
    c = coupon(t, new_member_only=True, per_member_limit=1, **window(days_to=60))
    young, old = t.members(2)
    joined = clock.now()
    try:
        clock.set_process_time(joined + timedelta(days=6, hours=23, minutes=59))
        assert claim(t, young, c["id"]).status_code == 201
        clock.set_process_time(joined + timedelta(days=7, seconds=1))
        r = claim(t, old, c["id"])
        assert r.status_code == 409 and code(r) == "not_claimable"
    finally:
        clock.set_process_time(None)


def test_tier_only(make):
    t = make.tenant()
    c = coupon(t, tier_only=["gold", "black"])
    gold, regular = t.members(2)
    with t.db.unit_of_work() as s:  # 5,000 growth makes a 黄金 member
        tiers.import_growth(s, t.tenant_id, _member_id(t, gold), 5000, "test:gold", clock.now())
    assert claim(t, gold, c["id"]).status_code == 201
    r = claim(t, regular, c["id"])
    assert r.status_code == 409 and code(r) == "not_claimable"


def _member_id(t, h) -> int:
    from linli.core.runtime import get_runtime

    return get_runtime().signer.verify(h["Authorization"].split()[1]).member_id


def test_relative_validity_is_capped_by_the_template_end(make):
    t = make.tenant()
    a, b = t.members(2)
    rel = coupon(t, valid_from=None, valid_to=None, valid_days=3)
    capped = coupon(t, valid_days=10, **window(days_to=2))
    got = claim(t, a, rel["id"]).json()
    assert _days(got) == pytest.approx(3, abs=1e-3)
    assert _days(claim(t, b, capped["id"]).json()) == pytest.approx(2, abs=1e-2)


def _days(out) -> float:
    from datetime import datetime

    span = datetime.fromisoformat(out["valid_to"]) - datetime.fromisoformat(out["claimed_at"])
    return span.total_seconds() / 86400


def test_expiry_job_marks_past_coupons_expired(make):
    t = make.tenant()
    (h,) = t.members(1)
    short = coupon(t, valid_from=None, valid_to=None, valid_days=1)
    long = coupon(t, valid_from=None, valid_to=None, valid_days=5)
    claim(t, h, short["id"])
    claim(t, h, long["id"])
    done = run_due(t.db, DUE_JOBS, build_registry(), clock.now() + timedelta(days=2))
    assert done["coupon.expire"] == 1
    mine = {m["template_id"]: m["status"] for m in t.client.get("/api/v1/me/coupons", headers=h).json()["items"]}
    assert mine == {short["id"]: "expired", long["id"]: "available"}
    assert run_due(t.db, DUE_JOBS, build_registry(), clock.now() + timedelta(days=2))["coupon.expire"] == 0


def test_operator_issues_to_members_and_to_a_community(make):
    t = make.tenant()
    t.default_community()
    other = t.community()["id"]
    a, b = t.members(2)
    far = t.members(3, community_id=other)
    c = coupon(t, total=3, per_member_limit=1)
    ids = [_member_id(t, h) for h in (a, b)]
    claim(t, a, c["id"])  # a is at the limit already: skipped
    r = t.post(f"/coupons/{c['id']}/issue", {"member_ids": ids}, expect=200)
    assert r == {"issued": 1, "skipped": 1}
    r = t.post(f"/coupons/{c['id']}/issue", {"community_id": other}, expect=200)
    assert r == {"issued": 1, "skipped": 2}  # only one left of the total of 3
    assert t.client.get(f"/api/v1/coupons/{c['id']}", headers=t.op).json()["claimed"] == 3
    assert [m["source"] for m in t.client.get("/api/v1/me/coupons", headers=b).json()["items"]] == ["issue"]
    got = [len(t.client.get("/api/v1/me/coupons", headers=h).json()["items"]) for h in far]
    assert sorted(got) == [0, 0, 1]


def test_issue_refuses_unknown_members_without_writing(make):
    t = make.tenant()
    (a,) = t.members(1)
    c = coupon(t)
    r = t.client.post(f"/api/v1/coupons/{c['id']}/issue", headers=t.op,
                      json={"member_ids": [_member_id(t, a), 10**9]})
    assert r.status_code == 422 and code(r) == "unknown_member"
    for body in ({}, {"member_ids": [1], "community_id": 1}, {"community_id": 10**9}):
        r = t.client.post(f"/api/v1/coupons/{c['id']}/issue", headers=t.op, json=body)
        assert r.status_code == 422, body
    assert _count(t, MemberCoupon) == 0


def test_issue_to_is_idempotent_on_its_key(make):
    t = make.tenant()
    (h,) = t.members(1)
    c = coupon(t, per_member_limit=5)
    mid = _member_id(t, h)
    with t.db.unit_of_work() as s:
        first = service.issue_to(s, t.tenant_id, c["id"], mid, "event", "welcome:1")
    with t.db.unit_of_work() as s:
        again = service.issue_to(s, t.tenant_id, c["id"], mid, "event", "welcome:1")
        other = service.issue_to(s, t.tenant_id, c["id"], mid, "event", "welcome:2")
    assert first is not None and again == first and other not in (None, first)
    assert t.client.get(f"/api/v1/coupons/{c['id']}", headers=t.op).json()["claimed"] == 2
    one = coupon(t, total=1)
    with t.db.unit_of_work() as s:
        assert service.issue_to(s, t.tenant_id, one["id"], mid, "event", "pack:1") is not None
        assert service.issue_to(s, t.tenant_id, one["id"], mid, "event", "pack:2") is None  # exhausted


def test_tier_rule_reads_the_tier_domain(make):
    """Without a stand-in: a fresh member is "regular" in the tier domain."""
    t = make.tenant()
    gold_only, for_regulars = coupon(t, tier_only=["gold"]), coupon(t, tier_only=["regular"])
    (h,) = t.members(1)
    r = claim(t, h, gold_only["id"])
    assert r.status_code == 409 and code(r) == "not_claimable"
    assert claim(t, h, for_regulars["id"]).status_code == 201
