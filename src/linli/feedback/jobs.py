"""Due work of the feedback kiosk: the SLA timers (1 h response, 3 d solution, 5 d follow-up). Each breach is
recorded in its own transaction, so a failure leaves the others recorded and the next run tries again."""

from __future__ import annotations

import logging
from datetime import datetime

from linli.core.db import Database
from linli.core.jobs import DueJob
from linli.feedback import sla

log = logging.getLogger("linli.feedback")
MAX_ROUNDS = 1000  # a guard against a loop


def run_due(db: Database, at: datetime) -> int:
    recorded = 0
    for timer in sla.TIMERS:
        seen: set[tuple[int, int]] = set()
        for _ in range(MAX_ROUNDS):
            with db.unit_of_work() as s:
                due = [d for d in sla.due_breaches(s, at, timer) if d not in seen]
            if not due:
                break
            for tenant_id, ticket_id in due:
                seen.add((tenant_id, ticket_id))
                try:
                    with db.unit_of_work() as s:
                        recorded += sla.record_breach(s, tenant_id, ticket_id, timer, at)
                except Exception:  # rolled back; the next run tries again
                    log.exception("feedback breach failed", extra={"ticket_id": ticket_id})
    return recorded


JOBS = [DueJob("feedback.sla", run_due)]
