"""The ledger's mechanics: accrual on payment, reversal on refund or cancellation, settlement after
pickup + the return window. Every movement runs under the leader's account row lock and is keyed, so
a redelivered event or a rerun job does nothing twice.

An order's commission is always brought to its *target*: floor(rate × (payable − refunded) / 10000),
0 once the order is cancelled or fully refunded. So Σ(accrued − reversed) over a leader's orders equals
the recomputation from the orders table exactly, whatever order refunds arrive in."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from linli.commission import repository as repo
from linli.core import clock
from linli.leader import service as leaders
from linli.models import CommissionAccount, CommissionEntry, CommissionOrder
from linli.order import service as orders

DEAD = ("cancelled", "refunded", "pending_payment", "expired")


def target(rate_bp: int, payable_fen: int, refunded_fen: int, status: str) -> int:
    if status in ("cancelled", "refunded"):
        return 0
    return rate_bp * max(payable_fen - refunded_fen, 0) // 10000


def lock(s: Session, tenant_id: int, leader_id: int) -> CommissionAccount:
    acc = repo.account(s, tenant_id, leader_id, lock=True)
    if acc is None:
        try:
            with s.begin_nested():
                s.add(CommissionAccount(tenant_id=tenant_id, leader_id=leader_id, pending_fen=0, available_fen=0,
                                        held_fen=0, withdrawn_fen=0, owed_fen=0))
        except IntegrityError:
            pass  # a concurrent first use created it
        acc = repo.account(s, tenant_id, leader_id, lock=True)
        assert acc is not None
    return acc


def accrual_key(order_id: int) -> str:
    return f"order:{order_id}:accrual"


def reversal_key(order_id: int, reversed_total: int) -> str:
    return f"order:{order_id}:reversal:{reversed_total}"  # net only falls: one key per level


def settle_key(order_id: int) -> str:
    return f"order:{order_id}:settle"


def _entry(s: Session, acc: CommissionAccount, kind: str, key: str, amount: int, **kw: object) -> None:
    s.add(CommissionEntry(tenant_id=acc.tenant_id, leader_id=acc.leader_id, kind=kind, key=key,
                          amount_fen=amount, created_at=clock.now(), **kw))


def sync_order(s: Session, tenant_id: int, order_id: int) -> None:
    """Accrue (first time a paid order at a leader's point is seen), then reverse down to the target and
    mark when it becomes settleable. Safe to call for any order event, any number of times."""
    facts = orders.commission_facts(s, tenant_id, order_id)
    if facts is None:
        return
    row = repo.order(s, tenant_id, order_id)
    if row is None:
        if facts.status in DEAD or facts.pickup_point_id is None:
            return
        leader_id = leaders.leader_of_point(s, tenant_id, facts.pickup_point_id)
        if leader_id is None:
            return
        acc = lock(s, tenant_id, leader_id)
        row = repo.order(s, tenant_id, order_id)  # under the lock: a concurrent delivery may have accrued
        if row is None:
            rate = leaders.commission_rate_bp(s, tenant_id, leader_id)
            amount = rate * facts.payable_fen // 10000
            row = CommissionOrder(tenant_id=tenant_id, order_id=order_id, leader_id=leader_id, rate_bp=rate,
                                  payable_fen=facts.payable_fen, accrued_fen=amount, reversed_fen=0, settled=False,
                                  settle_after=facts.settle_after, created_at=clock.now())
            s.add(row)
            _entry(s, acc, "accrual", accrual_key(order_id), amount, rate_bp=rate, order_id=order_id)
            acc.pending_fen += amount
            s.flush()
    else:
        acc = lock(s, tenant_id, row.leader_id)
        row = repo.order(s, tenant_id, order_id)
        assert row is not None
    if row.settle_after is None and facts.settle_after is not None:
        row.settle_after = facts.settle_after
    goal = target(row.rate_bp, row.payable_fen, facts.refunded_fen, facts.status)
    net = row.accrued_fen - row.reversed_fen
    if goal < net:
        _reverse(s, acc, row, net - goal)
    s.flush()


def _reverse(s: Session, acc: CommissionAccount, row: CommissionOrder, amount: int) -> None:
    key = reversal_key(row.order_id, row.reversed_fen + amount)
    owed = 0
    if not row.settled:
        bucket = "pending"
        acc.pending_fen -= amount
    else:
        bucket = "available"
        take = min(acc.available_fen, amount)
        owed = amount - take
        acc.available_fen -= take
        acc.owed_fen += owed
    row.reversed_fen += amount
    _entry(s, acc, "reversal", key, amount, bucket=bucket, owed_fen=owed, order_id=row.order_id)


def settle_order(s: Session, tenant_id: int, order_id: int) -> int:
    """pending → available for one due order (what it owes first pays off the leader's debt)."""
    row = repo.order(s, tenant_id, order_id)
    if row is None or row.settled:
        return 0
    acc = lock(s, tenant_id, row.leader_id)
    row = repo.order(s, tenant_id, order_id)
    assert row is not None
    if row.settled or row.settle_after is None or row.settle_after > clock.now():
        return 0
    net = row.accrued_fen - row.reversed_fen
    paid_off = min(acc.owed_fen, net)
    acc.pending_fen -= net
    acc.owed_fen -= paid_off
    acc.available_fen += net - paid_off
    row.settled = True
    _entry(s, acc, "settle", settle_key(order_id), net, owed_fen=paid_off, order_id=order_id)
    s.flush()
    return 1


def subsidy_key(leader_id: int, month: str) -> str:
    return f"leader:{leader_id}:subsidy:{month}"


def credit_subsidy(s: Session, tenant_id: int, leader_id: int, month: str, amount: int, at: datetime) -> int:
    """The tier's monthly marketing subsidy (营销费用补贴), straight to available (no return window: it is not
    tied to an order); it pays off any debt first, as a settlement does. Once per leader and month; dated `at`
    (when the month was assessed, however late the event is handled)."""
    if amount <= 0:
        return 0
    acc = lock(s, tenant_id, leader_id)
    key = subsidy_key(leader_id, month)
    if repo.entry_by_key(s, tenant_id, key) is not None:
        return 0
    paid_off = min(acc.owed_fen, amount)
    acc.owed_fen -= paid_off
    acc.available_fen += amount - paid_off
    s.add(CommissionEntry(tenant_id=tenant_id, leader_id=leader_id, kind="subsidy", key=key, amount_fen=amount,
                          owed_fen=paid_off, created_at=at))
    s.flush()
    return amount
