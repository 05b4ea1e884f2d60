"""Community calendar (社区日历): the month view merging solar terms, festivals, official days off and make-up
workdays (linli.calendar.marks) with the events operators and leaders add; the member app's upcoming section.

Who sees and changes what: operators every event (tenant-wide or one community); leaders the tenant-wide events
and those of their communities (the community they lead and those of the pickup points they run), and change
only the latter; members the tenant-wide events and their own community's. Someone else's community is 404."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy.orm import Session

from linli.calendar import marks
from linli.calendar import repository as repo
from linli.calendar.schemas import CalendarOut, DayOut, EventIn, EventOut, MarkOut, UpcomingOut
from linli.community import service as community
from linli.core import clock
from linli.core.errors import Conflict, Forbidden, Invalid, NotFound
from linli.core.security import Principal
from linli.leader import service as leaders
from linli.member import service as members
from linli.models import CalendarEvent

MAX_EVENT_DAYS = 31
ALL_COMMUNITIES = "全部社区"


# --- scope ------------------------------------------------------------------------------------

def communities_of(s: Session, p: Principal) -> list[int] | None:
    """The communities whose events p sees (None: all of them, the operator)."""
    if p.role == "operator":
        return None
    if p.role == "leader" and p.leader_id is not None:
        own = leaders.require(s, p.tenant_id, p.leader_id).community_id
        of_points = community.communities_of_points(s, p.tenant_id)
        runs = {of_points[pt] for pt in community.point_ids_of_leader(s, p.tenant_id, p.leader_id)
                if pt in of_points}
        return sorted({own} | runs)
    if p.role == "member" and p.member_id is not None:
        found = members.communities_of(s, p.tenant_id, [p.member_id]).get(p.member_id)
        return [found] if found is not None else []
    return []


def _scope(s: Session, p: Principal, community_id: int | None) -> list[int] | None:
    allowed = communities_of(s, p)
    if community_id is None:
        return allowed
    if allowed is None:
        community.require_community(s, p.tenant_id, community_id)  # 404 community_not_found
    elif community_id not in allowed:
        raise NotFound("community not found", code="community_not_found")
    return [community_id]


# --- shapes -----------------------------------------------------------------------------------

def _outs(s: Session, tenant_id: int, rows: list[CalendarEvent]) -> list[EventOut]:
    ids = sorted({e.community_id for e in rows if e.community_id is not None})
    names = {c.id: c.name for c in community.communities_by_ids(s, tenant_id, ids)} if ids else {}
    return [EventOut(id=e.id, community_id=e.community_id,
                     community_name=names.get(e.community_id, "") if e.community_id else ALL_COMMUNITIES,
                     title=e.title, starts_at=e.starts_at, ends_at=e.ends_at, place=e.place,
                     description=e.description, leader_id=e.leader_id,
                     added_by="leader" if e.leader_id is not None else "operator",
                     cancelled=e.cancelled_at is not None, created_at=e.created_at) for e in rows]


def _local_midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=clock.SHANGHAI).astimezone(UTC)


def parse_month(month: str) -> date:
    try:
        first = date(int(month[:4]), int(month[5:7]), 1)
    except ValueError as exc:
        raise Invalid("month must be YYYY-MM", code="invalid_month") from exc
    if not 1901 <= first.year <= 2099:
        raise Invalid("month must be between 1901 and 2099", code="invalid_month")
    return first


# --- reading ----------------------------------------------------------------------------------

def month_view(s: Session, p: Principal, month: str, community_id: int | None = None) -> CalendarOut:
    first = parse_month(month)
    last = (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    grid_start = first - timedelta(days=first.weekday())
    grid_end = last + timedelta(days=6 - last.weekday())
    scope = _scope(s, p, community_id)
    rows = repo.events_between(s, p.tenant_id, _local_midnight(grid_start),
                               _local_midnight(grid_end + timedelta(days=1)), scope)
    events = _outs(s, p.tenant_id, rows)
    found = marks.between(grid_start, grid_end)
    today = clock.local(clock.now()).date()
    days = []
    day = grid_start
    while day <= grid_end:
        day_marks = found.get(day, [])
        days.append(DayOut(date=day, weekday=day.weekday(), in_month=day.month == first.month, is_today=day == today,
                           day_off=marks.day_off(day, day_marks), marks=day_marks,
                           events=[e for e in events
                                   if clock.local(e.starts_at).date() <= day <= clock.local(e.ends_at).date()]))
        day += timedelta(days=1)
    announced = marks.announced(first, last)
    return CalendarOut(month=month, community_id=community_id, holidays_announced=announced,
                       notice=None if announced else marks.NOT_ANNOUNCED, days=days)


def get_event(s: Session, p: Principal, event_id: int) -> EventOut:
    e = _visible(s, p, event_id)
    return _outs(s, p.tenant_id, [e])[0]


def upcoming(s: Session, p: Principal, days: int = 30, limit: int = 5) -> UpcomingOut:
    now = clock.now()
    today = clock.local(now).date()
    rows = repo.events_between(s, p.tenant_id, now, now + timedelta(days=days), communities_of(s, p), limit)
    term = marks.next_of(("term",), today)
    festival = marks.next_of(("festival", "holiday"), today)
    return UpcomingOut(next_term=term[1] if term else None, next_term_date=term[0] if term else None,
                       next_festival=festival[1] if festival else None,
                       next_festival_date=festival[0] if festival else None, events=_outs(s, p.tenant_id, rows))


# --- changing ---------------------------------------------------------------------------------

def _check(s: Session, p: Principal, data: EventIn) -> int | None:
    if data.ends_at < data.starts_at:
        raise Invalid("ends_at must not be before starts_at", code="invalid_window")
    if data.ends_at - data.starts_at > timedelta(days=MAX_EVENT_DAYS):
        raise Invalid(f"an event lasts at most {MAX_EVENT_DAYS} days", code="invalid_window")
    if p.role == "operator":
        if data.community_id is not None:
            community.require_community(s, p.tenant_id, data.community_id, as_input=True)
        return data.community_id
    allowed = communities_of(s, p) or []
    target = data.community_id if data.community_id is not None else (allowed[0] if allowed else None)
    if target is None or target not in allowed:
        raise Forbidden("a leader adds events to their own communities only", code="not_your_community")
    return target


def create_event(s: Session, p: Principal, data: EventIn) -> EventOut:
    community_id = _check(s, p, data)
    e = CalendarEvent(tenant_id=p.tenant_id, community_id=community_id, title=data.title,
                      starts_at=data.starts_at, ends_at=data.ends_at, place=data.place,
                      description=data.description, leader_id=p.leader_id if p.role == "leader" else None,
                      created_by=p.user_id)
    repo.add(s, e)
    return _outs(s, p.tenant_id, [e])[0]


def _visible(s: Session, p: Principal, event_id: int, lock: bool = False) -> CalendarEvent:
    e = repo.event(s, p.tenant_id, event_id, lock=lock)
    allowed = communities_of(s, p) if e is not None else None
    if e is None or (allowed is not None and e.community_id is not None and e.community_id not in allowed):
        raise NotFound("event not found", code="event_not_found")
    return e


def _editable(s: Session, p: Principal, event_id: int) -> CalendarEvent:
    e = _visible(s, p, event_id, lock=True)
    if p.role != "operator" and e.community_id is None:
        raise Forbidden("only operators change events for every community", code="not_your_community")
    return e


def update_event(s: Session, p: Principal, event_id: int, data: EventIn) -> EventOut:
    e = _editable(s, p, event_id)
    if e.cancelled_at is not None:
        raise Conflict("the event was deleted", code="event_cancelled")
    if p.role != "operator" and data.community_id is None:
        data = data.model_copy(update={"community_id": e.community_id})
    e.community_id = _check(s, p, data)
    e.title, e.starts_at, e.ends_at = data.title, data.starts_at, data.ends_at
    e.place, e.description, e.updated_at = data.place, data.description, clock.now()
    s.flush()
    return _outs(s, p.tenant_id, [e])[0]


def delete_event(s: Session, p: Principal, event_id: int) -> None:
    """Kept, marked cancelled; deleting again changes nothing."""
    e = _editable(s, p, event_id)
    if e.cancelled_at is None:
        e.cancelled_at = e.updated_at = clock.now()
        s.flush()


def marks_between(first: date, last: date) -> tuple[dict[date, list[MarkOut]], bool]:
    """The year's marks of each day in [first, last] and whether the official arrangement is known for all of it
    (other pages' calendars, e.g. 场景活动)."""
    return marks.between(first, last), marks.announced(first, last)
