"""Flash-sale due work: close ended sales, and keep the Redis gate true to the database."""

from __future__ import annotations

from datetime import datetime, timedelta

from linli.core.db import Database
from linli.core.jobs import DueJob
from linli.flashsale import repository as repo
from linli.flashsale import service
from linli.flashsale.gate import gate
from linli.flashsale.soldout import memo

# A reservation older than this without its order committed belongs to a request that died.
STALE_RESERVATION = timedelta(seconds=30)


def close_ended(db: Database, at: datetime) -> int:
    with db.unit_of_work() as s:
        due = repo.due_to_close(s, at)
    done = 0
    for tenant_id, sale_id in due:
        with db.unit_of_work() as s:
            done += service.close(s, tenant_id, sale_id)
    return done


def repair_reservations(db: Database, at: datetime) -> int:
    """Resolve reservations left by a crash between Redis and the database commit: a token whose
    purchase is in the database is confirmed, any other gives its units back. Then the counter is
    reset from the database."""
    g = gate()
    if g is None:
        return 0
    repaired = 0
    with db.unit_of_work() as s:
        sales = [(sale.tenant_id, sale.id, sale.quantity) for sale in repo.open_sales(s, at)]
    for tenant_id, sale_id, quantity in sales:
        stale = [t for t, when in g.pending(tenant_id, sale_id).items()
                 if when <= (at - STALE_RESERVATION).timestamp()]
        if stale:
            with db.unit_of_work() as s:
                recorded = repo.reservations_recorded(s, stale)
            for token in stale:
                if token in recorded:
                    g.confirm(tenant_id, sale_id, token)
                else:
                    repaired += g.compensate(tenant_id, sale_id, token)
        with db.unit_of_work() as s:
            sale = repo.get(s, tenant_id, sale_id)
            left = g.reconcile(tenant_id, sale_id, quantity - sale.sold) \
                if sale is not None and sale.closed_at is None else 0
        if left > 0:  # units are left (e.g. a crashed request's): this process need not wait to see them
            memo().forget(tenant_id, sale_id)
    return repaired


JOBS = [DueJob("flashsale.repair_reservations", repair_reservations), DueJob("flashsale.close_ended", close_ended)]
