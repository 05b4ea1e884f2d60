"""The console's withdrawals queue: numbered pages with the amount's sum, and the whole filtered list in batches
for export."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from sqlalchemy.orm import Session

from linli.commission import repository as repo
from linli.commission.schemas import WithdrawalOut
from linli.core.listing import Filters, Numbered, batches, numbered, operator_only
from linli.core.security import Principal
from linli.models import CommissionWithdrawal

SUMS = ("amount_fen",)


def page(s: Session, p: Principal, f: Filters, number: int, size: int) -> Numbered[WithdrawalOut]:
    operator_only(p)
    return numbered(s, repo.console_withdrawals(p.tenant_id, f), CommissionWithdrawal.id, number, size, _shape,
                    SUMS)


def export(s: Session, p: Principal, f: Filters) -> Iterator[list[WithdrawalOut]]:
    operator_only(p)
    return batches(s, repo.console_withdrawals(p.tenant_id, f), CommissionWithdrawal.id, _shape)


def _shape(rows: Sequence[CommissionWithdrawal]) -> list[WithdrawalOut]:
    return [WithdrawalOut.model_validate(w) for w in rows]


def pending_withdrawals(s: Session, p: Principal) -> tuple[int, int]:
    """(how many, fen) of the withdrawals waiting for a decision (the console's to-do list)."""
    operator_only(p)
    found = numbered(s, repo.withdrawals(p.tenant_id, "requested", None), CommissionWithdrawal.id, 1, 1, _shape, SUMS)
    return found.total, found.sums["amount_fen"]
