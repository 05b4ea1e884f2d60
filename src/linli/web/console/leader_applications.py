"""团长招募: the applications queue by status, approve, reject with a required reason, and the proof file."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import FileResponse, Response
from sqlalchemy.orm import Session

from linli.community import service as communities
from linli.core.errors import NotFound
from linli.core.http import Db
from linli.core.security import Principal
from linli.leader import applications
from linli.leader import listing as leader_listing
from linli.leader.schemas import ApplicationOut
from linli.web.console.guard import ConsoleOperator
from linli.web.console.listing import Column, ListView, Lookup, Source
from linli.web.console.review import Queue
from linli.web.console.templating import is_id, render
from linli.web.leader_labels import APPLICATION_STATUSES, LEADER_TYPES, PICKUP_KINDS

router = APIRouter()
PATH = "/console/leader-applications"
CONFLICTS = {"not_pending": "该申请已处理过了。", "already_leader": "该会员已经是团长。"}


VIEW = ListView(
    PATH, "团长招募", "团长申请", date_label="申请时间", statuses=APPLICATION_STATUSES, community=True,
    columns=[
        Column("申请ID", lambda a, x: a.id),
        Column("申请人", lambda a, x: a.real_name),
        Column("会员ID", lambda a, x: a.member_id),
        Column("身份证号", lambda a, x: a.id_number_masked),
        Column("小区", lambda a, x: x["communities"].get(a.community_id, "")),
        Column("自提点类型", lambda a, x: PICKUP_KINDS.get(a.pickup_kind, a.pickup_kind)),
        Column("自提点地址", lambda a, x: a.address),
        Column("团长类型", lambda a, x: LEADER_TYPES.get(a.leader_type, a.leader_type)),
        Column("状态", lambda a, x: APPLICATION_STATUSES.get(a.status, a.status)),
        Column("驳回原因", lambda a, x: a.reason or ""),
        Column("申请时间", lambda a, x: a.created_at),
        Column("处理时间", lambda a, x: a.decided_at),
    ])


def _communities(s: Session, p: Principal) -> Lookup:
    def lookup(rows: Sequence[ApplicationOut]) -> dict[str, Any]:
        ids = sorted({a.community_id for a in rows})
        return {"communities": {c.id: c.name for c in communities.communities_by_ids(s, p.tenant_id, ids)}}
    return lookup


QUEUE = Queue(VIEW, "console/leader_applications.html", "leader_applications",
              Source(leader_listing.applications_page, leader_listing.applications_export), "申请 {} 不存在。",
              _communities)


@router.get("/leader-applications")
def application_list(request: Request, p: ConsoleOperator, s: Db, status: str = "pending",
                     done: str = "") -> Response:
    return QUEUE.page(request, p, s, status, done=done)


@router.post("/leader-applications/{app_id}/approve")
def approve(request: Request, p: ConsoleOperator, s: Db, app_id: str) -> Response:
    return QUEUE.decide(request, p, s, app_id, lambda i: applications.approve(s, p, i), "approved", CONFLICTS,
                        "该申请不能通过。")


@router.post("/leader-applications/{app_id}/reject")
def reject(request: Request, p: ConsoleOperator, s: Db, app_id: str,
           reason: Annotated[str, Form(max_length=2000)] = "") -> Response:
    reason = reason.strip()
    if not reason or len(reason) > 500:
        return QUEUE.page(request, p, s, "pending", 422, error="请填写驳回原因（500 字以内）。", reject_id=app_id,
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
