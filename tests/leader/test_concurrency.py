"""Recruitment under contention: one open application per member, one decision per application — the
database decides (a unique open-application column, a conditional status update), never a read-then-write."""

from __future__ import annotations

from collections import Counter
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func, select

from linli.models import Leader, LeaderApplication, PickupPoint
from tests.leader.test_applications import _apply_body


def _code(r) -> str | None:
    return r.json()["error"]["code"] if r.status_code >= 400 else None


def _rows(t, model, *where) -> int:
    with t.db.unit_of_work() as s:
        return int(s.scalar(select(func.count()).select_from(model).where(model.tenant_id == t.tenant_id, *where)))


def _pending_application(t):
    member, h = t.member()
    return member, t.post("/leader-applications", _apply_body(t.default_community()), h), _rows(t, PickupPoint)


def test_20_parallel_applications_by_one_member_open_exactly_one(make):
    t = make.tenant()
    _, h = t.member()
    body = _apply_body(t.default_community())

    def attempt(_i):
        r = t.client.post("/api/v1/leader-applications", headers=h, json=body)
        return r.status_code, _code(r)

    with ThreadPoolExecutor(max_workers=20) as pool:
        results = Counter(pool.map(attempt, range(20)))
    assert results == {(201, None): 1, (409, "application_exists"): 19}
    assert _rows(t, LeaderApplication, LeaderApplication.status == "pending") == 1


def test_approvals_and_rejections_racing_decide_an_application_once(make):
    t = make.tenant()
    member, app, points_before = _pending_application(t)

    def attempt(i):
        if i % 2:
            r = t.client.post(f"/api/v1/leader-applications/{app['id']}/reject", headers=t.op,
                              json={"reason": "资料不全"})
        else:
            r = t.client.post(f"/api/v1/leader-applications/{app['id']}/approve", headers=t.op)
        return ("reject" if i % 2 else "approve"), r.status_code, _code(r)

    with ThreadPoolExecutor(max_workers=20) as pool:
        results = Counter(pool.map(attempt, range(20)))
    winners = [k for k in results if k[1] == 200]
    assert len(winners) == 1 and results[winners[0]] == 1, results
    assert sum(n for (_, status, code), n in results.items() if (status, code) == (409, "not_pending")) == 19
    decision = winners[0][0]
    final = t.client.get(f"/api/v1/leader-applications/{app['id']}", headers=t.op).json()
    leaders = _rows(t, Leader, Leader.member_id == member["id"])
    if decision == "approve":
        assert final["status"] == "approved" and leaders == 1 and _rows(t, PickupPoint) == points_before + 1
    else:
        assert final["status"] == "rejected" and leaders == 0 and _rows(t, PickupPoint) == points_before


def test_16_parallel_approvals_make_one_leader_and_one_pickup_point(make):
    t = make.tenant()
    member, app, points_before = _pending_application(t)

    def attempt(_i):
        r = t.client.post(f"/api/v1/leader-applications/{app['id']}/approve", headers=t.op)
        return r.status_code, _code(r)

    with ThreadPoolExecutor(max_workers=16) as pool:
        results = Counter(pool.map(attempt, range(16)))
    assert results == {(200, None): 1, (409, "not_pending"): 15}
    assert _rows(t, Leader, Leader.member_id == member["id"]) == 1
    assert _rows(t, PickupPoint) == points_before + 1
