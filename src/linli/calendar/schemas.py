"""HTTP shapes of the community calendar: the month view and its events."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, StringConstraints

from linli.core.clock import as_utc
from linli.core.schemas import Id, In, Instant, Out


def _utc(at: datetime) -> datetime:
    try:
        return as_utc(at).replace(microsecond=0)
    except OverflowError as exc:
        raise ValueError("time out of range") from exc


TimeIn = Annotated[datetime, Field(strict=False), AfterValidator(_utc)]
Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
Place = Annotated[str, StringConstraints(strip_whitespace=True, max_length=100)]
Description = Annotated[str, StringConstraints(strip_whitespace=True, max_length=1000)]
MarkKind = Literal["term", "festival", "holiday", "workday"]


class EventIn(In):
    """community_id None: every community (operators only); a leader's event names one of their communities
    (default: their own)."""

    title: Title
    starts_at: TimeIn
    ends_at: TimeIn
    place: Place = ""
    description: Description = ""
    community_id: Id | None = None


class EventOut(Out):
    id: Id
    community_id: Id | None
    community_name: str  # 全部社区 for a tenant-wide one
    title: str
    starts_at: Instant
    ends_at: Instant
    place: str
    description: str
    leader_id: Id | None
    added_by: Literal["operator", "leader"]
    cancelled: bool
    created_at: Instant


class MarkOut(Out):
    """What the year says of a day: a solar term, a festival, a day off (放假) or a make-up workday (调休上班)."""

    kind: MarkKind
    name: str
    label: str
    suggestion: str  # the suggested activity (建议活动), "" if none
    at: Instant | None = None  # a solar term's instant


class DayOut(Out):
    date: date
    weekday: int  # 0 = Monday
    in_month: bool
    is_today: bool
    day_off: bool | None  # True 放假, False 调休上班, None an ordinary day (or not announced)
    marks: list[MarkOut]
    events: list[EventOut]


class CalendarOut(Out):
    month: str
    community_id: Id | None
    holidays_announced: bool
    notice: str | None  # 节假日安排未公布 when the year's arrangement is unknown
    days: list[DayOut]  # whole weeks, Monday first, covering the month


class UpcomingOut(Out):
    """The member app's calendar section: the next solar term and festival or holiday, and coming events."""

    next_term: MarkOut | None
    next_term_date: date | None
    next_festival: MarkOut | None
    next_festival_date: date | None
    events: list[EventOut]
