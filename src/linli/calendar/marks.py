"""The year's marks on each day (solar terms, festivals, days off, make-up workdays) with their suggested
activities, for any range of days. Pure: no database."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from linli.calendar import activities, almanac
from linli.calendar.schemas import MarkOut

NOT_ANNOUNCED = "节假日安排未公布"


def _years(start: date, end: date) -> list[almanac.Year]:
    return [almanac.year(y) for y in range(start.year, end.year + 1)]


def between(start: date, end: date) -> dict[date, list[MarkOut]]:
    """date -> its marks, for start <= date <= end (days without marks are absent)."""
    out: dict[date, list[MarkOut]] = defaultdict(list)
    for y in _years(start, end):
        holiday_days = {h.day: h.name for h in y.holidays}
        for t in y.terms:
            if start <= t.day <= end:
                out[t.day].append(MarkOut(kind="term", name=t.name, label=t.name,
                                          suggestion=activities.for_term(t.name), at=t.at))
        for h in y.holidays:
            if start <= h.day <= end:
                first = holiday_days.get(h.day - timedelta(days=1)) != h.name  # the block's first day
                out[h.day].append(MarkOut(kind="holiday", name=h.name, label=f"{h.name} 放假",
                                          suggestion=activities.for_festival(h.name) if first else ""))
        for w in y.workdays:
            if start <= w.day <= end:
                out[w.day].append(MarkOut(kind="workday", name=w.name, label=f"调休上班({w.name})",
                                          suggestion=""))
        for day, name in y.festivals:
            if start <= day <= end and holiday_days.get(day) != name:  # a holiday's own day says it already
                out[day].append(MarkOut(kind="festival", name=name, label=name,
                                        suggestion=activities.for_festival(name)))
    return dict(out)


def announced(start: date, end: date) -> bool:
    """Whether the official arrangement of every year in the range is known."""
    return all(y.announced for y in _years(start, end))


def day_off(day: date, marks: list[MarkOut]) -> bool | None:
    if any(m.kind == "holiday" for m in marks):
        return True
    if any(m.kind == "workday" for m in marks):
        return False
    return None


def next_of(kinds: tuple[str, ...], after: date, horizon_days: int = 400) -> tuple[date, MarkOut] | None:
    """The first mark of those kinds on or after `after` (a holiday's first day only, with its suggestion)."""
    found = between(after, after + timedelta(days=horizon_days))
    for day in sorted(found):
        for m in found[day]:
            if m.kind in kinds and (m.kind != "holiday" or m.suggestion):
                return day, m
    return None
