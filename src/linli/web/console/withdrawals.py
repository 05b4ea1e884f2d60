"""提现审核: the leaders' withdrawal requests, approve (paid out offline) or reject with a reason."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from linli.commission import withdrawals
from linli.commission.schemas import RejectIn
from linli.core.http import Db
from linli.core.security import Principal
from linli.leader import service as leaders
from linli.web.console.guard import ConsoleOperator
from linli.web.console.review import Listing, Queue
from linli.web.console.templating import PAGE_SIZE
from linli.web.leader_labels import WITHDRAWAL_STATUSES

router = APIRouter()
DECIDED = "该提现申请已处理过了。"


def _fetch(s: Session, p: Principal, status: str | None, cursor: str | None) -> Listing:
    page = withdrawals.search(s, p, status, None, PAGE_SIZE, cursor)
    profiles = leaders.profiles(s, p.tenant_id, sorted({w.leader_id for w in page.items}))
    return page.items, page.next_cursor, {"names": {i: pr.name for i, pr in profiles.items()}}


QUEUE = Queue("/console/withdrawals", "console/withdrawals.html", "withdrawals", "提现审核", WITHDRAWAL_STATUSES,
              _fetch, "提现申请 {} 不存在。")


@router.get("/withdrawals")
def withdrawal_list(request: Request, p: ConsoleOperator, s: Db, status: str = "requested", cursor: str = "",
                    done: str = "") -> Response:
    return QUEUE.page(request, p, s, status, cursor, done=done)


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
        return QUEUE.page(request, p, s, "requested", "", 422, error="请填写驳回原因（200 字以内）。",
                          reject_id=withdrawal_id, reason=reason.strip())
    return QUEUE.decide(request, p, s, withdrawal_id, lambda i: withdrawals.reject(s, p, i, data), "rejected", {},
                        DECIDED)
