from __future__ import annotations

from datetime import datetime

from linli.core.db import Database
from linli.core.jobs import DueJob
from linli.coupon import repository as repo

BATCH = 500


def expire_due(db: Database, at: datetime) -> int:
    """Available coupons past their valid_to become expired, a batch per transaction."""
    done = 0
    while True:
        with db.unit_of_work() as s:
            ids = repo.due_to_expire(s, at, BATCH)
            if ids:
                done += repo.expire(s, ids, at)
        if len(ids) < BATCH:
            return done


JOBS = [DueJob("coupon.expire", expire_due)]
