from __future__ import annotations

from datetime import datetime

from linli.core.db import Database
from linli.core.jobs import DueJob
from linli.referral import repository as repo
from linli.referral import service


def qualify_due(db: Database, at: datetime) -> int:
    """Invites whose first order outlived the return window now count; each in its own transaction."""
    with db.unit_of_work() as s:
        due = repo.due_to_qualify(s, at, 1000)
    done = 0
    for tenant_id, referral_id in due:
        with db.unit_of_work() as s:
            done += service.qualify(s, tenant_id, referral_id)
    return done


JOBS = [DueJob("referral.qualify", qualify_due)]
