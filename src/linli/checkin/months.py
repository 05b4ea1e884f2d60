"""Calendar months and days as residents see them: Asia/Shanghai, whatever the server's zone."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from linli.core import clock
from linli.core.errors import Invalid


def today(at: datetime | None = None) -> date:
    return clock.local(at or clock.now()).date()


def month_of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def parse(month: str) -> date:
    """'2026-11' -> its first day."""
    try:
        first = datetime.strptime(month, "%Y-%m").date()
    except ValueError as exc:
        raise Invalid("month must look like 2026-11", code="invalid_month") from exc
    if month != month_of(first) or not 1900 <= first.year <= 2199:
        raise Invalid("month must look like 2026-11", code="invalid_month")
    return first


def next_first(first: date) -> date:
    return date(first.year + first.month // 12, first.month % 12 + 1, 1)


def days(month: str) -> list[date]:
    first = parse(month)
    return [first + timedelta(days=i) for i in range((next_first(first) - first).days)]


def bounds(month: str) -> tuple[datetime, datetime]:
    """[start, end) of the month as aware UTC instants (midnight Asia/Shanghai)."""
    first = parse(month)
    return (clock.as_utc(datetime.combine(first, time(), clock.SHANGHAI)),
            clock.as_utc(datetime.combine(next_first(first), time(), clock.SHANGHAI)))


def previous(at: datetime) -> str:
    """The month before the one `at` falls in (local time)."""
    first = today(at).replace(day=1)
    return month_of(first - timedelta(days=1))
