"""The ledger's mechanics: accounts, double-entry postings, lots and their expiry.

Every posting runs under the member's account row lock (SELECT … FOR UPDATE), so movements of one
member happen one after another; different members never wait for each other (system accounts are
only read, never updated: their balance is the sum of their entries)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from linli.core import clock, outbox
from linli.core.errors import Conflict
from linli.member import service as members
from linli.models import PointsAccount, PointsEntry, PointsLot, PointsTransaction
from linli.points import repository as repo
from linli.points import rules as rules_of
from linli.points.schemas import RulesIn

# the system account on the other side of each kind of movement
ISSUED, EXPIRED, REVERSED, ORDER_DEDUCTION = "issued", "expired", "reversed", "order_deduction"
REDEEMED = {"goods": "redeemed_goods", "property_fee": "redeemed_property_fee", "charity": "redeemed_charity"}


@dataclass(frozen=True)
class Leg:
    """The member's side of one leg pair: +credit / -debit; the system account takes the opposite."""

    amount: int
    system: str


def insufficient() -> Conflict:
    return Conflict("not enough points", code="insufficient_points")


def lock(s: Session, tenant_id: int, member_id: int, sweep: bool = True) -> PointsAccount:
    """The member's account, locked for this transaction (created on first use), with lots past their
    expiry expired first so that a spend never uses points that are already gone."""
    acc = repo.member_account(s, tenant_id, member_id, lock=True)
    if acc is None:
        members.require_member(s, tenant_id, member_id)
        try:
            with s.begin_nested():
                s.add(PointsAccount(tenant_id=tenant_id, member_id=member_id, is_system=False, balance=0))
        except IntegrityError:
            pass  # a concurrent first use created it
        acc = repo.member_account(s, tenant_id, member_id, lock=True)
        assert acc is not None
    if sweep:
        expire_due(s, acc, clock.now())
    return acc


def expire_due(s: Session, acc: PointsAccount, at: datetime) -> int:
    """Expire what remains of the member's lots past their expiry; one `expire` transaction per lot
    (key lot:<id>:expire, so a rerun does nothing)."""
    assert acc.member_id is not None
    done = 0
    for lot in repo.member_due_lots(s, acc.tenant_id, acc.member_id, at):
        if post(s, acc, "expire", f"lot:{lot.id}:expire", [Leg(-lot.remaining, EXPIRED)],
                reason="积分过期", reference=f"lot:{lot.id}", from_lot=lot) is not None:
            done += 1
    return done


def post(s: Session, acc: PointsAccount, kind: str, key: str, legs: list[Leg], *, reason: str | None = None,
         reference: str | None = None, detail: dict[str, Any] | None = None, rules: RulesIn | None = None,
         from_lot: PointsLot | None = None, keep_empty: bool = False) -> PointsTransaction | None:
    """Record one balanced movement on a locked member account. Returns None when `key` was used
    before (nothing happens); raises insufficient_points when a debit would go below zero.
    keep_empty: record the transaction (with zero legs) even when no points move — bookkeeping that
    later movements read, e.g. an order refund whose earned points were all short."""
    tenant_id, member_id = acc.tenant_id, acc.member_id
    assert member_id is not None
    moving = [leg for leg in legs if leg.amount]
    legs = moving or ([Leg(0, legs[0].system)] if keep_empty and legs else [])
    if not legs or repo.transaction_by_key(s, tenant_id, key) is not None:
        return None
    running = acc.balance
    for leg in legs:
        running += leg.amount
        if running < 0:
            raise insufficient()
    tx = PointsTransaction(tenant_id=tenant_id, kind=kind, key=key, member_id=member_id,
                           amount=sum(leg.amount for leg in legs), reason=reason, reference=reference,
                           detail=detail, created_at=clock.now())
    try:
        with s.begin_nested():
            s.add(tx)
    except IntegrityError:
        return None  # the same key, used concurrently for another member
    if rules is None and any(leg.amount > 0 for leg in legs):
        rules = rules_of.current(s, tenant_id)
    balance = acc.balance
    for leg in legs:
        if leg.amount > 0:
            assert rules is not None
            balance = repo.credit(s, tenant_id, acc.id, leg.amount)
            s.add(PointsLot(tenant_id=tenant_id, member_id=member_id, transaction_id=tx.id, amount=leg.amount,
                            remaining=leg.amount, expires_at=rules_of.expires_at(rules, tx.created_at),
                            created_at=tx.created_at))
        elif leg.amount < 0:
            _consume(s, tenant_id, member_id, -leg.amount, from_lot)
            new = repo.debit(s, tenant_id, acc.id, -leg.amount)
            if new is None:
                raise insufficient()
            balance = new
        s.add(PointsEntry(tenant_id=tenant_id, transaction_id=tx.id, account_id=acc.id, amount=leg.amount,
                          balance_after=balance, created_at=tx.created_at))
        # the system side keeps no running balance (a sum of its entries): one hot row per tenant would
        # make every member's movement wait for every other's
        system = system_account(s, tenant_id, leg.system)
        s.add(PointsEntry(tenant_id=tenant_id, transaction_id=tx.id, account_id=system.id, amount=-leg.amount,
                          balance_after=None, created_at=tx.created_at))
    set_committed_value(acc, "balance", balance)
    s.flush()
    if moving:
        outbox.emit(s, tenant_id, "points.changed", {"member_id": member_id, "delta": tx.amount, "balance": balance,
                                                     "kind": kind, "transaction_id": tx.id})
    return tx


def _consume(s: Session, tenant_id: int, member_id: int, n: int, from_lot: PointsLot | None) -> None:
    """Take n points out of the member's lots, earliest expiry first (or out of one named lot)."""
    lots = [from_lot] if from_lot is not None else repo.open_lots(s, tenant_id, member_id)
    for lot in lots:
        take = min(lot.remaining, n)
        lot.remaining -= take
        n -= take
        if n == 0:
            return
    raise RuntimeError("points lots hold less than the balance")  # the ledger invariant is broken


def system_account(s: Session, tenant_id: int, code: str) -> PointsAccount:
    acc = repo.system_account(s, tenant_id, code)
    if acc is None:
        try:
            with s.begin_nested():
                s.add(PointsAccount(tenant_id=tenant_id, code=code, is_system=True, balance=0))
        except IntegrityError:
            pass  # a concurrent first use created it
        acc = repo.system_account(s, tenant_id, code)
        assert acc is not None
    return acc
