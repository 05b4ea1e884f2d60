"""自提网络: every point per community with its load (awaiting / capacity), status and closures, filters, pages
and export; pause / close / reopen with a reason, closures, daily capacity, the assignment settings, a manual
reassignment, and the recent runs with what each did to every order."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from linli.community import service as community
from linli.core import clock
from linli.core.errors import Conflict, Invalid, NotFound
from linli.core.http import Db
from linli.core.security import Principal
from linli.pickup import assignment, service
from linli.pickup import listing as pickup_listing
from linli.pickup.network import network
from linli.pickup.schemas import (
    STATUS_NAMES,
    TRIGGER_NAMES,
    CapacityIn,
    ClosureIn,
    PauseIn,
    PointOut,
    ReasonIn,
    SettingsIn,
)
from linli.web.console import listing
from linli.web.console.guard import ConsoleOperator
from linli.web.console.listing import Column, ListView, Source
from linli.web.console.templating import is_id, render

router = APIRouter()
Text = Annotated[str, Form(max_length=200)]
Short = Annotated[str, Form(max_length=20)]
KINDS = {"leader_home": "团长家", "store": "门店", "locker": "智能柜", "warehouse": "前置仓"}
ERRORS = {"point_closed": "已关闭的自提点须先重新开放。", "already_closed": "该自提点已关闭。",
          "already_open": "该自提点正在营业。", "closure_in_past": "闭店时间段已经过去。"}

VIEW = ListView(
    "/console/pickup", "自提网络", "自提网络", date_label="闭店日期", statuses=pickup_listing.FILTERS,
    community=True, search="自提点名称或地址",
    columns=[
        Column("自提点ID", lambda r, x: r.id),
        Column("名称", lambda r, x: r.name),
        Column("小区", lambda r, x: x["communities"].get(r.community_id, f"#{r.community_id}")),
        Column("类型", lambda r, x: KINDS.get(r.kind, r.kind)),
        Column("状态", lambda r, x: STATUS_NAMES[r.effective_status]),
        Column("待取包裹", lambda r, x: r.load),
        Column("每日容量", lambda r, x: r.capacity),
        Column("营业时间", lambda r, x: r.hours),
        Column("原因", lambda r, x: r.reason),
        Column("地址", lambda r, x: r.address),
    ])


def _lookup(s: Session, p: Principal) -> Callable[[Sequence[Any]], dict[str, Any]]:
    def lookup(rows: Sequence[PointOut]) -> dict[str, Any]:
        ids = sorted({r.community_id for r in rows})
        return {"communities": {c.id: c.name for c in community.communities_by_ids(s, p.tenant_id, ids)}}
    return lookup


def _page(request: Request, p: Principal, s: Session, status_code: int = 200, **context: Any) -> Response:
    params = listing.read(request, VIEW)
    return listing.answer(request, p, s, VIEW, params, Source(pickup_listing.page, pickup_listing.export),
                          template="console/pickup/network.html", nav="pickup", lookup=_lookup(s, p),
                          status_code=status_code, statuses=STATUS_NAMES, kinds=KINDS, triggers=TRIGGER_NAMES,
                          settings=service.get_settings(s, p.tenant_id),
                          runs=assignment.recent_runs(s, p.tenant_id, 10),
                          done=request.query_params.get("done", ""), **context)


def _fail(request: Request, p: Principal, s: Session, code: int, message: str) -> Response:
    s.rollback()
    return _page(request, p, s, code, error=message)


@router.get("/pickup")
def network_page(request: Request, p: ConsoleOperator, s: Db) -> Response:
    return _page(request, p, s)


@router.post("/pickup/points/{point_id}/status")
def change_status(request: Request, p: ConsoleOperator, s: Db, point_id: str, action: Short = "",
                  reason: Text = "") -> Response:
    reason = reason.strip()
    if not is_id(point_id) or action not in ("pause", "close", "reopen"):
        return _page(request, p, s, 404, error="没有找到该自提点。")
    if not reason:
        return _page(request, p, s, 422, error="请填写原因。")
    try:
        if action == "pause":
            service.pause(s, p, int(point_id), PauseIn(reason=reason))
        elif action == "close":
            service.close(s, p, int(point_id), ReasonIn(reason=reason))
        else:
            service.reopen(s, p, int(point_id), ReasonIn(reason=reason))
    except NotFound:
        return _fail(request, p, s, 404, "没有找到该自提点。")
    except (Conflict, Invalid) as e:
        return _fail(request, p, s, 409 if isinstance(e, Conflict) else 422, ERRORS.get(e.code or "", "操作失败。"))
    return RedirectResponse(f"/console/pickup?done={action}", status_code=303)


@router.post("/pickup/points/{point_id}/closures")
def add_closure(request: Request, p: ConsoleOperator, s: Db, point_id: str, starts_at: Short = "",
                ends_at: Short = "", reason: Text = "") -> Response:
    starts, ends = _local(starts_at), _local(ends_at) if ends_at.strip() else None
    if not is_id(point_id):
        return _page(request, p, s, 404, error="没有找到该自提点。")
    if starts is None or (ends_at.strip() and ends is None) or not reason.strip():
        return _page(request, p, s, 422, error="请填写开始时间、原因，结束时间须晚于开始时间。")
    try:
        service.add_closure(s, p, int(point_id), ClosureIn(starts_at=starts, ends_at=ends, reason=reason.strip()))
    except ValidationError:
        return _fail(request, p, s, 422, "结束时间须晚于开始时间。")
    except NotFound:
        return _fail(request, p, s, 404, "没有找到该自提点。")
    except Invalid as e:
        return _fail(request, p, s, 422, ERRORS.get(e.code or "", "添加失败。"))
    return RedirectResponse("/console/pickup?done=closure", status_code=303)


@router.post("/pickup/points/{point_id}/capacity")
def set_capacity(request: Request, p: ConsoleOperator, s: Db, point_id: str, daily_capacity: Short = "") -> Response:
    text = daily_capacity.strip()
    if not is_id(point_id):
        return _page(request, p, s, 404, error="没有找到该自提点。")
    if text and not (is_id(text) and 1 <= int(text) <= 100_000):
        return _page(request, p, s, 422, error="每日容量须为 1-100000 的整数（留空表示不限）。")
    try:
        service.set_capacity(s, p, int(point_id), CapacityIn(daily_capacity=int(text) if text else None))
    except NotFound:
        return _fail(request, p, s, 404, "没有找到该自提点。")
    return RedirectResponse("/console/pickup?done=capacity", status_code=303)


@router.post("/pickup/settings")
def save_settings(request: Request, p: ConsoleOperator, s: Db, max_distance_m: Short = "",
                  preference_penalty_m: Short = "") -> Response:
    far, penalty = max_distance_m.strip(), preference_penalty_m.strip()
    if not (is_id(far) and 100 <= int(far) <= 20_000 and (penalty == "0" or is_id(penalty))
            and int(penalty) <= 5_000):
        return _page(request, p, s, 422, error="最远距离须为 100-20000 米，偏好权重须为 0-5000 米。")
    service.save_settings(s, p, SettingsIn(max_distance_m=int(far), preference_penalty_m=int(penalty)))
    return RedirectResponse("/console/pickup?done=settings", status_code=303)


@router.post("/pickup/runs")
def run_now(request: Request, p: ConsoleOperator, s: Db) -> Response:
    run = assignment.reassign(s, p.tenant_id, None, "manual", user_id=p.user_id)
    return RedirectResponse(f"/console/pickup/runs/{run.id}", status_code=303)


@router.get("/pickup/runs/{run_id}")
def run_page(request: Request, p: ConsoleOperator, s: Db, run_id: str) -> Response:
    if not is_id(run_id):
        return _page(request, p, s, 404, error="没有找到该调度记录。")
    try:
        run = assignment.get_run(s, p.tenant_id, int(run_id))
    except NotFound:
        return _page(request, p, s, 404, error="没有找到该调度记录。")
    names = {v.id: v.name for v in network(s, p.tenant_id, with_closures=False)}
    return render(request, "console/pickup/run.html", p=p, nav="pickup", title=f"调度记录 #{run.id}", run=run,
                  names=names, triggers=TRIGGER_NAMES)


def _local(text: str) -> datetime | None:
    """A datetime-local field (YYYY-MM-DDTHH:MM, Shanghai time) as UTC; None when unreadable."""
    try:
        return clock.as_utc(datetime.fromisoformat(text.strip())) if text.strip() else None
    except ValueError:
        return None
