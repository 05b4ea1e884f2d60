"""Under contention (meaningful on PostgreSQL; SQLite serialises writers): leaders racing for the last free
compartment get it once, one order deposited by many at once goes into one compartment, and a code tapped on
several kiosks at once hands the order over once."""

from __future__ import annotations

from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from linli.models import LockerCompartment, OrderEvent
from tests.locker.helpers import code_of, locker, order_status, paid_order, parcel_rows

THREADS = 8


def _race(t, lk, order_ids: list[int]) -> Counter[tuple[int, str | None]]:
    def go(order_id: int) -> tuple[int, str | None]:
        r = t.client.post(f"/api/v1/lockers/{lk.id}/deposits", json={"order_id": order_id, "size": "S"},
                          headers=lk.leader)
        return r.status_code, (r.json().get("error") or {}).get("code")
    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        return Counter(pool.map(go, order_ids))


def _occupied(t, lk) -> int:
    with t.db.unit_of_work() as s:
        return int(s.scalar(select(func.count()).select_from(LockerCompartment).where(
            LockerCompartment.pickup_point_id == lk.id, LockerCompartment.status == "occupied")) or 0)


def test_racing_for_the_last_compartment_and_one_order_deposited_at_once(make, db):
    if db.dialect != "postgresql":
        pytest.skip("concurrency is proven on PostgreSQL (SQLite serialises writers)")
    t = make.tenant()
    lk = locker(t, small=THREADS, medium=0)
    members = t.members(THREADS)
    orders = [paid_order(t, lk, m) for m in members]
    # the same order, eight times at once: one compartment, one parcel, one code
    same = _race(t, lk, [orders[0]] * THREADS)
    assert same == {(201, None): 1, (409, "already_in_locker"): THREADS - 1}
    assert _occupied(t, lk) == 1
    # fill all but one, then seven leaders race for the last free one
    for order_id in orders[1:THREADS - 1]:
        assert t.client.post(f"/api/v1/lockers/{lk.id}/deposits", json={"order_id": order_id, "size": "S"},
                             headers=lk.leader).status_code == 201
    extra = [paid_order(t, lk, m) for m in members[:THREADS - 1]]
    last = _race(t, lk, [orders[-1], *extra])
    assert last == {(201, None): 1, (409, "no_free_compartment"): THREADS - 1}
    rows = parcel_rows(t)
    assert _occupied(t, lk) == THREADS == len(rows)
    assert len({r.compartment_id for r in rows}) == len({r.order_id for r in rows}) == len({r.code for r in rows})

    # the first parcel's code, tapped on several kiosks at once: all open, one hand-over
    first = next(r for r in rows if r.order_id == orders[0])
    code = code_of(t, members[0], first.id)

    def tap(_: int) -> tuple[int, int | None]:
        r = t.client.post(f"/api/v1/lockers/{lk.id}/collect", json={"code": code}, headers=t.op)
        return r.status_code, r.json().get("parcel_id")
    with ThreadPoolExecutor(max_workers=4) as pool:
        assert Counter(pool.map(tap, range(4))) == {(200, first.id): 4}
    assert order_status(t, orders[0]) == "picked_up" and _occupied(t, lk) == THREADS - 1
    with t.db.unit_of_work() as s:
        assert s.scalar(select(func.count()).select_from(OrderEvent).where(
            OrderEvent.order_id == orders[0], OrderEvent.action == "picked_up")) == 1
