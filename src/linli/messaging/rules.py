"""Time rules of sending, pure functions: quiet hours and the local-day windows the caps count in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

DEFAULT_QUIET_START = 22 * 60
DEFAULT_QUIET_END = 8 * 60
DEFAULT_TIMEZONE = "Asia/Shanghai"
DEFAULT_DAILY_CAP = 2  # seeds give no figure; 2 a day, 5 a week per member and channel
DEFAULT_WEEKLY_CAP = 5
DEFAULT_SMS_SIGNATURE = "邻里"


@dataclass(frozen=True)
class Rules:
    quiet_hours_enabled: bool = True
    quiet_start_minute: int = DEFAULT_QUIET_START
    quiet_end_minute: int = DEFAULT_QUIET_END
    timezone: str = DEFAULT_TIMEZONE
    daily_cap: int = DEFAULT_DAILY_CAP
    weekly_cap: int = DEFAULT_WEEKLY_CAP

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


def _minute_of_day(local: datetime) -> int:
    return local.hour * 60 + local.minute


def in_quiet_hours(rules: Rules, at: datetime) -> bool:
    """[start, end) in local time; a window may run over midnight (22:00-08:00). start == end: none."""
    if not rules.quiet_hours_enabled or rules.quiet_start_minute == rules.quiet_end_minute:
        return False
    m = _minute_of_day(at.astimezone(rules.zone))
    start, end = rules.quiet_start_minute, rules.quiet_end_minute
    if start < end:
        return start <= m < end
    return m >= start or m < end


def quiet_hours_end(rules: Rules, at: datetime) -> datetime:
    """The first instant after `at` (inside quiet hours) at which sending is allowed again, in UTC."""
    local = at.astimezone(rules.zone)
    end = time(rules.quiet_end_minute // 60, rules.quiet_end_minute % 60)
    candidate = datetime.combine(local.date(), end, tzinfo=rules.zone)
    if candidate <= local:
        candidate = datetime.combine(local.date() + timedelta(days=1), end, tzinfo=rules.zone)
    return candidate.astimezone(UTC)


def day_window(rules: Rules, at: datetime) -> tuple[datetime, datetime]:
    """The local calendar day holding `at`, as a UTC [start, end)."""
    day = at.astimezone(rules.zone).date()
    start = datetime.combine(day, time(0), tzinfo=rules.zone)
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=rules.zone)
    return start.astimezone(UTC), end.astimezone(UTC)


def week_window(rules: Rules, at: datetime) -> tuple[datetime, datetime]:
    """The 7 local calendar days ending with the day holding `at` (a rolling week), as a UTC [start, end)."""
    day = at.astimezone(rules.zone).date()
    start = datetime.combine(day - timedelta(days=6), time(0), tzinfo=rules.zone)
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=rules.zone)
    return start.astimezone(UTC), end.astimezone(UTC)


def hhmm(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def minutes(text: str) -> int:
    h, m = text.split(":")
    return int(h) * 60 + int(m)
