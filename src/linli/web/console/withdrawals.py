"""提现审核: the leaders' withdrawal requests, approve (paid out offline) or reject with a reason."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from linli.commission import withdrawals
from linli.commission.schemas import RejectIn
from linli.core.errors import Conflict, NotFound
from linli.core.http import Db
from linli.core.security import Principal
from linli.leader import service as leaders
from linli.web.console.guard import ConsoleOperator
from linli.web.console.templating import PAGE_SIZE, cursor_param, is_id, page_url, render
from linli.web.leader_labels import WITHDRAWAL_STATUSES

router = APIRouter()
PATH = "/console/withdrawals"


def _page(request: Request, p: Principal, s: Db, status: str, cursor: str, status_code: int = 200,
          **context: object) -> Response:
    status = status if status in WITHDRAWAL_STATUSES else ("" if status == "all" else "requested")
    page = withdrawals.search(s, p, status or None, None, PAGE_SIZE, cursor_param(cursor))
    names = {w.leader_id: leaders.profile(s, p.tenant_id, w.leader_id).name for w in page.items}
    tabs = [("requested", "待审核"), ("approved", "已打款"), ("rejected", "已驳回"), ("all", "全部")]
    return render(request, "console/withdrawals.html", status_code=status_code, p=p, nav="withdrawals",
                  title="提现审核", rows=page.items, names=names, status=status or "all", tabs=tabs, cursor=cursor,
                  next_url=page_url(PATH, status=status or "all", cursor=page.next_cursor) if page.next_cursor
                  else None, first_url=page_url(PATH, status=status or "all"), **context)


@router.get("/withdrawals")
def withdrawal_list(request: Request, p: ConsoleOperator, s: Db, status: str = "requested", cursor: str = "",
                    done: str = "") -> Response:
    return _page(request, p, s, status, cursor, done=done)


@router.post("/withdrawals/{withdrawal_id}/approve")
def approve(request: Request, p: ConsoleOperator, s: Db, withdrawal_id: str) -> Response:
    try:
        if not is_id(withdrawal_id):
            raise NotFound("withdrawal not found", code="withdrawal_not_found")
        withdrawals.approve(s, p, int(withdrawal_id))
    except NotFound:
        return _page(request, p, s, "requested", "", 404, error=f"提现申请 {withdrawal_id} 不存在。")
    except Conflict:
        return _page(request, p, s, "requested", "", 409, error="该提现申请已处理过了。")
    return RedirectResponse(f"{PATH}?status=approved&done=approved", status_code=303)


@router.post("/withdrawals/{withdrawal_id}/reject")
def reject(request: Request, p: ConsoleOperator, s: Db, withdrawal_id: str,
           reason: Annotated[str, Form(max_length=2000)] = "") -> Response:
    try:
        data = RejectIn(reason=reason)
    except ValidationError:
        return _page(request, p, s, "requested", "", 422, error="请填写驳回原因（200 字以内）。",
                     reject_id=withdrawal_id, reason=reason.strip())
    try:
        if not is_id(withdrawal_id):
            raise NotFound("withdrawal not found", code="withdrawal_not_found")
        withdrawals.reject(s, p, int(withdrawal_id), data)
    except NotFound:
        return _page(request, p, s, "requested", "", 404, error=f"提现申请 {withdrawal_id} 不存在。")
    except Conflict:
        return _page(request, p, s, "requested", "", 409, error="该提现申请已处理过了。")
    return RedirectResponse(f"{PATH}?status=rejected&done=rejected", status_code=303)
