from __future__ import annotations

from datetime import datetime

from linli.assessment import service
from linli.checkin import months
from linli.core.db import Database
from linli.core.jobs import DueJob
from linli.tenancy import service as tenancy


def monthly_due(db: Database, at: datetime) -> int:
    """Due at 00:00 on the 1st (Asia/Shanghai) for the month just ended; a later run in the month catches
    up once. Each tenant in its own transaction; the (tenant, month) run row makes it idempotent."""
    month = months.previous(at)
    with db.unit_of_work() as s:
        tenants = [t for t in tenancy.tenant_ids(s) if t not in service.assessed_tenants(s, month)]
    done = 0
    for tenant_id in tenants:
        with db.unit_of_work() as s:
            done += service.run_due(s, tenant_id, month)
    return done


JOBS = [DueJob("assessment.monthly", monthly_due)]
