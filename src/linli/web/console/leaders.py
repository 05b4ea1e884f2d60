"""团长列表 and 团长详情: tier, type, latest score and open warnings; one leader's profile, ladder progress,
tier history, assessments, cases (with the keep / replace decision), commission account and statement."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from linli.assessment import service as assessment
from linli.assessment.schemas import DecideIn
from linli.commission import service as commission
from linli.commission import withdrawals
from linli.community import service as communities
from linli.core.errors import Conflict, NotFound
from linli.core.http import Db
from linli.core.schemas import PageSearch
from linli.core.security import Principal
from linli.leader import listing as leader_listing
from linli.leader import service as leaders
from linli.leader.ladder import TIER_NAMES
from linli.leader.schemas import LeaderProfile
from linli.web.console import listing
from linli.web.console.guard import ConsoleOperator
from linli.web.console.listing import Column, ListView, Source
from linli.web.console.templating import PAGE_SIZE, is_id, render
from linli.web.leader_labels import LEADER_TYPES

router = APIRouter()
PATH = "/console/leaders"
CONFLICTS = {"not_decidable": "只有「建议更换」的案例需要决定。", "already_decided": "该案例已经决定过了。"}


VIEW = ListView(
    PATH, "团长列表", "团长", date_label="成为团长", community=True, search="搜索姓名或手机号",
    columns=[
        Column("团长ID", lambda r, x: r.id),
        Column("姓名", lambda r, x: r.name),
        Column("小区", lambda r, x: x["communities"].get(r.community_id, "")),
        Column("等级", lambda r, x: TIER_NAMES.get(r.tier, r.tier)),
        Column("类型", lambda r, x: LEADER_TYPES.get(r.type, r.type)),
        Column("最近考核得分", lambda r, x: x["scores"].get(r.id)),
        Column("未处理预警", lambda r, x: x["warnings"].get(r.id, 0)),
        Column("成为团长", lambda r, x: r.since),
    ])
SOURCE = Source(leader_listing.page, leader_listing.export)


@router.get("/leaders")
def leader_list(request: Request, p: ConsoleOperator, s: Db, q: PageSearch = "") -> Response:
    return listing.answer(request, p, s, VIEW, listing.read(request, VIEW, q), SOURCE, template="console/leaders.html",
                          nav="leaders", lookup=_figures(s, p))


def _figures(s: Session, p: Principal) -> listing.Lookup:
    """A page's or batch's latest scores, open warnings and community names, each read once."""
    def lookup(rows: Sequence[LeaderProfile]) -> dict[str, Any]:
        ids = [r.id for r in rows]
        latest = assessment.latest_by_leader(s, p.tenant_id, ids)
        names = communities.communities_by_ids(s, p.tenant_id, sorted({r.community_id for r in rows}))
        return {"scores": {i: latest[i].total for i in ids if i in latest},
                "warnings": assessment.open_warnings_by_leader(s, p.tenant_id, ids),
                "communities": {c.id: c.name for c in names}}
    return lookup


def _detail(request: Request, p: Principal, s: Db, leader_id: str, status_code: int = 200,
            **context: object) -> Response:
    try:
        if not is_id(leader_id):
            raise NotFound("leader not found", code="leader_not_found")
        detail = leaders.detail(s, p.tenant_id, int(leader_id))
    except NotFound:
        return render(request, "console/not_found.html", status_code=404, p=p, nav="leaders", title="未找到",
                      message=f"团长 {leader_id} 不存在。", back_url=PATH)
    lid = detail.profile.id
    try:
        community = communities.get_community(s, p, detail.profile.community_id).name
    except NotFound:
        community = f"小区 {detail.profile.community_id}"
    return render(request, "console/leader_detail.html", status_code=status_code, p=p, nav="leaders",
                  title=f"团长 {detail.profile.name}", d=detail, community=community,
                  record=assessment.leader_record(s, p, lid),
                  account=commission.commission(s, p.tenant_id, lid, PAGE_SIZE, None),
                  statement=commission.statement(s, p.tenant_id, lid, None),
                  withdrawals=withdrawals.search(s, p, None, lid, PAGE_SIZE, None).items, **context)


@router.get("/leaders/{leader_id}")
def leader_detail(request: Request, p: ConsoleOperator, s: Db, leader_id: str, done: str = "") -> Response:
    return _detail(request, p, s, leader_id, done=done)


@router.post("/leaders/{leader_id}/cases/{case_id}/decide")
def decide(request: Request, p: ConsoleOperator, s: Db, leader_id: str, case_id: str,
           decision: Annotated[str, Form(max_length=20)] = "", note: Annotated[str, Form(max_length=2000)] = "",
           ) -> Response:
    try:
        data = DecideIn(decision=decision, note=note)  # type: ignore[arg-type]
    except ValidationError:
        return _detail(request, p, s, leader_id, 422, error="请选择「留任」或「更换」，备注 500 字以内。",
                       case_id=case_id, note=note.strip())
    try:
        if not is_id(case_id):
            raise NotFound("case not found", code="case_not_found")
        record = assessment.leader_record(s, p, int(leader_id)) if is_id(leader_id) else None
        if record is None or all(c.id != int(case_id) for c in record.cases):
            raise NotFound("case not found", code="case_not_found")
        assessment.decide(s, p, int(case_id), data)
    except NotFound:
        return _detail(request, p, s, leader_id, 404, error="没有找到该案例。")
    except Conflict as e:
        return _detail(request, p, s, leader_id, 409, error=CONFLICTS.get(e.code, "该案例不能决定。"))
    return RedirectResponse(f"{PATH}/{leader_id}?done={data.decision}#cases", status_code=303)
