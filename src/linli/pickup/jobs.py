"""Due work of the pickup network: a closure that has begun moves its point's awaiting orders (once; each in
its own transaction, so one failure leaves the others done and the next run tries again)."""

from __future__ import annotations

import logging
from datetime import datetime

from linli.core.db import Database
from linli.core.jobs import DueJob
from linli.pickup import repository as repo
from linli.pickup import service

log = logging.getLogger("linli.pickup")


def run_due(db: Database, at: datetime) -> int:
    with db.unit_of_work() as s:
        due = repo.due_closures(s, at)
    done = 0
    for tenant_id, closure_id in due:
        try:
            with db.unit_of_work() as s:
                done += service.reassign_closure(s, tenant_id, closure_id, None) is not None
        except Exception:  # rolled back; the next run tries again
            log.exception("pickup closure reassignment failed", extra={"closure_id": closure_id})
    return done


JOBS = [DueJob("pickup.closures", run_due)]
