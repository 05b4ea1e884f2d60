"""Shared steps of the journey tests."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import func, select

from linli.core import clock
from linli.models import JourneyStepRun, LeaderTask, MemberCoupon, PointsTransaction
from tests.api.conftest import coupon_body
from tests.lifecycle.helpers import due, joined_at, member_id_of  # noqa: F401  (re-exported for the tests)


def coupon(t, name: str = "新人券") -> int:
    body = coupon_body(name)
    body["valid_from"] = (clock.now() - timedelta(days=1)).isoformat()
    body["total"] = 10000
    return int(t.post("/coupons", body)["id"])


def from_template(t, code: str, coupon_id: int | None = None, activate: bool = True) -> dict[str, Any]:
    body: dict[str, Any] = {"template": code}
    if coupon_id is not None:
        body["coupon_template_id"] = coupon_id
    j = t.post("/journeys/from-template", body)
    if activate:
        j = t.post(f"/journeys/{j['id']}/activate", None, expect=200)
    return j


def journey(t, definition: dict[str, Any], activate: bool = True, **kw: Any) -> dict[str, Any]:
    j = t.post("/journeys", {"name": kw.pop("name", "测试旅程"), "definition": definition, **kw})
    if activate:
        j = t.post(f"/journeys/{j['id']}/activate", None, expect=200)
    return j


def coupons_of(t, member_id: int, template_id: int | None = None) -> int:
    with t.db.unit_of_work() as s:
        stmt = select(func.count()).select_from(MemberCoupon).where(MemberCoupon.tenant_id == t.tenant_id,
                                                                    MemberCoupon.member_id == member_id)
        if template_id is not None:
            stmt = stmt.where(MemberCoupon.template_id == template_id)
        return int(s.scalar(stmt) or 0)


def runs(t, member_id: int | None = None) -> list[tuple[str, str, str | None]]:
    """(step id, status, outcome) of every run, oldest first."""
    with t.db.unit_of_work() as s:
        stmt = select(JourneyStepRun).where(JourneyStepRun.tenant_id == t.tenant_id)
        if member_id is not None:
            stmt = stmt.where(JourneyStepRun.member_id == member_id)
        return [(r.step_id, r.status, r.outcome) for r in s.scalars(stmt.order_by(JourneyStepRun.id))]


def tasks_for(t, leader_id: int) -> list[LeaderTask]:
    with t.db.unit_of_work() as s:
        rows = list(s.scalars(select(LeaderTask).where(LeaderTask.tenant_id == t.tenant_id,
                                                        LeaderTask.leader_id == leader_id)))
        s.expunge_all()
        return rows


def points_grants(t, member_id: int) -> int:
    with t.db.unit_of_work() as s:
        return int(s.scalar(select(func.count()).select_from(PointsTransaction).where(
            PointsTransaction.tenant_id == t.tenant_id, PointsTransaction.member_id == member_id,
            PointsTransaction.kind == "grant")) or 0)


def inbox(t, h) -> list[dict[str, Any]]:
    """The member's in-app messages, oldest first."""
    r = t.client.get("/api/v1/me/messages", headers=h, params={"limit": 100})
    assert r.status_code == 200, r.text
    return list(reversed(r.json()["items"]))
