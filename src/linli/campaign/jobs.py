"""Due work of scenario campaigns: scheduled ones start, sending that an event did not finish goes on
(one batch per transaction), and those past their window end — each campaign in its own transactions."""

from __future__ import annotations

import logging
from datetime import datetime

from linli.campaign import service
from linli.core.db import Database
from linli.core.jobs import DueJob

log = logging.getLogger("linli.campaign")
MAX_BATCHES = 10_000  # a guard against a loop; 200 members a batch


def run_due(db: Database, at: datetime) -> int:
    done = 0
    with db.unit_of_work() as s:
        starting = service.starts_due(s, at)
    for tenant_id, campaign_id in starting:
        with db.unit_of_work() as s:
            service.start_if_due(s, tenant_id, campaign_id, at)
    with db.unit_of_work() as s:
        sending = service.sending_due(s)
    for tenant_id, campaign_id in sending:
        done += _send_all(db, tenant_id, campaign_id)
    with db.unit_of_work() as s:
        ending = service.ends_due(s, at)
    for tenant_id, campaign_id in ending:
        with db.unit_of_work() as s:
            service.end_if_due(s, tenant_id, campaign_id, at)
    return done


def _send_all(db: Database, tenant_id: int, campaign_id: int) -> int:
    sent = 0
    for _ in range(MAX_BATCHES):
        try:
            with db.unit_of_work() as s:
                n = service.send_batch(s, tenant_id, campaign_id)
        except Exception:  # the batch rolled back; the next run (or the outbox event) tries again
            log.exception("campaign batch failed", extra={"campaign_id": campaign_id})
            return sent
        if n == 0:
            return sent
        sent += n
    return sent


JOBS = [DueJob("campaign.run_due", run_due)]
