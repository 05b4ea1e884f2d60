"""Due work of the smart lockers: reminders before expiry, then expiries. Each parcel in its own transaction,
so one failure leaves the others done and the next run tries it again."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from sqlalchemy.orm import Session

from linli.core.db import Database
from linli.core.jobs import DueJob
from linli.locker import expiry

log = logging.getLogger("linli.locker")
MAX_ROUNDS = 1000  # a guard against a loop


def _each(db: Database, at: datetime, due: Callable[[Session, datetime], list[tuple[int, int]]],
          act: Callable[[Session, int, int, datetime], bool]) -> int:
    done, seen = 0, set()
    for _ in range(MAX_ROUNDS):
        with db.unit_of_work() as s:
            batch = [d for d in due(s, at) if d not in seen]
        if not batch:
            break
        for tenant_id, parcel_id in batch:
            seen.add((tenant_id, parcel_id))
            try:
                with db.unit_of_work() as s:
                    done += act(s, tenant_id, parcel_id, at)
            except Exception:  # rolled back; the next run tries again
                log.exception("locker job failed", extra={"parcel_id": parcel_id})
    return done


def run_due(db: Database, at: datetime) -> int:
    return _each(db, at, expiry.due_reminders, expiry.remind) + _each(db, at, expiry.due_expiries, expiry.expire)


JOBS = [DueJob("locker.expiry", run_due)]
