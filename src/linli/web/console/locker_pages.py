"""智能柜: every locker with its occupancy (a chart and a table, compartments added by size), the parcels list
(待取件 / 即将超时 / 已取件 / 已超时退回) with filters, pages and export, and the hold / reminder hours."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from linli.core.errors import Invalid, NotFound
from linli.core.http import Db
from linli.core.security import Principal
from linli.locker import listing as locker_listing
from linli.locker import service as lockers
from linli.locker.schemas import PARCEL_STATUS_NAMES, SIZE_NAMES, CompartmentsIn, ParcelOut, SettingsIn
from linli.member import service as members
from linli.web.console import listing
from linli.web.console.guard import ConsoleOperator
from linli.web.console.listing import Column, ListView, Source
from linli.web.console.templating import is_id

router = APIRouter()
Number = Annotated[str, Form(max_length=6)]
ERRORS = {"over_capacity": "格口总数超过了该智能柜的容量。", "no_compartments": "请至少填写一种尺寸的数量。",
          "invalid_locker_hours": "提醒时间须早于到期时间。"}

VIEW = ListView(
    "/console/lockers", "智能柜", "智能柜包裹", date_label="存入时间", statuses=locker_listing.TABS,
    columns=[
        Column("包裹ID", lambda r, x: r.id),
        Column("智能柜", lambda r, x: x["lockers"].get(r.pickup_point_id, f"#{r.pickup_point_id}")),
        Column("格口", lambda r, x: r.compartment_label),
        Column("尺寸", lambda r, x: SIZE_NAMES.get(r.size, r.size)),
        Column("订单号", lambda r, x: r.order_id),
        Column("会员", lambda r, x: x["names"].get(r.member_id, f"会员 #{r.member_id}")),
        Column("状态", lambda r, x: PARCEL_STATUS_NAMES.get(r.status, r.status)),
        Column("存入时间", lambda r, x: r.deposited_at),
        Column("到期时间", lambda r, x: r.expires_at),
        Column("取件时间", lambda r, x: r.collected_at),
        Column("退回时间", lambda r, x: r.expired_at),
    ])


def _lookup(s: Session, p: Principal, names_of_lockers: dict[int, str]) -> Callable[[Sequence[Any]], dict[str, Any]]:
    def lookup(rows: Sequence[ParcelOut]) -> dict[str, Any]:
        return {"names": members.names(s, p.tenant_id, sorted({r.member_id for r in rows})),
                "lockers": names_of_lockers}
    return lookup


def _page(request: Request, p: Principal, s: Session, status_code: int = 200, **context: Any) -> Response:
    wanted = request.query_params.get("status", "live")
    status = wanted if wanted in locker_listing.TABS or wanted == "all" else "live"
    params = listing.read(request, VIEW, status=status)
    overview = lockers.overview(s, p)
    names = {x.pickup_point_id: x.name for x in overview}
    chart = {"lockers": [x.name for x in overview], "free": [x.free for x in overview],
             "occupied": [x.occupied for x in overview], "broken": [x.out_of_order for x in overview]}
    return listing.answer(request, p, s, VIEW, params, Source(locker_listing.page, locker_listing.export),
                          template="console/locker/lockers.html", nav="lockers", lookup=_lookup(s, p, names),
                          status_code=status_code, status=status,
                          tabs=[*locker_listing.TABS.items(), ("all", "全部")], overview=overview, chart=chart,
                          statuses=PARCEL_STATUS_NAMES, sizes=SIZE_NAMES,
                          settings=lockers.get_settings(s, p), done=request.query_params.get("done", ""),
                          **context)


@router.get("/lockers")
def locker_list(request: Request, p: ConsoleOperator, s: Db) -> Response:
    return _page(request, p, s)


@router.post("/lockers/settings")
def save_settings(request: Request, p: ConsoleOperator, s: Db, hold_hours: Number = "",
                  remind_hours: Number = "") -> Response:
    hold, remind = hold_hours.strip(), remind_hours.strip()
    if not (is_id(hold) and int(hold) <= 336 and (remind == "0" or is_id(remind))):
        return _page(request, p, s, 422, error="请填写保管时长（1-336 小时）和提醒时间。")
    try:
        lockers.save_settings(s, p, SettingsIn(hold_hours=int(hold), remind_hours=min(int(remind), 312)))
    except Invalid as e:
        s.rollback()
        return _page(request, p, s, 422, error=ERRORS.get(e.code or "", "保存失败。"))
    return RedirectResponse("/console/lockers?done=settings", status_code=303)


@router.post("/lockers/{point_id}/compartments")
def add_compartments(request: Request, p: ConsoleOperator, s: Db, point_id: str, small: Number = "",
                     medium: Number = "", large: Number = "") -> Response:
    counts = [_digits(v) for v in (small, medium, large)]
    if not is_id(point_id) or any(c is None for c in counts):
        return _page(request, p, s, 422, error="格口数量须为 0-200 的整数。")
    try:
        lockers.add_compartments(s, p, int(point_id), CompartmentsIn(small=counts[0] or 0, medium=counts[1] or 0,
                                                                    large=counts[2] or 0))
    except NotFound:
        return _page(request, p, s, 404, error="没有找到该智能柜。")
    except Invalid as e:
        s.rollback()
        return _page(request, p, s, 422, error=ERRORS.get(e.code or "", "添加失败。"))
    return RedirectResponse("/console/lockers?done=compartments", status_code=303)


def _digits(text: str) -> int | None:
    """A count typed in a form: empty is 0; anything but 0-200 is refused."""
    text = text.strip()
    if not text:
        return 0
    return int(text) if text.isascii() and text.isdigit() and int(text) <= 200 else None
