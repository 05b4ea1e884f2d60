"""试点推广 (pilots): the list, a pilot started from a campaign's page, and the review page — pilot communities
against the rest in the window (orders, GMV, participation), with a chart — where the operator marks it
reviewed, rolls it out to every (or chosen) community, or abandons it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from linli.campaign import pilots
from linli.campaign.schemas import PilotIn, PilotOut, ReviewIn, RolloutIn
from linli.core.errors import Conflict, Invalid, NotFound
from linli.core.http import Db
from linli.core.security import Principal
from linli.web.console.guard import ConsoleOperator
from linli.web.console.templating import is_id, render

router = APIRouter()
Text = Annotated[str, Form(max_length=100)]
Ids = Annotated[list[str], Form(max_length=200)]
STATUS = {"pilot": "试点中", "reviewed": "已复盘", "rolled_out": "已推广", "abandoned": "已放弃"}
MESSAGES = {"pilot_bad_transition": "当前状态不能执行此操作。", "campaign_not_live": "活动已结束，无法推广。",
            "experiment_bad_transition": "实验已停止，无法推广。", "unknown_community": "所选小区不存在。",
            "pilot_no_communities": "请至少选择一个试点小区。", "pilot_exists": "该活动已有进行中的试点。",
            "campaign_not_draft": "活动已开始发送，不能再试点。"}


def _ids(values: list[str]) -> list[int]:
    return [int(v) for v in values if is_id(v)]


def _not_found(request: Request, p: Principal, what: str) -> Response:
    return render(request, "console/not_found.html", status_code=404, p=p, nav="pilots", title="未找到",
                  message=f"试点 {what} 不存在。", back_url="/console/pilots")


@router.get("/pilots")
def pilot_list(request: Request, p: ConsoleOperator, s: Db) -> Response:
    rows, _ = pilots.search(s, p, None, 200, None)
    return render(request, "console/pilots.html", p=p, nav="pilots", title="试点推广", rows=rows, status=STATUS)


@router.post("/pilots")
def create_pilot(request: Request, p: ConsoleOperator, s: Db, campaign_id: Text = "", name: Text = "",
                 community_ids: Ids = []) -> Response:  # noqa: B006 (FastAPI copies the default)
    back = f"/console/scenario-campaigns/{campaign_id}" if is_id(campaign_id) else "/console/scenario-campaigns"
    try:
        made = pilots.create(s, p, PilotIn(name=name.strip() or "试点", community_ids=_ids(community_ids),
                                           campaign_id=int(campaign_id) if is_id(campaign_id) else None))
    except (Invalid, Conflict, ValidationError):
        s.rollback()
        return RedirectResponse(back, status_code=303)
    return RedirectResponse(f"/console/pilots/{made.id}", status_code=303)


def _page(request: Request, p: Principal, s: Session, x: PilotOut, notice: str | None = None,
          status_code: int = 200) -> Response:
    review = pilots.review(s, p, x.id)
    chart = {"groups": ["试点小区", "其他小区"],
             "participation": [round(review.pilot.participation_rate * 100, 2),
                               round(review.rest.participation_rate * 100, 2)],
             "orders": [round(review.pilot.orders_per_member * 100, 1), round(review.rest.orders_per_member * 100, 1)]}
    others = [c for c in review.communities if not c.in_pilot]
    return render(request, "console/pilot_detail.html", status_code=status_code, p=p, nav="pilots", title=x.name,
                  x=x, review=review, status=STATUS[x.status], chart=chart, others=others, notice=notice)


def _load(s: Session, p: Principal, pilot_id: str) -> PilotOut:
    if not is_id(pilot_id):
        raise NotFound("pilot not found", code="pilot_not_found")
    return pilots.get(s, p, int(pilot_id))


@router.get("/pilots/{pilot_id}")
def pilot_detail(request: Request, p: ConsoleOperator, s: Db, pilot_id: str) -> Response:
    try:
        x = _load(s, p, pilot_id)
    except NotFound:
        return _not_found(request, p, pilot_id)
    return _page(request, p, s, x)


@router.post("/pilots/{pilot_id}/{action}")
def pilot_action(request: Request, p: ConsoleOperator, s: Db, pilot_id: str, action: str,
                 note: Annotated[str, Form(max_length=500)] = "", scope: Text = "all",
                 community_ids: Ids = []) -> Response:  # noqa: B006
    try:
        x = _load(s, p, pilot_id)
    except NotFound:
        return _not_found(request, p, pilot_id)
    try:
        if action == "reviewed":
            pilots.mark_reviewed(s, p, x.id, ReviewIn(note=note))
        elif action == "roll-out":
            chosen = None if scope == "all" else _ids(community_ids)
            pilots.roll_out(s, p, x.id, RolloutIn(community_ids=chosen))
        elif action == "abandon":
            pilots.abandon(s, p, x.id)
        else:
            return _not_found(request, p, pilot_id)
    except (Conflict, Invalid) as exc:
        s.rollback()
        return _page(request, p, s, pilots.get(s, p, x.id), MESSAGES.get(exc.code, "操作未成功。"), status_code=409)
    return RedirectResponse(f"/console/pilots/{x.id}", status_code=303)
