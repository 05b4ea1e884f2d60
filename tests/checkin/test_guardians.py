"""The monthly 社区守护者 TOP10 per community, awarded by the due job on the 1st (Asia/Shanghai)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

import pytest
from sqlalchemy import func, select

from linli.checkin.jobs import award_guardians
from linli.core import clock
from linli.core.jobs import run_due
from linli.events import build_registry
from linli.models import GuardianAward
from linli.points import service as points
from linli.schedule import DUE_JOBS

NEW_YEAR = datetime(2027, 1, 1, 0, 0, tzinfo=clock.SHANGHAI)


def _members_of(t, community_id: int) -> list[dict]:
    r = t.client.get("/api/v1/members", headers=t.op, params={"community_id": community_id, "limit": 50})
    return sorted(r.json()["items"], key=lambda m: m["id"])


def _earn(t, member_id: int, action: str, units: int, at: datetime, key: str) -> None:
    with clock.frozen_at(at), t.db.unit_of_work() as s:
        assert points.earn(s, t.tenant_id, member_id, action, key, units=units) > 0


def _guardians(t, community_id: int, headers, month: str | None = "2026-12") -> dict:
    params = {"month": month} if month else {}
    r = t.client.get(f"/api/v1/communities/{community_id}/guardians", headers=headers, params=params)
    assert r.status_code == 200, r.text
    return r.json()


def _balance(t, member_id: int) -> int:
    with t.db.unit_of_work() as s:
        return points.balance(s, t.tenant_id, member_id)


def _award_count(t) -> int:
    with t.db.unit_of_work() as s:
        return s.scalar(select(func.count()).select_from(GuardianAward)
                        .where(GuardianAward.tenant_id == t.tenant_id)) or 0


def test_top10_per_community_on_the_first_of_the_month(make):
    t = make.tenant()
    a, b = t.community()["id"], t.community()["id"]
    ha = t.members(12, a)
    t.members(3, b)
    in_a, in_b = _members_of(t, a), _members_of(t, b)
    assert len(in_a) == 12 and len(in_b) == 3
    t.client.put("/api/v1/guardian-program", headers=t.op, json={"bonus_points": 50})

    december = datetime(2026, 12, 15, 10, 0, tzinfo=clock.SHANGHAI)
    # contribution in A, by member (ascending id): ties at 100/100 and at the 10th place (40/40)
    scores = [120, 110, 100, 100, 90, 80, 70, 60, 50, 40, 40, 30]
    for m, n in zip(in_a, scores, strict=True):
        _earn(t, m["id"], "invite", n, december, f"test:{m['id']}")
    with clock.frozen_at(datetime(2026, 12, 5, 9, 0, tzinfo=clock.SHANGHAI)):  # check-ins count too
        assert t.client.post("/api/v1/checkins", headers=ha[0]).json()["points"] == 5
    # spend is not contribution; earnings outside the month do not count (the month is [start, end))
    _earn(t, in_a[11]["id"], "order_paid", 1000, december, "test:spend")
    _earn(t, in_a[10]["id"], "invite", 100, datetime(2026, 11, 30, 23, 59, tzinfo=clock.SHANGHAI), "test:nov")
    _earn(t, in_a[10]["id"], "invite", 100, NEW_YEAR, "test:jan")
    for m, n in zip(in_b, [20, 20], strict=False):
        _earn(t, m["id"], "invite", n, december, f"test:{m['id']}")
    balance_before = _balance(t, in_a[0]["id"])

    before = run_due(t.db, DUE_JOBS, build_registry(), datetime(2026, 12, 31, 23, 59, tzinfo=clock.SHANGHAI))
    assert _guardians(t, a, t.op)["items"] == []  # December is not over: only November is awarded
    november = _guardians(t, a, t.op, month="2026-11")["items"]
    assert before["checkin.guardians"] == 1
    assert [(g["rank"], g["member_id"], g["contribution"]) for g in november] == [(1, in_a[10]["id"], 100)]

    done = run_due(t.db, DUE_JOBS, build_registry(), NEW_YEAR)
    assert done["checkin.guardians"] == 10 + 2

    board = _guardians(t, a, ha[5])  # any role in the tenant may look
    assert board["month"] == "2026-12" and board["community_id"] == a
    ranked = [(g["rank"], g["member_id"], g["contribution"]) for g in board["items"]]
    expected = [125, 110, 100, 100, 90, 80, 70, 60, 50, 40]
    assert ranked == [(i + 1, in_a[i]["id"], expected[i]) for i in range(10)]  # equal scores: lower id first
    assert board["items"][0]["name"] == in_a[0]["name"] and board["items"][0]["title"] == "社区守护者"

    other = _guardians(t, b, t.op)
    assert [(g["rank"], g["member_id"]) for g in other["items"]] == [(1, in_b[0]["id"]), (2, in_b[1]["id"])]

    mine = t.client.get("/api/v1/me/guardian", headers=ha[0]).json()["items"]
    assert [(x["month"], x["community_id"], x["rank"], x["bonus_points"]) for x in mine] == [("2026-12", a, 1, 50)]
    assert mine[0]["benefit"]
    assert t.client.get("/api/v1/me/guardian", headers=ha[11]).json()["items"] == []
    assert _balance(t, in_a[0]["id"]) == balance_before + 50

    # running again (or later that day) awards nothing twice
    again = run_due(t.db, DUE_JOBS, build_registry(), datetime(2027, 1, 1, 0, 5, tzinfo=clock.SHANGHAI))
    assert again["checkin.guardians"] == 0
    assert _award_count(t) == 1 + 12
    assert _balance(t, in_a[0]["id"]) == balance_before + 50
    with clock.frozen_at(datetime(2027, 1, 20, tzinfo=clock.SHANGHAI)):  # default month: the last one
        assert _guardians(t, a, t.op, month=None)["items"] == board["items"]


def test_guardians_of_an_unknown_community_or_month(make):
    t = make.tenant()
    other = make.tenant()
    theirs = other.community()["id"]
    r = t.client.get(f"/api/v1/communities/{theirs}/guardians", headers=t.op)
    assert r.status_code == 404
    mine = t.community()["id"]
    assert t.client.get(f"/api/v1/communities/{mine}/guardians", headers=t.op,
                        params={"month": "2026-1"}).status_code == 422
    assert _guardians(t, mine, t.op)["items"] == []


def test_guardian_program_defaults_and_update(make):
    t = make.tenant()
    prog = t.client.get("/api/v1/guardian-program", headers=t.op).json()
    assert prog["title"] == "社区守护者" and prog["bonus_points"] == 0 and "供应链优先采购权" in prog["benefit"]
    r = t.client.put("/api/v1/guardian-program", headers=t.op,
                     json={"benefit": "供应链优先采购权", "bonus_points": 200})
    assert r.status_code == 200 and r.json()["bonus_points"] == 200
    _, h = t.member()
    assert t.client.put("/api/v1/guardian-program", headers=h, json={}).status_code == 403


def test_concurrent_runs_award_a_month_once(make, db):
    if db.dialect != "postgresql":
        pytest.skip("concurrency is proven on PostgreSQL (SQLite serialises writers)")
    t = make.tenant()
    t.members(3)
    ids = [m["id"] for m in _members_of(t, t.default_community())]
    for i, member_id in enumerate(ids):
        _earn(t, member_id, "invite", 10 + i, datetime(2026, 12, 15, tzinfo=clock.SHANGHAI), f"test:{member_id}")
    with ThreadPoolExecutor(max_workers=6) as pool:
        done = list(pool.map(lambda _: award_guardians(t.db, NEW_YEAR), range(6)))
    assert sum(done) == 3 and _award_count(t) == 3
