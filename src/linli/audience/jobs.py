"""The nightly bulk job: every tenant with tags whose last run is older than STALE_AFTER, one transaction each."""

from __future__ import annotations

from datetime import datetime, timedelta

from linli.audience import service
from linli.core.db import Database
from linli.core.jobs import DueJob

STALE_AFTER = timedelta(hours=24)


def refresh_stale(db: Database, at: datetime) -> int:
    with db.unit_of_work() as s:
        tenants = service.tenants_due(s, at - STALE_AFTER)
    for tenant_id in tenants:
        with db.unit_of_work() as s:
            service.refresh(s, tenant_id, at)
    return len(tenants)


JOBS = [DueJob("audience.refresh", refresh_stale)]
