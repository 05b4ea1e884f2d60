from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse

from linli.commission import dashboard, service, withdrawals
from linli.commission.schemas import (
    CommissionOut,
    DashboardOut,
    Period,
    RejectIn,
    StatementOut,
    WithdrawalIn,
    WithdrawalOut,
    WithdrawalStatus,
)
from linli.core.http import Db, IdemKey, LeaderOrOperator, Operator, idempotent, require
from linli.core.pagination import Page
from linli.core.schemas import Id, Limit, Month
from linli.core.security import Principal

router = APIRouter(tags=["commission"])
Cursor = Annotated[str | None, Query(max_length=20)]
Leader = Annotated[Principal, Depends(require("leader"))]


@router.get("/leader/dashboard", response_model=DashboardOut)
def my_dashboard(p: Leader, s: Db, period: Period = "month") -> DashboardOut:
    return dashboard.dashboard(s, p.tenant_id, service.leader_of(p), period)


@router.get("/leader/commission", response_model=CommissionOut)
def my_commission(p: Leader, s: Db, limit: Limit = 50, cursor: Cursor = None) -> CommissionOut:
    return service.commission(s, p.tenant_id, service.leader_of(p), limit, cursor)


@router.get("/leader/statements", response_model=StatementOut)
def my_statement(p: Leader, s: Db, month: Month | None = None) -> StatementOut:
    return service.statement(s, p.tenant_id, service.leader_of(p), month)


@router.get("/leaders/{leader_id}/statements", response_model=StatementOut)
def leader_statement(leader_id: Id, p: Operator, s: Db, month: Month | None = None) -> StatementOut:
    return service.statement(s, p.tenant_id, leader_id, month)


@router.post("/leader/withdrawals", status_code=201, response_model=WithdrawalOut)
def request_withdrawal(data: WithdrawalIn, p: Leader, s: Db, request: Request, key: IdemKey = None) -> JSONResponse:
    return idempotent(s, p, request, key, data, 201, lambda: withdrawals.request(s, p, data))


@router.get("/withdrawals", response_model=Page[WithdrawalOut])
def list_withdrawals(p: LeaderOrOperator, s: Db, status: WithdrawalStatus | None = None, leader_id: Id | None = None,
                     limit: Limit = 50, cursor: Cursor = None) -> Page[WithdrawalOut]:
    return withdrawals.search(s, p, status, leader_id, limit, cursor)


@router.post("/withdrawals/{withdrawal_id}/approve", response_model=WithdrawalOut)
def approve(withdrawal_id: Id, p: Operator, s: Db) -> WithdrawalOut:
    return withdrawals.approve(s, p, withdrawal_id)


@router.post("/withdrawals/{withdrawal_id}/reject", response_model=WithdrawalOut)
def reject(withdrawal_id: Id, data: RejectIn, p: Operator, s: Db) -> WithdrawalOut:
    return withdrawals.reject(s, p, withdrawal_id, data)
