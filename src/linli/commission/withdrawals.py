"""Withdrawal requests: available → held on request (a conditional UPDATE, so concurrent requests can
never overdraw), held → withdrawn on approval (paid out offline: no payment-provider payout is made),
held → available on rejection. Each movement leaves an entry."""

from __future__ import annotations

from sqlalchemy.orm import Session

from linli.commission import repository as repo
from linli.commission.schemas import RejectIn, WithdrawalIn, WithdrawalOut
from linli.commission.service import leader_of
from linli.core import clock
from linli.core.errors import Conflict, NotFound
from linli.core.pagination import Page, fetch_page, page_of
from linli.core.security import Principal
from linli.models import CommissionEntry, CommissionWithdrawal


def request(s: Session, p: Principal, data: WithdrawalIn) -> WithdrawalOut:
    leader_id = leader_of(p)
    if not repo.hold(s, p.tenant_id, leader_id, data.amount_fen):
        raise Conflict("not enough available commission", code="insufficient_commission")
    w = CommissionWithdrawal(tenant_id=p.tenant_id, leader_id=leader_id, amount_fen=data.amount_fen,
                             status="requested", created_at=clock.now())
    s.add(w)
    s.flush()
    _entry(s, w, "hold")
    return WithdrawalOut.model_validate(w)


def approve(s: Session, p: Principal, withdrawal_id: int) -> WithdrawalOut:
    return _decide(s, p, withdrawal_id, "approved", None)


def reject(s: Session, p: Principal, withdrawal_id: int, data: RejectIn) -> WithdrawalOut:
    return _decide(s, p, withdrawal_id, "rejected", data.reason)


def _decide(s: Session, p: Principal, withdrawal_id: int, status: str, reason: str | None) -> WithdrawalOut:
    w = repo.withdrawal(s, p.tenant_id, withdrawal_id)
    if w is None:
        raise NotFound("withdrawal not found", code="withdrawal_not_found")
    if not repo.decide(s, p.tenant_id, withdrawal_id, status, p.user_id, clock.now(), reason):
        raise Conflict(f"withdrawal is already {w.status}", code="withdrawal_decided")
    paid_out = status == "approved"
    if not repo.unhold(s, p.tenant_id, w.leader_id, w.amount_fen, paid_out):
        raise RuntimeError("held commission is less than a requested withdrawal")  # the ledger is broken
    _entry(s, w, "payout" if paid_out else "release")
    w = repo.withdrawal(s, p.tenant_id, withdrawal_id)
    assert w is not None
    return WithdrawalOut.model_validate(w)


def _entry(s: Session, w: CommissionWithdrawal, kind: str) -> None:
    s.add(CommissionEntry(tenant_id=w.tenant_id, leader_id=w.leader_id, kind=kind, key=f"withdrawal:{w.id}:{kind}",
                          amount_fen=w.amount_fen, owed_fen=0, withdrawal_id=w.id, created_at=clock.now()))
    s.flush()


def search(s: Session, p: Principal, status: str | None, leader_id: int | None, limit: int,
           cursor: str | None) -> Page[WithdrawalOut]:
    if p.role == "leader":
        leader_id = leader_of(p)
    rows, nxt = fetch_page(s, repo.withdrawals(p.tenant_id, status, leader_id), CommissionWithdrawal.id, limit,
                           cursor)
    return page_of(rows, nxt, WithdrawalOut.model_validate)
