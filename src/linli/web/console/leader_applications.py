"""团长招募: the applications queue by status, approve, reject with a required reason, and the proof file."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import FileResponse, RedirectResponse, Response

from linli.core.errors import Conflict, NotFound
from linli.core.http import Db
from linli.core.security import Principal
from linli.leader import applications
from linli.web.console.guard import ConsoleOperator
from linli.web.console.templating import PAGE_SIZE, cursor_param, is_id, page_url, render
from linli.web.leader_labels import APPLICATION_STATUSES

router = APIRouter()
PATH = "/console/leader-applications"
CONFLICTS = {"not_pending": "该申请已处理过了。", "already_leader": "该会员已经是团长。"}


def _page(request: Request, p: Principal, s: Db, status: str, cursor: str, status_code: int = 200,
          **context: object) -> Response:
    status = status if status in APPLICATION_STATUSES else ("" if status == "all" else "pending")
    rows, nxt = applications.search(s, p, status or None, PAGE_SIZE, cursor_param(cursor))
    tabs = [("pending", "待审核"), ("approved", "已通过"), ("rejected", "已驳回"), ("all", "全部")]
    return render(request, "console/leader_applications.html", status_code=status_code, p=p,
                  nav="leader_applications", title="团长招募", rows=rows, status=status or "all", tabs=tabs,
                  cursor=cursor, next_url=page_url(PATH, status=status or "all", cursor=nxt) if nxt else None,
                  first_url=page_url(PATH, status=status or "all"), **context)


@router.get("/leader-applications")
def application_list(request: Request, p: ConsoleOperator, s: Db, status: str = "pending", cursor: str = "",
                     done: str = "") -> Response:
    return _page(request, p, s, status, cursor, done=done)


@router.post("/leader-applications/{app_id}/approve")
def approve(request: Request, p: ConsoleOperator, s: Db, app_id: str) -> Response:
    try:
        if not is_id(app_id):
            raise NotFound("application not found", code="application_not_found")
        applications.approve(s, p, int(app_id))
    except NotFound:
        return _page(request, p, s, "pending", "", 404, error=f"申请 {app_id} 不存在。")
    except Conflict as e:
        return _page(request, p, s, "pending", "", 409, error=CONFLICTS.get(e.code, "该申请不能通过。"))
    return RedirectResponse(f"{PATH}?status=approved&done=approved", status_code=303)


@router.post("/leader-applications/{app_id}/reject")
def reject(request: Request, p: ConsoleOperator, s: Db, app_id: str,
           reason: Annotated[str, Form(max_length=2000)] = "") -> Response:
    reason = reason.strip()
    if not reason or len(reason) > 500:
        return _page(request, p, s, "pending", "", 422, error="请填写驳回原因（500 字以内）。", reject_id=app_id,
                     reason=reason)
    try:
        if not is_id(app_id):
            raise NotFound("application not found", code="application_not_found")
        applications.reject(s, p, int(app_id), reason)
    except NotFound:
        return _page(request, p, s, "pending", "", 404, error=f"申请 {app_id} 不存在。")
    except Conflict as e:
        return _page(request, p, s, "pending", "", 409, error=CONFLICTS.get(e.code, "该申请不能驳回。"))
    return RedirectResponse(f"{PATH}?status=rejected&done=rejected", status_code=303)


@router.get("/leader-applications/{app_id}/proof")
def proof(request: Request, p: ConsoleOperator, s: Db, app_id: str) -> Response:
    try:
        if not is_id(app_id):
            raise NotFound("application not found", code="application_not_found")
        path, content_type = applications.proof(s, p, int(app_id))
    except NotFound:
        return render(request, "console/not_found.html", status_code=404, p=p, nav="leader_applications",
                      title="未找到", message=f"申请 {app_id} 没有证明材料。", back_url=PATH)
    return FileResponse(path, media_type=content_type, headers={"Cache-Control": "private, no-store"})
