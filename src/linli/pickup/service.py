"""The pickup network's points: status (open / paused / closed), closures, weekly hours, daily capacity and the
load on each (parcels awaiting pickup). Closing a point, or a closure that starts now, reassigns its awaiting
orders in the same transaction (assignment.reassign, idempotent by key), so it happens exactly once.
Services never commit."""

from __future__ import annotations

from sqlalchemy.orm import Session

from linli.community import service as community
from linli.core import clock
from linli.core.errors import Conflict, Invalid
from linli.core.security import Principal
from linli.models import PickupClosure, PickupPointState
from linli.pickup import assignment, hours
from linli.pickup import repository as repo
from linli.pickup.network import point
from linli.pickup.schemas import (
    CapacityIn,
    ClosureIn,
    ClosureOut,
    HoursIn,
    PauseIn,
    PointOut,
    ReasonIn,
    RunOut,
    SettingsIn,
    SettingsOut,
)

# --- operators' actions -------------------------------------------------------------------------

def pause(s: Session, p: Principal, point_id: int, data: PauseIn) -> PointOut:
    """Stop new orders coming to the point (members see 暂停); its awaiting orders move only when asked."""
    state = _locked(s, p.tenant_id, point_id)
    if state.status == "closed":
        raise Conflict("已关闭的自提点须先重新开放", code="point_closed")
    state.status, state.reason, state.changed_at = "paused", data.reason, clock.now()
    s.flush()
    if data.reassign:
        assignment.reassign(s, p.tenant_id, f"pause:{point_id}:{clock.now().isoformat()}", "pause",
                            point_ids=[point_id], user_id=p.user_id)
    return point(s, p.tenant_id, point_id)


def close(s: Session, p: Principal, point_id: int, data: ReasonIn) -> tuple[PointOut, RunOut]:
    """Close the point for good (until reopened): an open-ended closure, and its awaiting orders move now."""
    state = _locked(s, p.tenant_id, point_id)
    if state.status == "closed":
        raise Conflict("该自提点已关闭", code="already_closed")
    now = clock.now()
    state.status, state.reason, state.changed_at = "closed", data.reason, now
    row = repo.add_closure(s, PickupClosure(tenant_id=p.tenant_id, pickup_point_id=point_id, starts_at=now,
                                            ends_at=None, reason=data.reason, reassigned_at=now,
                                            created_by=p.user_id))
    run = assignment.reassign(s, p.tenant_id, f"closed:{point_id}:{row.id}", "point_closed",
                              point_ids=[point_id], user_id=p.user_id)
    return point(s, p.tenant_id, point_id), run


def reopen(s: Session, p: Principal, point_id: int, data: ReasonIn) -> PointOut:
    state = _locked(s, p.tenant_id, point_id)
    now = clock.now()
    ended = repo.end_closures(s, p.tenant_id, point_id, now)
    if state.status == "open" and not ended:
        raise Conflict("该自提点正在营业", code="already_open")
    state.status, state.reason, state.changed_at = "open", data.reason, now
    s.flush()
    return point(s, p.tenant_id, point_id)


def add_closure(s: Session, p: Principal, point_id: int, data: ClosureIn) -> tuple[ClosureOut, RunOut | None]:
    """A time the point hands out nothing. Running now: its awaiting orders move in this transaction; later:
    the pickup.closures job moves them when it starts (once: the closure remembers it)."""
    _locked(s, p.tenant_id, point_id)
    now = clock.now()
    starts, ends = clock.as_utc(data.starts_at), clock.as_utc(data.ends_at) if data.ends_at else None
    if ends is not None and ends <= now:
        raise Invalid("闭店时间段已经过去", code="closure_in_past")
    row = repo.add_closure(s, PickupClosure(tenant_id=p.tenant_id, pickup_point_id=point_id, starts_at=starts,
                                            ends_at=ends, reason=data.reason, reassigned_at=None,
                                            created_by=p.user_id))
    run = reassign_closure(s, p.tenant_id, row.id, p.user_id) if starts <= now else None
    return ClosureOut.model_validate(row), run


def reassign_closure(s: Session, tenant_id: int, closure_id: int, user_id: int | None) -> RunOut | None:
    """Move the awaiting orders of a closure's point once, when the closure has begun (the job and add_closure)."""
    row = repo.closure(s, tenant_id, closure_id, lock=True)
    if row is None or row.reassigned_at is not None:
        return None
    row.reassigned_at = clock.now()
    s.flush()
    return assignment.reassign(s, tenant_id, f"closure:{closure_id}", "closure",
                               point_ids=[row.pickup_point_id], user_id=user_id)


def set_capacity(s: Session, p: Principal, point_id: int, data: CapacityIn) -> PointOut:
    state = _locked(s, p.tenant_id, point_id)
    state.daily_capacity = data.daily_capacity
    s.flush()
    return point(s, p.tenant_id, point_id)


def set_hours(s: Session, p: Principal, point_id: int, data: HoursIn) -> PointOut:
    week: hours.Week = {}
    for day in data.days:
        if day.weekday in week:
            raise Invalid("每个星期几只能设置一次营业时间", code="duplicate_weekday")
        week[day.weekday] = hours.parse_span(day.hours)
    if not week:
        raise Invalid("至少设置一天的营业时间", code="invalid_hours")
    _locked(s, p.tenant_id, point_id)
    repo.replace_hours(s, p.tenant_id, point_id, week)
    return point(s, p.tenant_id, point_id)


def get_settings(s: Session, tenant_id: int) -> SettingsOut:
    return SettingsOut.model_validate(repo.settings(s, tenant_id))


def save_settings(s: Session, p: Principal, data: SettingsIn) -> SettingsOut:
    row = repo.settings(s, p.tenant_id, lock=True)
    row.max_distance_m, row.preference_penalty_m = data.max_distance_m, data.preference_penalty_m
    row.updated_at = clock.now()
    s.flush()
    return SettingsOut.model_validate(row)


def _locked(s: Session, tenant_id: int, point_id: int) -> PickupPointState:
    community.pickup_point(s, tenant_id, point_id)
    return repo.state(s, tenant_id, point_id, lock=True)
