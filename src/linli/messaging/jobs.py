"""Due work: deferred marketing messages go out when the quiet hours end."""

from __future__ import annotations

from datetime import datetime

from linli.core.db import Database
from linli.core.jobs import DueJob
from linli.messaging import repository as repo
from linli.messaging import service

BATCH = 200


def send_deferred_due(db: Database, at: datetime) -> int:
    """Every deferred delivery due by `at`, each in its own transaction (one failure does not hold the
    rest). Safe to run concurrently: a delivery moves deferred -> queued once (conditional UPDATE)."""
    sent = 0
    after = 0
    while True:
        with db.unit_of_work() as s:
            batch = [(d.tenant_id, d.id) for d in repo.due_deferred(s, at, BATCH, after)]
        if not batch:
            return sent
        for tenant_id, delivery_id in batch:
            with db.unit_of_work() as s:
                sent += service.send_deferred(s, tenant_id, delivery_id) == "sent"
        after = batch[-1][1]


JOBS = [DueJob("messaging.send_deferred", send_deferred_due)]
