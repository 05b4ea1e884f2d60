"""备货与分拣 and 扫码核销 in the leader's workbench: the day's 备货单 / 分拣单 of my pickup points (print, CSV,
Excel), a card per bag with the resident's name and masked phone and a 核销 button, and the scan page (camera,
photo or typed code) that hands an order out by the member's QR code."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from linli.core.errors import LinliError
from linli.core.http import Db
from linli.core.security import Principal
from linli.packing import lists, service
from linli.packing.schemas import ScanOut
from linli.web.console import listing
from linli.web.console.packing_pages import STATUS, TABS, export, read_day
from linli.web.member.pages import is_id
from linli.web.member.templating import render
from linli.web.workbench.guard import LeaderPage

router = APIRouter()
SCAN_ERRORS = {
    "qr_invalid": "二维码无效或已被篡改，请让居民重新打开订单页出示。",
    "qr_expired": "二维码已过期，请让居民刷新订单页面后重新出示。",
    "qr_other_tenant": "这不是本平台的提货二维码。",
    "order_not_found": "该订单不属于您的自提点，不能核销。",
    "already_picked_up": "该订单已核销，请勿重复提货。",
    "not_ready_for_pickup": "该订单当前不能提货（未支付、已退款或已取消）。",
    "not_yet_delivered": "预售商品尚未到货，暂不能提货。",
}


@router.get("/packing")
def packing(request: Request, p: LeaderPage, s: Db, day: str = "", tab: str = "sort", point: str = "") -> Response:
    tab = tab if tab in TABS else "sort"
    the_day = read_day(day, s, p)
    point_id = int(point) if is_id(point) and int(point) > 0 else None
    try:
        stock = lists.stock_list(s, p, the_day, point_id) if tab == "stock" else None
        sorting = lists.sorting_list(s, p, the_day, point_id) if tab == "sort" else None
    except LinliError:  # not one of my points: my own lists instead
        point_id = None
        stock = lists.stock_list(s, p, the_day) if tab == "stock" else None
        sorting = lists.sorting_list(s, p, the_day) if tab == "sort" else None
    fmt = listing.export_format(request)
    if fmt is not None:
        return export(tab, fmt, stock, sorting)
    query = {"day": the_day.isoformat(), "tab": tab, "point": point_id or ""}
    return render(request, "workbench/packing/lists.html", p=p, title="备货分拣", tab="packing", list_tab=tab,
                  tabs=TABS, day=the_day, stock=stock, sorting=sorting, query=query, status_names=STATUS)


@router.get("/scan")
def scan_page(request: Request, p: LeaderPage, order_id: str = "") -> Response:
    return _scan_page(request, p, order_id=order_id if is_id(order_id) else "")


@router.post("/scan")
def scan(request: Request, p: LeaderPage, s: Db, token: Annotated[str, Form(max_length=400)] = "") -> Response:
    token = token.strip()
    if not token:
        return _scan_page(request, p, 422, error="没有识别到二维码，请重新扫描或上传照片。")
    try:
        done = service.scan(s, p, token)
    except LinliError as exc:
        s.rollback()
        return _scan_page(request, p, exc.status, error=SCAN_ERRORS.get(exc.code, "该订单不能核销。"))
    return _scan_page(request, p, done=done)


def _scan_page(request: Request, p: Principal, status_code: int = 200, done: ScanOut | None = None,
               **context: object) -> Response:
    return render(request, "workbench/packing/scan.html", status_code=status_code, p=p, title="扫码核销",
                  tab="packing", done=done, back="/w/packing", **context)
