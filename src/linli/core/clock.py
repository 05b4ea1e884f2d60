"""The one clock. Every time rule reads `now()`, so work can run "as of" any instant."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")

_frozen: ContextVar[datetime | None] = ContextVar("linli_clock_frozen", default=None)
_offset_fixed: list[datetime | None] = [None]  # process-wide override (tests, run-due)


def now() -> datetime:
    """Aware UTC instant."""
    at = _frozen.get() or _offset_fixed[0]
    return at if at is not None else datetime.now(UTC)


@contextmanager
def frozen_at(at: datetime) -> Iterator[datetime]:
    """Run the block as of `at` (this context only)."""
    token = _frozen.set(as_utc(at))
    try:
        yield as_utc(at)
    finally:
        _frozen.reset(token)


def set_process_time(at: datetime | None) -> None:
    """Pin the clock for every thread (tests driving a server); None restores real time."""
    _offset_fixed[0] = as_utc(at) if at is not None else None


def as_utc(at: datetime) -> datetime:
    if at.tzinfo is None:
        at = at.replace(tzinfo=SHANGHAI)  # naive input means local (Asia/Shanghai) time
    return at.astimezone(UTC)


def local(at: datetime) -> datetime:
    return as_utc(at).astimezone(SHANGHAI)


def today_start_local(at: datetime | None = None) -> datetime:
    """Midnight in Asia/Shanghai of the day containing `at`, as UTC."""
    day = local(at or now()).replace(hour=0, minute=0, second=0, microsecond=0)
    return day.astimezone(UTC)
