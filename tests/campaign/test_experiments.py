"""A/B tests: variants on a campaign's recipients, exposures when sent, conversions by paid orders within the
window (once), results with the significance test, and standalone experiments."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from linli.campaign import stats
from linli.core import clock
from linli.models import Experiment, ExperimentExposure, ExperimentVariant, InboxMessage
from tests.campaign.helpers import buy_and_pay, campaign, due, launch, member_ids, segment
from tests.journey.helpers import coupon


def _variants(**kw):
    return [{"code": "A", "name": "原文案", "weight": 50, "is_control": True},
            {"code": "B", "name": "新文案", "weight": 50, "title": "月饼买一送一", **kw}]


def _exposures(t, experiment_id: int) -> dict[int, ExperimentExposure]:
    with t.db.unit_of_work() as s:
        rows = s.scalars(select(ExperimentExposure).where(ExperimentExposure.experiment_id == experiment_id)).all()
        s.expunge_all()
        return {r.member_id: r for r in rows}


def test_a_campaign_experiment_splits_recipients_and_records_exposures(make):
    t = make.tenant()
    hs = t.members(12)
    ids = member_ids(t, hs)
    c_id = coupon(t, "B组券")
    c = campaign(t, segment(t, ids))
    e = t.post("/experiments", {"name": "中秋文案测试", "campaign_id": c["id"], "conversion_days": 3,
                                "variants": _variants(coupon_template_id=c_id)})
    assert e["status"] == "draft" and [v["code"] for v in e["variants"]] == ["A", "B"]
    launch(t, c["id"])
    assert t.client.get(f"/api/v1/experiments/{e['id']}", headers=t.op).json()["status"] == "running"
    due(t)
    seen = _exposures(t, e["id"])
    assert sorted(seen) == ids
    with t.db.unit_of_work() as s:
        salt = s.scalar(select(Experiment.salt).where(Experiment.id == e["id"]))
        arm_ids = list(s.scalars(select(ExperimentVariant.id).where(ExperimentVariant.experiment_id == e["id"])
                                 .order_by(ExperimentVariant.position)))
        titles = {m.member_id: m.title for m in s.scalars(select(InboxMessage))}
    for m in ids:  # each member got the arm the hash gives, and that arm's message
        arm = stats.assign(salt, m, [50, 50])
        assert seen[m].variant_id == arm_ids[arm]
        assert titles[m] == ("中秋月饼到货啦", "月饼买一送一")[arm]
        assert seen[m].convert_by == seen[m].exposed_at + timedelta(days=3)
    got = t.client.get(f"/api/v1/experiments/{e['id']}/assignments/{ids[0]}", headers=t.op).json()
    assert got["variant_id"] == seen[ids[0]].variant_id and got["exposed_at"] is not None


def test_a_paid_order_within_the_window_converts_once(make):
    t = make.tenant()
    hs = t.members(3)
    ids = member_ids(t, hs)
    product = t.product()
    c = campaign(t, segment(t, ids))
    e = t.post("/experiments", {"name": "测试", "campaign_id": c["id"], "conversion_days": 2,
                                "variants": _variants()})
    launch(t, c["id"])
    due(t)
    now = clock.now()
    first = buy_and_pay(t, hs[0], product["id"], now + timedelta(hours=5))
    buy_and_pay(t, hs[0], product["id"], now + timedelta(hours=6))  # a second order converts nothing more
    buy_and_pay(t, hs[1], product["id"], now + timedelta(days=2, hours=1))  # after the window
    due(t, now + timedelta(days=3))
    due(t, now + timedelta(days=3))  # redelivery/rerun: the same
    seen = _exposures(t, e["id"])
    assert seen[ids[0]].order_id == first and seen[ids[0]].converted_at is not None
    assert seen[ids[1]].converted_at is None and seen[ids[2]].converted_at is None
    res = t.client.get(f"/api/v1/experiments/{e['id']}/results", headers=t.op).json()
    assert sum(v["exposed"] for v in res["variants"]) == 3
    assert sum(v["converted"] for v in res["variants"]) == 1
    assert res["winner"] is None  # three members prove nothing


def _seed_exposures(t, experiment_id: int, per_arm: list[tuple[int, int]]) -> None:
    """Exposures written straight into the table: (exposed, converted) per arm, members made in bulk."""
    total = sum(n for n, _ in per_arm)
    ids = member_ids(t, t.members(total)) if total <= 40 else _bulk_members(t, total)
    now = clock.now()
    with t.db.unit_of_work() as s:
        arms = list(s.scalars(select(ExperimentVariant.id).where(ExperimentVariant.experiment_id == experiment_id)
                              .order_by(ExperimentVariant.position)))
        i = 0
        for arm, (n, x) in zip(arms, per_arm, strict=True):
            for k in range(n):
                s.add(ExperimentExposure(tenant_id=t.tenant_id, experiment_id=experiment_id, variant_id=arm,
                                         member_id=ids[i], exposed_at=now, convert_by=now + timedelta(days=7),
                                         converted_at=now if k < x else None))
                i += 1


def _bulk_members(t, n: int) -> list[int]:
    from linli.models import Member, User

    now = clock.now()
    cid = t.default_community()
    with t.db.unit_of_work() as s:
        users = [User(tenant_id=t.tenant_id, username=f"bulk{k}", password_hash="x", role="member",
                      name=f"居民{k}")
                 for k in range(n)]
        s.add_all(users)
        s.flush()
        ms = [Member(tenant_id=t.tenant_id, user_id=u.id, name=f"居民{k}", phone=f"1370000{k:04d}",
                     community_id=cid, joined_at=now) for k, u in enumerate(users)]
        s.add_all(ms)
        s.flush()
        return [m.id for m in ms]


def test_results_name_a_winner_only_when_significant(make):
    t = make.tenant()
    e = t.post("/experiments", {"name": "独立实验", "variants": _variants()})
    _seed_exposures(t, e["id"], [(1000, 200), (1000, 250)])
    res = t.client.get(f"/api/v1/experiments/{e['id']}/results", headers=t.op).json()
    a, b = res["variants"]
    assert (a["exposed"], a["converted"], a["rate"]) == (1000, 200, 0.2)
    assert (b["exposed"], b["converted"], b["rate"]) == (1000, 250, 0.25)
    assert b["lift"] == pytest.approx(0.25) and b["diff"] == pytest.approx(0.05)
    assert b["p_value"] == pytest.approx(0.007420, abs=1e-5)
    assert b["ci_low"] == pytest.approx(0.013464, abs=1e-5) and b["ci_high"] == pytest.approx(0.086536, abs=1e-5)
    assert b["significant"] and res["winner"] == "B"
    assert res["chi2"] == pytest.approx(7.16846, abs=1e-4)


def test_no_winner_without_significance(make):
    t = make.tenant()
    e = t.post("/experiments", {"name": "独立实验", "variants": _variants()})
    _seed_exposures(t, e["id"], [(20, 4), (20, 5)])
    res = t.client.get(f"/api/v1/experiments/{e['id']}/results", headers=t.op).json()
    assert res["winner"] is None and not res["variants"][1]["significant"]


def test_a_standalone_experiment_exposes_by_call_once_and_stops(make):
    t = make.tenant()
    ids = member_ids(t, t.members(2))
    e = t.post("/experiments", {"name": "首页横幅", "variants": _variants()})
    r = t.client.post(f"/api/v1/experiments/{e['id']}/exposures", json={"member_id": ids[0]}, headers=t.op)
    assert r.status_code == 409 and r.json()["error"]["code"] == "experiment_not_running"
    t.post(f"/experiments/{e['id']}/start", None, expect=200)
    first = t.post(f"/experiments/{e['id']}/exposures", {"member_id": ids[0]})
    again = t.post(f"/experiments/{e['id']}/exposures", {"member_id": ids[0]})
    assert first == again
    bad = t.client.post(f"/api/v1/experiments/{e['id']}/exposures", json={"member_id": 999}, headers=t.op)
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "unknown_member"
    t.post(f"/experiments/{e['id']}/stop", None, expect=200)
    r = t.client.post(f"/api/v1/experiments/{e['id']}/stop", headers=t.op)
    assert r.status_code == 409 and r.json()["error"]["code"] == "experiment_bad_transition"
    assert len(_exposures(t, e["id"])) == 1


@pytest.mark.parametrize(("variants", "code"), [
    ([], "experiment_too_few_variants"),
    ([{"code": "A", "name": "甲", "weight": 100}], "experiment_too_few_variants"),
    ([{"code": "A", "name": "甲", "weight": 50}, {"code": "B", "name": "乙", "weight": 40}],
     "experiment_weights_not_100"),
    ([{"code": "A", "name": "甲", "weight": 50}, {"code": "A", "name": "乙", "weight": 50}],
     "experiment_duplicate_variant"),
    ([{"code": "A", "name": "甲", "weight": 50, "is_control": True},
      {"code": "B", "name": "乙", "weight": 50, "is_control": True}], "experiment_two_controls"),
    ([{"code": "A", "name": "甲", "weight": 50}, {"code": "B", "name": "乙", "weight": 50,
                                                   "coupon_template_id": 999}], "unknown_coupon_template"),
])
def test_bad_experiments_are_refused_whole(make, variants, code):
    t = make.tenant()
    r = t.client.post("/api/v1/experiments", json={"name": "坏实验", "variants": variants}, headers=t.op)
    assert r.status_code == 422 and r.json()["error"]["code"] == code, r.text
    with t.db.unit_of_work() as s:
        assert s.scalar(select(Experiment.id)) is None and s.scalar(select(ExperimentVariant.id)) is None


def test_an_experiment_joins_only_a_draft_campaign_once(make):
    t = make.tenant()
    c = campaign(t, segment(t, member_ids(t, t.members(1))))
    t.post("/experiments", {"name": "一", "campaign_id": c["id"], "variants": _variants()})
    r = t.client.post("/api/v1/experiments", json={"name": "二", "campaign_id": c["id"], "variants": _variants()},
                      headers=t.op)
    assert r.status_code == 409 and r.json()["error"]["code"] == "campaign_has_experiment"
    r = t.client.post("/api/v1/experiments", json={"name": "三", "campaign_id": 999, "variants": _variants()},
                      headers=t.op)
    assert r.status_code == 422 and r.json()["error"]["code"] == "unknown_campaign"
