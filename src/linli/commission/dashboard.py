"""The leader's workbench numbers for today, the last 7 days or this month (Asia/Shanghai)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from linli.assessment import service as assessment
from linli.commission.schemas import DashboardOut
from linli.commission.service import commission_between
from linli.community import service as community
from linli.core import clock
from linli.leader import service as leaders
from linli.member import service as members
from linli.order import service as orders

FEEDBACK_SHOWN = 5  # members' latest ratings after pickup


def period_bounds(period: str, now: datetime) -> tuple[datetime, datetime]:
    today = clock.today_start_local(now)
    if period == "today":
        start = today
    elif period == "7d":
        start = today - timedelta(days=6)
    else:
        start = clock.local(today).replace(day=1)
    return clock.as_utc(start), now + timedelta(microseconds=1)


def dashboard(s: Session, tenant_id: int, leader_id: int, period: str) -> DashboardOut:
    start, end = period_bounds(period, clock.now())
    points = community.point_ids_of_leader(s, tenant_id, leader_id)
    gmv, n_orders, buyers = orders.sales_at_points(s, tenant_id, points, start, end)
    profile = leaders.profile(s, tenant_id, leader_id)
    new = members.count_in_community(s, tenant_id, profile.community_id, start, end)
    progress = leaders.ladder_progress(s, tenant_id, leader_id)
    mine, following = leaders.tier_benefits(s, tenant_id, progress.tier, progress.next_tier)
    return DashboardOut(period=period, gmv_fen=gmv, orders=n_orders, members=buyers, new_members=new,
                        commission_fen=commission_between(s, tenant_id, leader_id, start, end),
                        tier=progress.tier, tier_progress=progress.model_dump(mode="json"),
                        benefits=mine, next_benefits=following,
                        recent_feedback=assessment.recent_feedback(s, tenant_id, leader_id, FEEDBACK_SHOWN))
