"""Taking over an order history that never went through events (an import): the same ledger the live
handlers would have built, once, and the late events then change nothing."""

from __future__ import annotations

from sqlalchemy import func, select

from linli.commission import service as commission
from linli.core import clock
from linli.core.outbox import drain
from linli.events import build_registry
from linli.models import CommissionEntry, CommissionOrder
from tests.commission.checks import assert_consistent


def _rows(t, model) -> int:
    with t.db.unit_of_work() as s:
        return int(s.scalar(select(func.count()).select_from(model).where(model.tenant_id == t.tenant_id)))


def test_history_is_taken_over_once_and_late_events_change_nothing(make):
    t = make.tenant()
    leader_id, point_id, leader_h = t.leader()
    product = t.product(stock=100, price_fen=2000)
    members = t.members(3)
    orders = []
    for h in members:
        order = t.post("/orders", {"items": [{"product_id": product["id"], "quantity": 1}],
                                   "pickup_point_id": point_id}, h)
        t.post(f"/orders/{order['id']}/pay", None, h, expect=200)
        orders.append((order, h))
    refunded, rh = orders[0]
    t.post(f"/orders/{refunded['id']}/refund", {"reason": "不要了"}, rh, expect=200)
    unpaid = t.post("/orders", {"items": [{"product_id": product["id"], "quantity": 1}],
                                "pickup_point_id": point_id}, members[1])
    assert unpaid["status"] == "pending_payment"

    with t.db.unit_of_work() as s:  # no event delivered yet: the ledger knows nothing
        assert commission.take_over_history(s, t.tenant_id, clock.now()) == 3  # paid ones only
    assert _rows(t, CommissionOrder) == 3
    assert_consistent(t.db, t.tenant_id, leader_id)
    account = t.client.get("/api/v1/leader/commission", headers=leader_h).json()
    assert account["pending_fen"] == 2 * 100  # 5 % of two 20-yuan orders; the refunded one nets 0
    entries = _rows(t, CommissionEntry)

    with t.db.unit_of_work() as s:
        assert commission.take_over_history(s, t.tenant_id, clock.now()) == 0
    drain(t.db, build_registry())  # the late events: every order is already in the ledger
    assert (_rows(t, CommissionOrder), _rows(t, CommissionEntry)) == (3, entries)
    assert t.client.get("/api/v1/leader/commission", headers=leader_h).json() == account
    assert_consistent(t.db, t.tenant_id, leader_id)
