"""Due work of journeys: idle/schedule triggers scan, then every step run due by the instant runs, each in
its own transaction (a failing step backs off without holding up the rest)."""

from __future__ import annotations

import logging
from datetime import datetime

from linli.core.db import Database
from linli.core.jobs import DueJob
from linli.journey import service

log = logging.getLogger("linli.journey")
BATCH = 200


def run_due(db: Database, at: datetime) -> int:
    done = 0
    with db.unit_of_work() as s:
        scans = service.scans_due(s)
    for tenant_id, journey_id in scans:
        with db.unit_of_work() as s:
            service.scan(s, tenant_id, journey_id, at)
    with db.unit_of_work() as s:
        tenants = service.tenants_with_pending(s)
    for tenant_id in tenants:
        after = 0
        while True:
            with db.unit_of_work() as s:
                ids = service.due_runs(s, tenant_id, at, after, BATCH)
            if not ids:
                break  # runs written meanwhile (the next steps) have larger ids: found by the next round
            for run_id in ids:
                done += _run_one(db, tenant_id, run_id)
            after = ids[-1]
    return done


def _run_one(db: Database, tenant_id: int, run_id: int) -> int:
    try:
        with db.unit_of_work() as s:
            return int(service.run_step(s, tenant_id, run_id))
    except Exception as exc:  # the step's transaction rolled back: count the attempt, retry later
        log.exception("journey step failed", extra={"run_id": run_id})
        with db.unit_of_work() as s:
            service.record_failure(s, tenant_id, run_id, repr(exc))
        return 0


JOBS = [DueJob("journey.run_due", run_due)]
