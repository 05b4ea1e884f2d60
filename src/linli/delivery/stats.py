"""Promised against actual: the on-time rate and the average minutes from payment to the door, per day."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from linli.core import clock
from linli.core.errors import Forbidden
from linli.core.security import Principal
from linli.delivery import repository as repo
from linli.delivery.schemas import DayStat, StatsOut


def stats(s: Session, p: Principal, days: int = 14, until: datetime | None = None) -> StatsOut:
    if p.role != "operator":
        raise Forbidden("tenant-wide figures are for operators", code="forbidden")
    end = until or clock.now()
    start = clock.as_utc(datetime.combine(clock.local(end).date() - timedelta(days=days - 1), datetime.min.time()))
    rows = repo.settled(s, p.tenant_id, start, end + timedelta(seconds=1))
    per_day: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    delivered = on_time = failed = pending = 0
    minutes: list[float] = []
    for status, delivered_at, promised_at, promise in rows:
        if status == "failed":
            failed += 1
        elif status in ("awaiting_payment", "pending", "batched", "out"):
            pending += 1
        if status != "delivered" or delivered_at is None or promised_at is None:
            continue
        delivered += 1
        kept = delivered_at <= promised_at
        on_time += kept
        paid_at = promised_at - timedelta(minutes=promise)
        minutes.append((delivered_at - paid_at).total_seconds() / 60)
        day = per_day[clock.local(delivered_at).date().isoformat()]
        day[0] += 1
        day[1] += kept
    series = []
    for i in range(days):
        key = (clock.local(start).date() + timedelta(days=i)).isoformat()
        got = per_day.get(key, [0, 0])
        series.append(DayStat(day=key, delivered=got[0], on_time=got[1]))
    return StatsOut(delivered=delivered, on_time=on_time, on_time_rate=on_time / delivered if delivered else None,
                    average_minutes=round(sum(minutes) / len(minutes), 1) if minutes else None, failed=failed,
                    pending=pending, days=series)
