"""The ledger's invariants, checked straight against the tables."""

from __future__ import annotations

from sqlalchemy import func, select

from linli.core.db import Database
from linli.models import CommissionAccount, CommissionEntry, CommissionOrder, Order


def recomputed(s, tenant_id: int, leader_id: int) -> int:
    """Σ floor(rate × (payable − refunded) / 10000) over the leader's paid orders not cancelled nor fully
    refunded, with the rate fixed when the order's payment was handled (commission_orders.rate_bp)."""
    rows = s.execute(select(CommissionOrder.rate_bp, Order.payable_fen, Order.refunded_fen, Order.status)
                     .join(Order, Order.id == CommissionOrder.order_id)
                     .where(CommissionOrder.tenant_id == tenant_id, CommissionOrder.leader_id == leader_id))
    return sum(0 if st in ("cancelled", "refunded") else rate * (pay - ref) // 10000 for rate, pay, ref, st in rows)


def assert_consistent(db: Database, tenant_id: int, leader_id: int) -> None:
    with db.unit_of_work() as s:
        sums = dict(s.execute(select(CommissionEntry.kind, func.sum(CommissionEntry.amount_fen))
                              .where(CommissionEntry.tenant_id == tenant_id, CommissionEntry.leader_id == leader_id)
                              .group_by(CommissionEntry.kind)).all())
        ledger = int(sums.get("accrual") or 0) - int(sums.get("reversal") or 0)
        assert ledger == recomputed(s, tenant_id, leader_id)
        ledger += int(sums.get("subsidy") or 0)  # the monthly marketing subsidies: money owed, not from orders
        acc = s.scalar(select(CommissionAccount).where(CommissionAccount.tenant_id == tenant_id,
                                                       CommissionAccount.leader_id == leader_id))
        if acc is None:
            assert ledger == 0
            return
        assert acc.pending_fen + acc.available_fen + acc.held_fen + acc.withdrawn_fen - acc.owed_fen == ledger
        assert min(acc.pending_fen, acc.available_fen, acc.held_fen, acc.withdrawn_fen, acc.owed_fen) >= 0
