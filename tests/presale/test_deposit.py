"""定金预售: a deposit now, the balance by a deadline; a deposit not followed by its balance is kept."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from linli.core import clock
from linli.core.jobs import run_due
from linli.events import build_registry
from linli.models import Order, Refund, SandboxTransaction
from linli.schedule import DUE_JOBS

PRICE, DEPOSIT = 6800, 1000


def _presale(t: Any, quantity: int = 5, **extra: Any) -> dict[str, Any]:
    product = t.product(stock=0, price_fen=8800)
    now = clock.now()
    body = {"product_id": product["id"], "price_fen": PRICE, "quantity": quantity, "per_member_limit": 3,
            "starts_at": (now - timedelta(hours=1)).isoformat(), "ends_at": (now + timedelta(days=2)).isoformat(),
            "delivers_at": (now + timedelta(days=5)).isoformat(), "deposit_fen": DEPOSIT,
            "balance_due_at": (now + timedelta(days=4)).isoformat()}
    body.update(extra)
    return t.post("/presales", body)


def _order(t: Any, order_id: int) -> dict[str, Any]:
    r = t.client.get(f"/api/v1/orders/{order_id}", headers=t.op)
    assert r.status_code == 200, r.text
    return r.json()


def _charges_and_refunds(t: Any, order_id: int) -> tuple[list[int], list[int]]:
    with t.db.unit_of_work() as s:
        rows = s.scalars(select(SandboxTransaction).where(
            SandboxTransaction.request_key.like(f"t{t.tenant_id}:order:{order_id}:%"))
            .order_by(SandboxTransaction.id)).all()
        return ([r.amount_fen for r in rows if r.kind == "charge"], [r.amount_fen for r in rows if r.kind == "refund"])


def test_deposit_then_balance_then_refund_across_both_charges(make):
    t = make.tenant()
    presale = _presale(t)
    assert (presale["deposit_fen"], presale["price_fen"]) == (DEPOSIT, PRICE)
    mh = t.members(1)[0]
    order = t.post(f"/presales/{presale['id']}/orders", {"quantity": 2}, mh)
    assert (order["payable_fen"], order["deposit_fen"]) == (2 * PRICE, 2 * DEPOSIT)

    assert t.post(f"/orders/{order['id']}/pay", None, mh, expect=200)["status"] == "awaiting_balance"
    waiting = t.client.get(f"/api/v1/orders/{order['id']}", headers=mh).json()
    assert waiting["pickup_code"] is None and waiting["paid_at"] is None
    assert [e["action"] for e in waiting["timeline"]] == ["created", "deposit_paid"]

    assert t.post(f"/orders/{order['id']}/pay", None, mh, expect=200)["status"] == "paid"
    paid = t.client.get(f"/api/v1/orders/{order['id']}", headers=mh).json()
    assert paid["pickup_code"] and paid["paid_at"]
    assert _charges_and_refunds(t, order["id"]) == ([2 * DEPOSIT, 2 * PRICE - 2 * DEPOSIT], [])

    again = t.client.post(f"/api/v1/orders/{order['id']}/pay", headers=mh)
    assert again.status_code == 409 and again.json()["error"]["code"] == "not_payable"

    t.post(f"/orders/{order['id']}/refund", {"reason": "不想要了"}, t.op, expect=200)
    charges, refunds = _charges_and_refunds(t, order["id"])
    # the balance goes back first, then the deposit: each refund within what its charge took
    assert refunds == [2 * PRICE - 2 * DEPOSIT, 2 * DEPOSIT]
    assert _order(t, order["id"])["refunded_fen"] == 2 * PRICE


def test_partial_refunds_walk_back_through_the_charges(make):
    t = make.tenant()
    presale = _presale(t)
    mh = t.members(1)[0]
    order = t.post(f"/presales/{presale['id']}/orders", {"quantity": 3}, mh)
    t.post(f"/orders/{order['id']}/pay", None, mh, expect=200)
    t.post(f"/orders/{order['id']}/pay", None, mh, expect=200)
    item = order["items"][0]["id"]
    for _ in range(3):
        t.post(f"/orders/{order['id']}/refund", {"reason": "退一件", "lines": [{"item_id": item, "quantity": 1}]},
               t.op, expect=200)
    charges, refunds = _charges_and_refunds(t, order["id"])
    assert charges == [3 * DEPOSIT, 3 * PRICE - 3 * DEPOSIT]
    assert sum(refunds) == 3 * PRICE
    # 3 × 6800 refunded against a balance of 17400 and a deposit of 3000: the third refund spans both
    assert refunds == [PRICE, PRICE, 17400 - 2 * PRICE, 3 * DEPOSIT]


def test_balance_not_paid_by_the_deadline_keeps_the_deposit_and_frees_the_units(make):
    t = make.tenant()
    presale = _presale(t, quantity=2)
    a = t.members(1)[0]
    order = t.post(f"/presales/{presale['id']}/orders", {"quantity": 2}, a)
    t.post(f"/orders/{order['id']}/pay", None, a, expect=200)
    at = datetime.fromisoformat(presale["balance_due_at"]) + timedelta(seconds=1)

    with clock.frozen_at(at):
        late = t.client.post(f"/api/v1/orders/{order['id']}/pay", headers=a)
        assert late.status_code == 409 and late.json()["error"]["code"] == "order_expired"
    ran = run_due(t.db, DUE_JOBS, build_registry(), at=at)
    assert ran["order.forfeit_unpaid_balances"] == 1
    assert run_due(t.db, DUE_JOBS, build_registry(), at=at)["order.forfeit_unpaid_balances"] == 0

    closed = _order(t, order["id"])
    assert (closed["status"], closed["refunded_fen"]) == ("cancelled", 0)
    assert closed["timeline"][-1]["detail"]["deposit_kept_fen"] == 2 * DEPOSIT
    assert _charges_and_refunds(t, order["id"]) == ([2 * DEPOSIT], [])
    got = t.client.get(f"/api/v1/presales/{presale['id']}", headers=t.op).json()
    assert got["sold"] == 0  # the units are back in the quota


@pytest.mark.parametrize(("who", "refunded"), [("member", 0), ("operator", 2 * DEPOSIT)])
def test_cancelling_before_the_balance(make, who, refunded):
    """A member who walks away leaves the deposit (定金不退); customer service may give it back."""
    t = make.tenant()
    presale = _presale(t)
    mh = t.members(1)[0]
    order = t.post(f"/presales/{presale['id']}/orders", {"quantity": 2}, mh)
    t.post(f"/orders/{order['id']}/pay", None, mh, expect=200)
    t.post(f"/orders/{order['id']}/cancel", {"reason": "取消"}, mh if who == "member" else t.op, expect=200)
    closed = _order(t, order["id"])
    assert (closed["status"], closed["refunded_fen"]) == ("cancelled", refunded)
    assert _charges_and_refunds(t, order["id"])[1] == ([refunded] if refunded else [])
    with t.db.unit_of_work() as s:
        assert s.get(Order, order["id"]).deposit_fen == 2 * DEPOSIT
        assert sum(r.amount_fen for r in s.scalars(select(Refund).where(Refund.order_id == order["id"]))) == refunded


@pytest.mark.parametrize("extra", [
    {"deposit_fen": PRICE},  # not below the price
    {"deposit_fen": 0},
    {"deposit_fen": None, "balance_due_at": "2030-01-01T00:00:00+08:00"},  # a deadline without a deposit
    {"balance_due_at": "2000-01-01T00:00:00+08:00"},  # before the sale ends
])
def test_bad_deposit_terms_are_refused(make, extra):
    t = make.tenant()
    product = t.product(stock=0)
    now = clock.now()
    body = {"product_id": product["id"], "price_fen": PRICE, "quantity": 5,
            "starts_at": now.isoformat(), "ends_at": (now + timedelta(days=1)).isoformat(),
            "delivers_at": (now + timedelta(days=2)).isoformat(), "deposit_fen": DEPOSIT, **extra}
    r = t.client.post("/api/v1/presales", json=body, headers=t.op)
    assert r.status_code == 422, r.text
    assert t.client.get("/api/v1/presales", headers=t.op).json()["items"] == []
