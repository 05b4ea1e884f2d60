"""Due work of local services: open the next 14 days' slots from the weekly schedules, remind members 2 h
before their slot (once), and complete the bookings whose slot has ended (which lets the member rate).
Each tenant or booking in its own transaction: a failure leaves the rest done and the next run tries again."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from linli.core.db import Database
from linli.core.jobs import DueJob
from linli.localservice import booking, slots
from linli.localservice.service import BOOKING_DAYS

log = logging.getLogger("linli.localservice")
REMIND_BEFORE = timedelta(hours=2)


def open_slots(db: Database, at: datetime) -> int:
    with db.unit_of_work() as s:
        tenants = slots.tenants_with_schedules(s)
    opened = 0
    for tenant_id in tenants:
        try:
            with db.unit_of_work() as s:
                opened += slots.open_slots(s, tenant_id, at, BOOKING_DAYS)
        except Exception:  # rolled back; the next run tries again
            log.exception("opening slots failed", extra={"tenant_id": tenant_id})
    return opened


def send_reminders(db: Database, at: datetime) -> int:
    sent = 0
    seen: set[tuple[int, int]] = set()
    while True:
        with db.unit_of_work() as s:
            due = [d for d in booking.due_reminders(s, at, at + REMIND_BEFORE) if d not in seen]
        if not due:
            return sent
        for tenant_id, booking_id in due:
            seen.add((tenant_id, booking_id))
            try:
                with db.unit_of_work() as s:
                    sent += booking.remind(s, tenant_id, booking_id, at)
            except Exception:
                log.exception("booking reminder failed", extra={"booking_id": booking_id})


def complete_ended(db: Database, at: datetime) -> int:
    with db.unit_of_work() as s:
        tenants = booking.tenants_with_ended(s, at)
    done = 0
    for tenant_id in tenants:
        with db.unit_of_work() as s:
            done += booking.complete_ended(s, tenant_id, at)
    return done


JOBS = [DueJob("localservice.slots", open_slots), DueJob("localservice.reminders", send_reminders),
        DueJob("localservice.complete", complete_ended)]
