"""团长招募: the applications queue by status, approve, reject with a required reason, and the proof file."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import FileResponse, Response
from sqlalchemy.orm import Session

from linli.core.errors import NotFound
from linli.core.http import Db
from linli.core.security import Principal
from linli.leader import applications
from linli.web.console.guard import ConsoleOperator
from linli.web.console.review import Listing, Queue
from linli.web.console.templating import PAGE_SIZE, is_id, render
from linli.web.leader_labels import APPLICATION_STATUSES

router = APIRouter()
PATH = "/console/leader-applications"
CONFLICTS = {"not_pending": "该申请已处理过了。", "already_leader": "该会员已经是团长。"}


def _fetch(s: Session, p: Principal, status: str | None, cursor: str | None) -> Listing:
    rows, nxt = applications.search(s, p, status, PAGE_SIZE, cursor)
    return rows, nxt, {}


QUEUE = Queue(PATH, "console/leader_applications.html", "leader_applications", "团长招募", APPLICATION_STATUSES,
              _fetch, "申请 {} 不存在。")


@router.get("/leader-applications")
def application_list(request: Request, p: ConsoleOperator, s: Db, status: str = "pending", cursor: str = "",
                     done: str = "") -> Response:
    return QUEUE.page(request, p, s, status, cursor, done=done)


@router.post("/leader-applications/{app_id}/approve")
def approve(request: Request, p: ConsoleOperator, s: Db, app_id: str) -> Response:
    return QUEUE.decide(request, p, s, app_id, lambda i: applications.approve(s, p, i), "approved", CONFLICTS,
                        "该申请不能通过。")


@router.post("/leader-applications/{app_id}/reject")
def reject(request: Request, p: ConsoleOperator, s: Db, app_id: str,
           reason: Annotated[str, Form(max_length=2000)] = "") -> Response:
    reason = reason.strip()
    if not reason or len(reason) > 500:
        return QUEUE.page(request, p, s, "pending", "", 422, error="请填写驳回原因（500 字以内）。", reject_id=app_id,
                          reason=reason)
    return QUEUE.decide(request, p, s, app_id, lambda i: applications.reject(s, p, i, reason), "rejected",
                        CONFLICTS, "该申请不能驳回。")


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
