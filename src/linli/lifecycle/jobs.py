from __future__ import annotations

from datetime import datetime

from linli.core.db import Database
from linli.core.jobs import DueJob
from linli.lifecycle import repository as repo
from linli.lifecycle import service

BATCH = 500


def recompute_due(db: Database, at: datetime) -> int:
    """Members whose stage changes as time passes (one SQL query per batch finds them by the
    thresholds); each batch in its own transaction. Safe to run twice or concurrently: rows are
    locked and re-checked, so a second run finds nothing left to change."""
    with db.unit_of_work() as s:
        tenants = repo.tenants_with_members(s)
    changed = 0
    for tenant_id in tenants:
        after = 0
        while True:
            with db.unit_of_work() as s:
                n, last = service.recompute_batch(s, tenant_id, service.thresholds(s, tenant_id), at, after, BATCH)
            changed += n
            if last is None:
                break
            after = last
    return changed


JOBS = [DueJob("lifecycle.recompute", recompute_due)]
