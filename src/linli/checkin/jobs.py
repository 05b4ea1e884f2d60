"""On the 1st of each month (00:00 Asia/Shanghai) the previous month's 社区守护者 are awarded.
Run as of any later instant it catches up; a month already awarded is skipped."""

from __future__ import annotations

from datetime import datetime

from linli.checkin import months, service
from linli.checkin import repository as repo
from linli.core.db import Database
from linli.core.jobs import DueJob
from linli.tenancy import service as tenancy


def award_guardians(db: Database, at: datetime) -> int:
    month = months.previous(at)
    with db.unit_of_work() as s:
        done = repo.awarded_tenants(s, month)
        due = [t for t in tenancy.tenant_ids(s) if t not in done]
    awarded = 0
    for tenant_id in due:  # one transaction per tenant
        with db.unit_of_work() as s:
            awarded += service.award_month(s, tenant_id, month) or 0
    return awarded


JOBS = [DueJob("checkin.guardians", award_guardians)]
