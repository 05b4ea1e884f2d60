"""Due work of crisis cases: the 3-day and 7-day follow-up messages, a batch per transaction."""

from __future__ import annotations

from datetime import datetime

from linli.core.db import Database
from linli.core.jobs import DueJob
from linli.crisis import followups

MAX_BATCHES = 1000  # a guard against a loop


def run_due(db: Database, at: datetime) -> int:
    with db.unit_of_work() as s:
        tenants = followups.tenants_due(s, at)
    sent = 0
    for tenant_id in tenants:
        for day in (3, 7):
            for _ in range(MAX_BATCHES):
                with db.unit_of_work() as s:
                    n = followups.send_batch(s, tenant_id, day, at)
                sent += n
                if n < followups.BATCH:
                    break
    return sent


JOBS = [DueJob("crisis.follow_ups", run_due)]
