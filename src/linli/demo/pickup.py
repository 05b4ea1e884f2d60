"""Demo: the pickup network as an operator keeps it — weekday and weekend hours at a store, daily capacities,
a leader away (the point paused, a closure for the trip) whose awaiting orders the optimiser moved to the nearest
points with room, residents told in their inbox, and a store's one-day refit scheduled next week."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from linli.core import clock
from linli.core.security import Principal
from linli.demo.writer import Ids
from linli.pickup import service
from linli.pickup.network import network
from linli.pickup.optimiser import Parcel, Site, distances_m
from linli.pickup.schemas import CapacityIn, ClosureIn, DayHoursIn, HoursIn, PauseIn, PointOut

WEEK = [DayHoursIn(weekday=d, hours="07:30-21:30" if d < 5 else "08:30-20:00") for d in range(7)]


def seed(s: Session, ids: Ids, slug: str, now: datetime) -> int:
    admin = Principal(ids.admin_user, ids.tenant, slug, "operator")
    with clock.frozen_at(now - timedelta(hours=3)):
        points = network(s, ids.tenant, with_closures=False)
        if len(points) < 2:
            return 0
        away = _leader_away(points)
        for p in points:
            if p.kind == "store" and p.id != away.id:
                service.set_hours(s, admin, p.id, HoursIn(days=WEEK))
            if p.kind in ("leader_home", "store") and p.capacity is None:
                # a leader's hallway holds about a day and a half of parcels
                service.set_capacity(s, admin, p.id, CapacityIn(daily_capacity=max(30, p.load + 15)))
        service.pause(s, admin, away.id, PauseIn(reason="团长外出"))
    with clock.frozen_at(now):  # the run sees every order of the history (the last ones are minutes old)
        back = clock.local(now).replace(hour=8, minute=0, second=0, microsecond=0) + timedelta(days=3)
        _, run = service.add_closure(s, admin, away.id, ClosureIn(
            starts_at=now - timedelta(hours=2), ends_at=back, reason="团长回老家参加婚礼，三天后恢复营业"))
    refit = next((p for p in points if p.kind == "store" and p.id != away.id), None)
    if refit is not None:
        day = clock.local(now).replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=8)
        service.add_closure(s, admin, refit.id, ClosureIn(starts_at=day, ends_at=day + timedelta(days=1),
                                                          reason="门店装修一天，当天订单改到附近自提点"))
    return 1 + (run.moved if run else 0)


def _leader_away(points: list[PointOut]) -> PointOut:
    """The busiest leader-run point that has another point within 1 km (its parcels have somewhere to go)."""
    sites = [Site(p.id, p.lat, p.lng, None) for p in points]
    metres = distances_m([Parcel(p.id, p.lat, p.lng, p.id, None) for p in points], sites)
    neighboured = [p for i, p in enumerate(points)
                   if any(j != i and d <= 1000 for j, d in enumerate(metres[i]))]
    pool = [p for p in neighboured if p.kind == "leader_home"] or neighboured or points
    return max(pool, key=lambda p: (p.load, -p.id))
