from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import Field, StringConstraints

from linli.core.schemas import In, Instant, Out


class CheckinOut(Out):
    day: dt.date
    streak: int
    points: int


class CalendarDay(Out):
    day: dt.date
    checked_in: bool
    points: int


class CalendarOut(Out):
    month: str
    days: list[CalendarDay]
    streak: int  # the running streak as of today (0 if neither today nor yesterday was checked in)
    checked_in_today: bool


class GuardianOut(Out):
    rank: int
    member_id: int
    name: str
    contribution: int
    title: str


class GuardiansOut(Out):
    month: str
    community_id: int
    items: list[GuardianOut]


class MyAwardOut(Out):
    id: int
    month: str
    community_id: int
    rank: int
    contribution: int
    title: str
    benefit: str
    bonus_points: int
    awarded_at: Instant


class GuardianProgramIn(In):
    title: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20)] = "社区守护者"
    benefit: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)] = \
        "社区合伙人身份 · 供应链优先采购权"
    bonus_points: Annotated[int, Field(ge=0, le=10**6)] = 0


class GuardianProgramOut(Out):
    title: str
    benefit: str
    bonus_points: int
