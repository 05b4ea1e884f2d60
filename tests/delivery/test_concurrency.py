"""Two dispatchers batching the same deliveries at once (meaningful on PostgreSQL; SQLite serialises writers):
one batch is made, every other attempt is refused whole, and no delivery is in two batches."""

from __future__ import annotations

from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from linli.models import Delivery, DeliveryBatch
from tests.delivery.helpers import delivered_order, get, world


def test_eight_dispatchers_batching_the_same_deliveries_make_one_batch(make, db):
    if db.dialect != "postgresql":
        pytest.skip("concurrency is proven on PostgreSQL (SQLite serialises writers)")
    w = world(make, near=3)
    for _, h in w.near:
        delivered_order(w, h)
    ids = [d["id"] for d in get(w, "/deliveries", w.leader, status="pending")]
    # overlapping sets, in different orders: the whole set, and each pair
    sets = [ids, ids[::-1], ids[:2], ids[1:], [ids[0], ids[2]], ids, ids[::-1], ids[1:]]

    def dispatch(i: int) -> tuple[int, str | None]:
        who = w.leader if i % 2 else w.t.op
        r = w.t.client.post("/api/v1/delivery/batches", headers=who, json={
            "warehouse_id": w.warehouse_id, "rider_id": w.rider_id, "delivery_ids": sets[i]})
        return r.status_code, (r.json().get("error") or {}).get("code")

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = Counter(pool.map(dispatch, range(8)))
    # any two of these sets share a delivery, so exactly one of them can be batched
    assert results == {(201, None): 1, (409, "delivery_not_pending"): 7}, results
    made = 1
    with w.t.db.unit_of_work() as s:
        batches = s.scalar(select(func.count()).select_from(DeliveryBatch)
                           .where(DeliveryBatch.tenant_id == w.t.tenant_id))
        rows = list(s.execute(select(Delivery.batch_id, Delivery.status).where(Delivery.tenant_id == w.t.tenant_id)))
    assert batches == made  # a refused attempt left no batch behind
    # the winner's deliveries are batched (whichever set won); the rest still wait, in no batch
    assert {status for batch_id, status in rows if batch_id is not None} == {"batched"}
    assert {status for batch_id, status in rows if batch_id is None} <= {"pending"}
    assert sum(batch_id is not None for batch_id, _ in rows) >= 2
    # each batch holds exactly the stops planned for it
    stops = Counter(batch_id for batch_id, _ in rows)
    for b in get(w, "/batches", w.t.op):
        assert stops[b["id"]] == b["stops"] == len(b["route"])
