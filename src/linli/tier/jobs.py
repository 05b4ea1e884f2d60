from __future__ import annotations

from datetime import datetime

from linli.core import clock
from linli.core.db import Database
from linli.core.jobs import DueJob
from linli.tenancy import service as tenancy
from linli.tier import reviews


def _tenants(db: Database) -> list[int]:
    with db.unit_of_work() as s:
        return tenancy.tenant_ids(s)


def black_card_due(db: Database, at: datetime) -> int:
    """Due at 00:00 on the 1st of each month (Asia/Shanghai); a later run in the month catches up once.
    The trailing 12 months end at that midnight, so every run for a month computes the same cards."""
    month_start = clock.local(at).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    done = 0
    for tenant_id in _tenants(db):
        with db.unit_of_work() as s:
            done += reviews.black_card(s, tenant_id, clock.as_utc(month_start)) is not None
    return done


def yearly_review_due(db: Database, at: datetime) -> int:
    """Due at 00:00 on 1 January (Asia/Shanghai); a run later in January catches up once. Outside
    January nothing happens, so a system started mid-year does not review a year it never saw."""
    local = clock.local(at)
    if local.month != 1:
        return 0
    review_at = clock.as_utc(local.replace(day=1, hour=0, minute=0, second=0, microsecond=0))
    changed = 0
    for tenant_id in _tenants(db):
        with db.unit_of_work() as s:
            changed += reviews.yearly_review(s, tenant_id, review_at)
    return changed


JOBS = [DueJob("tier.yearly_review", yearly_review_due), DueJob("tier.black_card", black_card_due)]
