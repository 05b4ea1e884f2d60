"""Opening hours: "HH:MM-HH:MM" spans, a week of them, and whether a point is open at an instant (local time)."""

from __future__ import annotations

import re
from datetime import datetime

from linli.core import clock
from linli.core.errors import Invalid

SPAN = re.compile(r"^([01]\d|2[0-4]):([0-5]\d)-([01]\d|2[0-4]):([0-5]\d)$")
WEEKDAYS = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")
Week = dict[int, tuple[int, int]]  # weekday (0 = Monday) -> (opens, closes) in minutes after midnight


def parse_span(text: str) -> tuple[int, int]:
    """"08:00-21:00" -> (480, 1260); refuses anything else, an empty span, and times past 24:00."""
    m = SPAN.match(text.strip())
    if m is None:
        raise Invalid("营业时间须写成 HH:MM-HH:MM，例如 08:00-21:00", code="invalid_hours")
    opens, closes = int(m[1]) * 60 + int(m[2]), int(m[3]) * 60 + int(m[4])
    if closes > 1440 or not opens < closes:
        raise Invalid("营业时间须先开门后关门，且不晚于 24:00", code="invalid_hours")
    return opens, closes


def span_text(opens: int, closes: int) -> str:
    return f"{opens // 60:02d}:{opens % 60:02d}-{closes // 60:02d}:{closes % 60:02d}"


def every_day(text: str) -> Week:
    """The point's opening_hours text on all seven days; an unreadable legacy text means all day."""
    try:
        span = parse_span(text)
    except Invalid:
        span = (0, 1440)
    return dict.fromkeys(range(7), span)


def is_open(week: Week, at: datetime) -> bool:
    local = clock.local(at)
    span = week.get(local.weekday())
    minute = local.hour * 60 + local.minute
    return span is not None and span[0] <= minute < span[1]


def describe(week: Week) -> str:
    """每天 08:00-21:00, or runs of days with the same hours: 周一至周五 07:30-21:30；周六至周日 08:30-20:00
    (days off named 休息)."""
    spans = [week.get(d) for d in range(7)]
    if spans[0] is not None and all(sp == spans[0] for sp in spans):
        return f"每天 {span_text(*spans[0])}"
    runs: list[tuple[int, int, tuple[int, int] | None]] = []
    for d, sp in enumerate(spans):
        if runs and runs[-1][2] == sp:
            runs[-1] = (runs[-1][0], d, sp)
        else:
            runs.append((d, d, sp))
    return "；".join(f"{WEEKDAYS[a]}{'' if a == b else '至' + WEEKDAYS[b]} {span_text(*sp) if sp else '休息'}"
                    for a, b, sp in runs)
