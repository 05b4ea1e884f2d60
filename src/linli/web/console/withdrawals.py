"""提现审核: the leaders' withdrawal requests, approve (paid out offline) or reject with a reason."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from linli.commission import listing as withdrawal_listing
from linli.commission import withdrawals
from linli.commission.schemas import RejectIn, WithdrawalOut
from linli.core.http import Db
from linli.core.security import Principal
from linli.leader import service as leaders
from linli.web.console.guard import ConsoleOperator
from linli.web.console.listing import Column, ListView, Lookup, Source, money
from linli.web.console.review import Queue
from linli.web.leader_labels import WITHDRAWAL_STATUSES

router = APIRouter()
DECIDED = "该提现申请已处理过了。"


VIEW = ListView(
    "/console/withdrawals", "提现审核", "提现申请", date_label="申请时间", statuses=WITHDRAWAL_STATUSES, leader=True,
    sums={"amount_fen": "金额合计"},
    columns=[
        Column("提现ID", lambda w, x: w.id),
        Column("团长", lambda w, x: x["names"].get(w.leader_id, "")),
        Column("团长ID", lambda w, x: w.leader_id),
        Column("金额（元）", lambda w, x: money(w.amount_fen)),
        Column("状态", lambda w, x: WITHDRAWAL_STATUSES.get(w.status, w.status)),
        Column("驳回原因", lambda w, x: w.reason or ""),
        Column("申请时间", lambda w, x: w.created_at),
        Column("处理时间", lambda w, x: w.decided_at),
    ])


def _names(s: Session, p: Principal) -> Lookup:
    def lookup(rows: Sequence[WithdrawalOut]) -> dict[str, Any]:
        profiles = leaders.profiles(s, p.tenant_id, sorted({w.leader_id for w in rows}))
        return {"names": {i: pr.name for i, pr in profiles.items()}}
    return lookup


QUEUE = Queue(VIEW, "console/withdrawals.html", "withdrawals",
              Source(withdrawal_listing.page, withdrawal_listing.export), "提现申请 {} 不存在。", _names)


@router.get("/withdrawals")
def withdrawal_list(request: Request, p: ConsoleOperator, s: Db, status: str = "requested",
                    done: str = "") -> Response:
    return QUEUE.page(request, p, s, status, done=done)


@router.post("/withdrawals/{withdrawal_id}/approve")
def approve(request: Request, p: ConsoleOperator, s: Db, withdrawal_id: str) -> Response:
    return QUEUE.decide(request, p, s, withdrawal_id, lambda i: withdrawals.approve(s, p, i), "approved", {},
                        DECIDED)


@router.post("/withdrawals/{withdrawal_id}/reject")
def reject(request: Request, p: ConsoleOperator, s: Db, withdrawal_id: str,
           reason: Annotated[str, Form(max_length=2000)] = "") -> Response:
    try:
        data = RejectIn(reason=reason)
    except ValidationError:
        return QUEUE.page(request, p, s, "requested", 422, error="请填写驳回原因（200 字以内）。",
                          reject_id=withdrawal_id, reason=reason.strip())
    return QUEUE.decide(request, p, s, withdrawal_id, lambda i: withdrawals.reject(s, p, i, data), "rejected", {},
                        DECIDED)
