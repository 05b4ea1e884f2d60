from __future__ import annotations

from datetime import datetime

from linli.commission import repository as repo
from linli.commission import service
from linli.core.db import Database
from linli.core.jobs import DueJob


def settle_due(db: Database, at: datetime) -> int:
    """pending → available for orders past pickup + their return window, each in its own transaction
    (keyed per order: a rerun or a concurrent run settles nothing twice)."""
    done = 0
    while True:
        with db.unit_of_work() as s:
            due = repo.due_orders(s, at, 500)
        batch = 0
        for tenant_id, order_id in due:
            with db.unit_of_work() as s:
                batch += service.settle_order(s, tenant_id, order_id)
        done += batch
        if len(due) < 500 or batch == 0:
            return done


JOBS = [DueJob("commission.settle", settle_due)]
