"""Due work of alerts: each tenant's metrics evaluated once an hour, each tenant in its own transaction."""

from __future__ import annotations

import logging
from datetime import datetime

from linli.alert import service
from linli.core.db import Database
from linli.core.jobs import DueJob
from linli.tenancy import service as tenancy

log = logging.getLogger("linli.alert")


def run_due(db: Database, at: datetime) -> int:
    raised = 0
    with db.unit_of_work() as s:
        tenants = tenancy.tenant_ids(s)
    for tenant_id in tenants:
        try:
            with db.unit_of_work() as s:
                if service.claim_run(s, tenant_id, at):
                    raised += service.evaluate(s, tenant_id, at)
        except Exception:  # one tenant's failure must not stop the others; its hour is tried again next run
            log.exception("alert evaluation failed", extra={"tenant_id": tenant_id})
    return raised


JOBS = [DueJob("alert.run_due", run_due)]
