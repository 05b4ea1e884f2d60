from __future__ import annotations

from datetime import datetime

from linli.core.db import Database
from linli.core.jobs import DueJob
from linli.points import repository as repo
from linli.points import service


def expire_due(db: Database, at: datetime) -> int:
    """Expire what remains of lots past their expiry, each member in its own transaction (keys per
    lot make a rerun, or a concurrent run, do nothing twice). Returns how many lots expired."""
    done = 0
    while True:
        with db.unit_of_work() as s:
            due = repo.due_lots(s, at, 500)
        batch = 0
        for tenant_id, member_id in due:
            with db.unit_of_work() as s:
                batch += service.expire_member(s, tenant_id, member_id, at)
        done += batch
        if len(due) < 500 or batch == 0:
            return done


JOBS = [DueJob("points.expire", expire_due)]
