"""Taking over an order history that never went through events — orders imported from another system, or
the demo tenant's bulk-written history: every paid order at a leader's pickup point gets the rows and entries
the live ledger would have written, dated when they would have happened. Orders the ledger already holds are
left alone, so it is safe to run again.

Per order: the accrual at payment, at the rate of the tier the leader held then (today's tier settings); a
reversal down to the target when the last refund came; the settlement once pickup + the return window has
passed by `now`. Reversals are taken from pending (the history does not say whether a refund came after
settlement), so no debt arises and the account is simply pending + available."""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from linli.commission import ledger
from linli.commission import repository as repo
from linli.community import service as community
from linli.leader import service as leaders
from linli.order import service as orders


class _Rates:
    """A leader's commission rate over time, from the tier history (leader.service.rate_timeline)."""

    def __init__(self, steps: list[tuple[datetime | None, int]]) -> None:
        self.changes = [when for when, _ in steps[1:] if when is not None]
        self.rates = [rate for _, rate in steps]

    def at(self, when: datetime) -> int:
        return self.rates[bisect_right(self.changes, when)]


def backfill(s: Session, tenant_id: int, now: datetime) -> int:
    """Bring the ledger up to the order history; returns the number of orders taken over."""
    leader_of_point = community.leaders_of_points(s, tenant_id)
    held = repo.order_ids(s, tenant_id)
    rates = {lid: _Rates(leaders.rate_timeline(s, tenant_id, lid)) for lid in set(leader_of_point.values())}
    rows: list[dict[str, Any]] = []
    entries: list[dict[str, Any]] = []
    balances: dict[int, list[int]] = defaultdict(lambda: [0, 0])  # leader -> [pending, available]

    def entry(leader_id: int, order_id: int, kind: str, key: str, amount: int, at: datetime, **kw: Any) -> None:
        entries.append({"tenant_id": tenant_id, "leader_id": leader_id, "kind": kind, "key": key,
                        "amount_fen": amount, "bucket": None, "owed_fen": 0, "rate_bp": None,
                        "order_id": order_id, "withdrawal_id": None, "created_at": at, **kw})

    for o in orders.paid_orders_at_points(s, tenant_id, list(leader_of_point)):
        f = o.facts
        if o.id in held or f.pickup_point_id not in leader_of_point:
            continue
        leader_id = leader_of_point[f.pickup_point_id]
        rate = rates[leader_id].at(o.paid_at)
        accrued = rate * f.payable_fen // 10000
        net = ledger.target(rate, f.payable_fen, f.refunded_fen, f.status)
        settled = f.settle_after is not None and f.settle_after <= now
        rows.append({"tenant_id": tenant_id, "order_id": o.id, "leader_id": leader_id, "rate_bp": rate,
                     "payable_fen": f.payable_fen, "accrued_fen": accrued, "reversed_fen": accrued - net,
                     "settled": settled, "settle_after": f.settle_after, "created_at": o.paid_at})
        entry(leader_id, o.id, "accrual", ledger.accrual_key(o.id), accrued, o.paid_at, rate_bp=rate)
        if net < accrued:
            entry(leader_id, o.id, "reversal", ledger.reversal_key(o.id, accrued - net), accrued - net,
                  o.refunded_at or o.paid_at, bucket="pending")
        if settled:
            assert f.settle_after is not None
            entry(leader_id, o.id, "settle", ledger.settle_key(o.id), net, f.settle_after)
        balances[leader_id][1 if settled else 0] += net
    repo.insert_history(s, rows, entries)
    for leader_id, (pending, available) in balances.items():
        acc = ledger.lock(s, tenant_id, leader_id)
        acc.pending_fen += pending
        acc.available_fen += available
    s.flush()
    return len(rows)
