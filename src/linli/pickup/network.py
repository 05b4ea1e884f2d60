"""The network as it stands: every point with its status, capacity, load (parcels awaiting pickup), weekly
hours and closures, as of now. Read-only."""

from __future__ import annotations

from datetime import datetime
from typing import Literal, cast

from sqlalchemy.orm import Session

from linli.community import service as community
from linli.community.schemas import PickupPointOut
from linli.core import clock
from linli.models import PickupClosure, PickupPointState
from linli.order import relocation
from linli.pickup import hours
from linli.pickup import repository as repo
from linli.pickup.schemas import ClosureOut, PointOut

Status = Literal["open", "paused", "closed"]


def all_points(s: Session, tenant_id: int, community_id: int | None = None) -> list[PickupPointOut]:
    """Every pickup point of the tenant (or of one community), by id."""
    if community_id is not None:
        community.require_community(s, tenant_id, community_id)  # another tenant's: 404, as one that never was
        return sorted(community.points_of_community(s, tenant_id, community_id), key=lambda p: p.id)
    found: list[PickupPointOut] = []
    for cid in sorted(set(community.communities_of_points(s, tenant_id).values())):
        found.extend(community.points_of_community(s, tenant_id, cid))
    return sorted(found, key=lambda p: p.id)


def weeks(s: Session, tenant_id: int, points: list[PickupPointOut]) -> dict[int, hours.Week]:
    """point id -> its weekly hours (its own rows, else its opening_hours text on every day)."""
    own: dict[int, hours.Week] = {}
    for row in repo.hours(s, tenant_id, [p.id for p in points]):
        own.setdefault(row.pickup_point_id, {})[row.weekday] = (row.opens_minute, row.closes_minute)
    return {p.id: own.get(p.id) or hours.every_day(p.opening_hours) for p in points}


def network(s: Session, tenant_id: int, community_id: int | None = None, with_closures: bool = True,
            only: PickupPointOut | None = None) -> list[PointOut]:
    """The points (or `only` one) with their status, capacity, load, hours and closures to come, as of now."""
    now = clock.now()
    points = [only] if only is not None else all_points(s, tenant_id, community_id)
    if not points:
        return []
    states = repo.states(s, tenant_id)
    running = repo.closures_now(s, tenant_id, now)
    loads = relocation.awaiting_counts(s, tenant_id)
    week = weeks(s, tenant_id, points)
    closures: dict[int, list[ClosureOut]] = {}
    if with_closures:
        for c in repo.closures_of(s, tenant_id, [p.id for p in points], now):
            closures.setdefault(c.pickup_point_id, []).append(ClosureOut.model_validate(c))
    return [_view(p, states.get(p.id), running.get(p.id), loads.get(p.id, 0), week[p.id], now,
                  closures.get(p.id, [])) for p in points]


def _view(p: PickupPointOut, state: PickupPointState | None, running: PickupClosure | None, load: int,
          week: hours.Week, now: datetime, closures: list[ClosureOut]) -> PointOut:
    status = cast(Status, state.status if state else "open")
    effective: Status = "paused" if status == "open" and running is not None else status
    capacity = capacity_of(p, state)
    reason = (state.reason if state and status != "open" else "") or (running.reason if running else "")
    return PointOut(id=p.id, community_id=p.community_id, name=p.name, kind=p.kind, address=p.address, lat=p.lat,
                    lng=p.lng, status=status, effective_status=effective, reason=reason, capacity=capacity,
                    load=load, full=capacity is not None and load >= capacity, hours=hours.describe(week),
                    open_now=effective == "open" and hours.is_open(week, now), closures=closures)


def capacity_of(p: PickupPointOut, state: PickupPointState | None) -> int | None:
    """The daily capacity set on the network, else the point's own capacity, else no limit."""
    return state.daily_capacity if state and state.daily_capacity is not None else p.capacity


def point(s: Session, tenant_id: int, point_id: int) -> PointOut:
    row = PickupPointOut.model_validate(community.pickup_point(s, tenant_id, point_id))  # 404: none here
    return network(s, tenant_id, only=row)[0]




def refusal(s: Session, tenant_id: int, point_id: int) -> str | None:
    """Why new orders may not go to the point now (paused, closed, a closure running, full), or None — the
    checkout's question (an agreed cross-domain read), answered from the one point's rows: it runs on every order."""
    state = repo.state_of(s, tenant_id, point_id)
    if state is not None and state.status != "open":
        return state.status
    if repo.closure_now(s, tenant_id, point_id, clock.now()) is not None:
        return "paused"
    capacity = capacity_of(PickupPointOut.model_validate(community.pickup_point(s, tenant_id, point_id)), state)
    if capacity is not None and relocation.load_of(s, tenant_id, point_id) >= capacity:
        return "full"
    return None
