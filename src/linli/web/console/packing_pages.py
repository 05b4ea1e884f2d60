"""备货与分拣: the day's stock-up list (备货单) and sorting list (分拣单) for any pickup point, community or the
whole tenant, printable (A4) and exportable (CSV / Excel), and the daily cut-off that decides the day.
The export views here serve the workbench's page too."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from linli.community import service as communities
from linli.core.errors import Invalid, NotFound
from linli.core.http import Db
from linli.core.security import Principal
from linli.packing import lists, service
from linli.packing.schemas import SettingsIn, SortingList, StockList
from linli.web.console import listing
from linli.web.console.guard import ConsoleOperator
from linli.web.console.listing import Column, ListView
from linli.web.console.templating import is_id, render

router = APIRouter()
TABS = {"stock": "备货单", "sort": "分拣单"}
STATUS = {"paid": "待提货", "picked_up": "已提货"}
CHOICES = 500  # communities / points offered in the selects

STOCK_VIEW = ListView("/console/packing", "备货单", "备货单", columns=[
    Column("自提点", lambda r, x: r[0]),
    Column("商品", lambda r, x: r[1].product_name),
    Column("规格/单位", lambda r, x: r[1].unit),
    Column("数量", lambda r, x: r[1].quantity),
    Column("订单数", lambda r, x: r[1].orders),
])
SORT_VIEW = ListView("/console/packing", "分拣单", "分拣单", columns=[
    Column("序号", lambda r, x: r[0]),
    Column("自提点", lambda r, x: r[1].point_name),
    Column("楼栋", lambda r, x: r[1].building or "未登记"),
    Column("单元房号", lambda r, x: r[1].unit_no),
    Column("姓名", lambda r, x: r[1].member_name),
    Column("手机", lambda r, x: r[1].phone_masked),
    Column("商品明细", lambda r, x: "；".join(f"{i.product_name}×{i.quantity}{i.unit}" for i in r[1].items)),
    Column("件数", lambda r, x: r[1].quantity),
    Column("订单号", lambda r, x: r[1].order_id),
    Column("状态", lambda r, x: STATUS.get(r[1].status, r[1].status)),
])


def read_day(text: str, s: Session, p: Principal) -> date:
    """The day asked for (YYYY-MM-DD) within the lists' range, else the default delivery day."""
    try:
        day = date.fromisoformat(text) if len(text) == 10 else None
    except ValueError:
        day = None
    if day is None or not service.FIRST_DAY <= day <= service.LAST_DAY:
        return service.default_day(s, p.tenant_id)
    return day


def export(tab: str, fmt: str, stock: StockList | None, sorting: SortingList | None) -> Response:
    """The list as a file: 备货单 rows per point and product (with the all-points total when there are several),
    分拣单 rows per bag in walking order."""
    if tab == "sort" and sorting is not None:
        rows: list[Any] = list(enumerate(sorting.bags, start=1))
        return listing.download(SORT_VIEW, fmt, [rows])
    assert stock is not None
    rows = [(point.point_name, line) for point in stock.by_point for line in point.lines]
    if len(stock.by_point) > 1:
        rows += [("全部合计", line) for line in stock.lines]
    return listing.download(STOCK_VIEW, fmt, [rows])


def _id(text: str) -> int | None:
    return int(text) if is_id(text) and int(text) > 0 else None


@router.get("/packing")
def packing(request: Request, p: ConsoleOperator, s: Db, day: str = "", tab: str = "stock", community: str = "",
            point: str = "") -> Response:
    tab = tab if tab in TABS else "stock"
    the_day = read_day(day, s, p)
    community_id, point_id = _id(community), _id(point)
    try:
        stock = lists.stock_list(s, p, the_day, point_id, community_id) if tab == "stock" else None
        sorting = lists.sorting_list(s, p, the_day, point_id, community_id) if tab == "sort" else None
    except NotFound:  # a hand-edited link naming no point or community of this tenant
        return _page(request, p, s, the_day, tab, None, None, None, None, 404, error="没有找到该自提点或小区。")
    fmt = listing.export_format(request)
    if fmt is not None:
        return export(tab, fmt, stock, sorting)
    return _page(request, p, s, the_day, tab, community_id, point_id, stock, sorting)


def _page(request: Request, p: Principal, s: Session, day: date, tab: str, community_id: int | None,
          point_id: int | None, stock: StockList | None, sorting: SortingList | None, status_code: int = 200,
          **context: Any) -> Response:
    rows, _ = communities.search_communities(s, p, None, CHOICES, None)
    points, _ = communities.list_pickup_points(s, p, community_id, None, CHOICES, None)
    query = {"day": day.isoformat(), "tab": tab, "community": community_id or "", "point": point_id or ""}
    return render(request, "console/packing/lists.html", status_code=status_code, p=p, nav="packing",
                  title="备货与分拣", day=day, tab=tab, tabs=TABS, stock=stock, sorting=sorting,
                  communities=sorted((c.id, c.name) for c in rows), points=sorted((x.id, x.name) for x in points),
                  community_id=community_id, point_id=point_id, query=query, status_names=STATUS,
                  cfg=service.get_settings(s, p), **context)


@router.post("/packing/settings")
def save_settings(request: Request, p: ConsoleOperator, s: Db,
                  cutoff: Annotated[str, Form(max_length=5)] = "") -> Response:
    try:
        service.update_settings(s, p, SettingsIn.model_validate({"cutoff": cutoff.strip()}))
    except (Invalid, ValueError):
        s.rollback()
        the_day = service.default_day(s, p.tenant_id)
        return _page(request, p, s, the_day, "stock", None, None, lists.stock_list(s, p, the_day), None, 422,
                     error="截单时间格式应为 时:分（如 23:00），00:00 请填写 24:00。")
    return RedirectResponse("/console/packing?saved=1", status_code=303)
