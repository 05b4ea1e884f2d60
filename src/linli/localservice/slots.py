"""Opening slots from the weekly schedules: for each of the next days (Asia/Shanghai dates) whose weekday a
schedule names, a slot at its local start time. Idempotent: an existing slot at that start is left alone
(UNIQUE service + start), so the job and an operator's new schedule may both run it, even at once."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from sqlalchemy.orm import Session

from linli.core import clock
from linli.localservice import repository as repo


def open_slots(s: Session, tenant_id: int, now: datetime, days: int, service_id: int | None = None) -> int:
    """Slots of the tenant's active schedules (of one service, if named) starting after `now` within `days`
    local days; how many new."""
    today = clock.local(now).date()
    opened = 0
    for sched, svc in repo.active_schedules(s, tenant_id, service_id):
        for offset in range(days):
            day = today + timedelta(days=offset)
            if day.weekday() != sched.weekday:
                continue
            starts = clock.as_utc(datetime.combine(day, time()) + timedelta(minutes=sched.start_minute))
            if starts <= now:
                continue
            opened += repo.insert_slot(s, {
                "tenant_id": tenant_id, "service_id": svc.id, "merchant_id": svc.merchant_id,
                "schedule_id": sched.id, "starts_at": starts,
                "ends_at": starts + timedelta(minutes=svc.duration_minutes),
                "capacity": sched.capacity or svc.capacity, "booked": 0, "status": "open", "created_at": now})
    return opened


def tenants_with_schedules(s: Session) -> list[int]:
    return repo.tenants_with_schedules(s)
