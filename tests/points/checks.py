"""Ledger invariants the points tests assert after every scenario."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select

from linli.core.db import Database
from linli.models import PointsAccount, PointsEntry, PointsLot, PointsTransaction


def assert_consistent(db: Database, tenant_id: int) -> None:
    """Every transaction has ≥ 2 legs summing to zero; every account's entries sum to its balance;
    a member's open lots hold exactly its balance, which is never negative."""
    with db.unit_of_work() as s:
        legs: dict[int, list[int]] = defaultdict(list)
        by_account: dict[int, int] = defaultdict(int)
        for e in s.scalars(select(PointsEntry).where(PointsEntry.tenant_id == tenant_id)):
            legs[e.transaction_id].append(e.amount)
            by_account[e.account_id] += e.amount
        tx_ids = set(s.scalars(select(PointsTransaction.id).where(PointsTransaction.tenant_id == tenant_id)))
        assert tx_ids == set(legs), "every transaction has legs"
        for tx_id, amounts in legs.items():
            assert len(amounts) >= 2 and sum(amounts) == 0, (tx_id, amounts)
        lots: dict[int, int] = defaultdict(int)
        for lot in s.scalars(select(PointsLot).where(PointsLot.tenant_id == tenant_id)):
            assert 0 <= lot.remaining <= lot.amount
            lots[lot.member_id] += lot.remaining
        members_total = system_total = 0
        for acc in s.scalars(select(PointsAccount).where(PointsAccount.tenant_id == tenant_id)):
            if acc.member_id is None:  # a system account keeps no running balance: the sum of its entries
                system_total += by_account[acc.id]
                continue
            assert by_account[acc.id] == acc.balance, (acc.member_id, by_account[acc.id], acc.balance)
            assert acc.balance >= 0
            assert lots[acc.member_id] == acc.balance, (acc.member_id, lots[acc.member_id], acc.balance)
            members_total += acc.balance
        # double entry: what the system accounts hold is exactly what members hold, with the sign turned
        assert system_total == -members_total


def balance(db: Database, tenant_id: int, member_id: int) -> int:
    from linli.points import service

    with db.unit_of_work() as s:
        return service.balance(s, tenant_id, member_id)
