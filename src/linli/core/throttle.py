"""Failure counters in a fixed window (login throttling, pickup-code guessing)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import String, delete, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from linli.core import clock
from linli.core.db import Base, UTCDateTime
from linli.core.errors import TooManyRequests


class FailureCounter(Base):
    __tablename__ = "failure_counters"

    scope_key: Mapped[str] = mapped_column(String(300), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    window_start: Mapped[datetime] = mapped_column(UTCDateTime())


def check(session: Session, limits: dict[str, int], window: timedelta) -> None:
    """Raise 429 if any key has reached its limit within the window."""
    now = clock.now()
    rows = session.scalars(select(FailureCounter).where(FailureCounter.scope_key.in_(limits)))
    for row in rows:
        if row.window_start > now - window and row.failures >= limits[row.scope_key]:
            raise TooManyRequests("too many failed attempts; try again later",
                                  code="too_many_attempts")


def record_failure(session: Session, keys: list[str], window: timedelta) -> None:
    now = clock.now()
    for key in keys:
        row = session.get(FailureCounter, key, with_for_update=True)
        if row is None:
            session.add(FailureCounter(scope_key=key, failures=1, window_start=now))
        elif row.window_start <= now - window:
            row.failures, row.window_start = 1, now
        else:
            row.failures += 1


def clear(session: Session, key: str) -> None:
    session.execute(delete(FailureCounter).where(FailureCounter.scope_key == key))
