"""Failure counters in a fixed window (login throttling, pickup-code guessing). Kept in Redis when
it is configured (shared by every server, no write on the database), else in the database — and in the
database too while Redis is unreachable: logging in and picking up keep working, still throttled (the
counts made during the outage are kept apart from Redis' own, so a window may allow up to twice the limit)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from redis import Redis
from sqlalchemy import String, delete, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from linli.core import clock, redis
from linli.core.db import Base, UTCDateTime
from linli.core.errors import TooManyRequests


class FailureCounter(Base):
    __tablename__ = "failure_counters"

    scope_key: Mapped[str] = mapped_column(String(300), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    window_start: Mapped[datetime] = mapped_column(UTCDateTime())


# Window start is the clock's time (not Redis' own), so `run-due --at` and tests see the same rule.
_RECORD = """
local start = tonumber(redis.call('HGET', KEYS[1], 'start') or '0')
if start == 0 or start <= tonumber(ARGV[1]) - tonumber(ARGV[2]) then
  redis.call('HSET', KEYS[1], 'start', ARGV[1], 'failures', 1)
else
  redis.call('HINCRBY', KEYS[1], 'failures', 1)
end
redis.call('EXPIRE', KEYS[1], math.ceil(tonumber(ARGV[2])) + 60)
"""


def check(session: Session, limits: dict[str, int], window: timedelta) -> None:
    """Raise 429 if any key has reached its limit within the window."""
    now = clock.now()
    for key, (failures, start) in _counts(session, list(limits)).items():
        if start > now - window and failures >= limits[key]:
            raise TooManyRequests("too many failed attempts; try again later", code="too_many_attempts")


def record_failure(session: Session, keys: list[str], window: timedelta) -> None:
    now = clock.now()
    r = redis.client()
    if r is not None:
        conn, prefix = r
        try:
            for key in keys:
                conn.eval(_RECORD, 1, prefix + key, now.timestamp(), window.total_seconds())
            return
        except redis.UNREACHABLE as exc:
            redis.mark_down(exc)
    for key in keys:
        row = session.get(FailureCounter, key, with_for_update=True)
        if row is None:
            session.add(FailureCounter(scope_key=key, failures=1, window_start=now))
        elif row.window_start <= now - window:
            row.failures, row.window_start = 1, now
        else:
            row.failures += 1


def clear(session: Session, key: str) -> None:
    r = redis.client()
    if r is not None:
        try:
            r[0].delete(r[1] + key)
            return
        except redis.UNREACHABLE as exc:
            redis.mark_down(exc)
    session.execute(delete(FailureCounter).where(FailureCounter.scope_key == key))


def _counts(session: Session, keys: list[str]) -> dict[str, tuple[int, datetime]]:
    r = redis.client()
    if r is not None:
        try:
            return _redis_counts(*r, keys)
        except redis.UNREACHABLE as exc:
            redis.mark_down(exc)
    rows = session.scalars(select(FailureCounter).where(FailureCounter.scope_key.in_(keys)))
    return {row.scope_key: (row.failures, row.window_start) for row in rows}


def _redis_counts(conn: Redis, prefix: str, keys: list[str]) -> dict[str, tuple[int, datetime]]:
    pipe = conn.pipeline(transaction=False)
    for key in keys:
        pipe.hmget(prefix + key, "failures", "start")
    out: dict[str, tuple[int, datetime]] = {}
    for key, (failures, start) in zip(keys, pipe.execute(), strict=True):
        if failures is not None:
            out[key] = (int(failures), datetime.fromtimestamp(float(start), UTC))
    return out
