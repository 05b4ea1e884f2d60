from __future__ import annotations

from datetime import datetime

from linli.core.db import Database
from linli.core.jobs import DueJob
from linli.leader import service
from linli.tenancy import service as tenancy


def promote_due(db: Database, at: datetime) -> int:
    """Re-measure every leader as of `at` (activity and conversion move with the window) and promote
    those who earned a higher tier; each leader in its own transaction. Never demotes."""
    with db.unit_of_work() as s:
        work = [(t, lid) for t in tenancy.tenant_ids(s) for lid in service.leader_ids(s, t)]
    done = 0
    for tenant_id, leader_id in work:
        with db.unit_of_work() as s:
            done += service.promote(s, tenant_id, leader_id, at)
    return done


JOBS = [DueJob("leader.promote", promote_due)]
