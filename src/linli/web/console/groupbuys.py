"""Group-buys (拼团): the list with a create form, and one campaign's figures with its live progress map."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from linli.catalog import service as catalog
from linli.core.errors import NotFound
from linli.core.http import Db
from linli.core.security import Principal
from linli.groupbuy import listing as group_listing
from linli.groupbuy import reports
from linli.groupbuy import service as groupbuys
from linli.groupbuy.schemas import GroupBuyIn, ProgressOut
from linli.web.console import campaign_forms as forms
from linli.web.console import campaign_lists, labels
from linli.web.console.guard import ConsoleOperator
from linli.web.console.listing import Column, ListView, Source, money
from linli.web.console.templating import is_id, render

router = APIRouter()
Text = Annotated[str, Form(max_length=100)]
OPEN_GROUPS_SHOWN = 50


VIEW = ListView(
    "/console/group-buys", "拼团", "拼团活动",
    columns=[
        Column("活动ID", lambda r, x: r.id),
        Column("商品", lambda r, x: x["names"].get(r.product_id, "")),
        Column("商品ID", lambda r, x: r.product_id),
        Column("拼团价（元）", lambda r, x: money(r.price_fen)),
        Column("成团人数", lambda r, x: r.group_size),
        Column("成团时限（小时）", lambda r, x: r.time_limit_hours),
        Column("拼团库存", lambda r, x: r.stock),
        Column("已占用", lambda r, x: r.held),
        Column("虚拟成团比例（%）", lambda r, x: r.virtual_fill_percent),
        Column("创建时间", lambda r, x: r.created_at),
        Column("状态", lambda r, x: labels.group_buy_status(r.status)),
    ])
SOURCE = Source(group_listing.page, group_listing.export)


@router.get("/group-buys")
def campaign_list(request: Request, p: ConsoleOperator, s: Db) -> Response:
    values = {"product_id": "", "price": "", "group_size": "3", "time_limit_hours": "24", "stock": "",
              "virtual_fill_percent": ""}
    return _list(request, p, s, values, forms.FormErrors())


@router.post("/group-buys")
def create_campaign(request: Request, p: ConsoleOperator, s: Db, product_id: Text = "", price: Text = "",
                    group_size: Text = "", time_limit_hours: Text = "", stock: Text = "",
                    virtual_fill_percent: Text = "") -> Response:
    values = {"product_id": product_id, "price": price, "group_size": group_size,
              "time_limit_hours": time_limit_hours, "stock": stock, "virtual_fill_percent": virtual_fill_percent}
    errors = forms.FormErrors()
    data = _read(errors, values)
    if data is not None:
        campaign_id = forms.created(s, errors, lambda: groupbuys.create(s, p, data), "stock",
                                    f"商品库存不足，无法为拼团预留 {data.stock} 件。", "拼团价")
        if campaign_id is not None:
            return RedirectResponse(f"/console/group-buys/{campaign_id}", status_code=303)
    return _list(request, p, s, values, errors, status_code=422)


@router.get("/group-buys/{campaign_id}")
def campaign_detail(request: Request, p: ConsoleOperator, s: Db, campaign_id: str) -> Response:
    try:
        figures = reports.figures(s, p, _id(campaign_id))
    except NotFound:
        return _not_found(request, p, campaign_id)
    progress = groupbuys.progress(s, p, figures.campaign.id)
    product = catalog.get_product(s, p, figures.campaign.product_id)
    return render(request, "console/group_buy_detail.html", p=p, nav="group_buys",
                  title=f"拼团 #{figures.campaign.id}", f=figures, c=figures.campaign, product=product,
                  progress=progress, open_groups=progress.open_groups[:OPEN_GROUPS_SHOWN], map=_map(progress),
                  labels=labels)


@router.get("/group-buys/{campaign_id}/progress")
def campaign_progress(p: ConsoleOperator, s: Db, campaign_id: str) -> Response:
    """The map's data, polled by the page to keep it live."""
    try:
        progress = groupbuys.progress(s, p, _id(campaign_id))
    except NotFound:
        return JSONResponse({"error": "not_found"}, status_code=404)
    return JSONResponse(_map(progress), headers={"Cache-Control": "no-store"})


@router.post("/group-buys/{campaign_id}/close")
def close_campaign(request: Request, p: ConsoleOperator, s: Db, campaign_id: str) -> Response:
    try:
        campaign = groupbuys.close(s, p, _id(campaign_id))
    except NotFound:
        return _not_found(request, p, campaign_id)
    return RedirectResponse(f"/console/group-buys/{campaign.id}", status_code=303)


def _id(text: str) -> int:
    if not is_id(text):
        raise NotFound("group-buy not found", code="group_buy_not_found")
    return int(text)


def _not_found(request: Request, p: Principal, campaign_id: str) -> Response:
    return render(request, "console/not_found.html", status_code=404, p=p, nav="group_buys", title="未找到",
                  message=f"拼团活动 {campaign_id} 不存在。", back_url="/console/group-buys")


def _map(progress: ProgressOut) -> dict[str, Any]:
    """Communities as points (lng, lat, members, name), and the counts shown beside the map."""
    return {"points": [[c.lng, c.lat, c.members, c.name] for c in progress.communities],
            "open_groups": len(progress.open_groups), "members": sum(c.members for c in progress.communities),
            "succeeded": progress.groups_succeeded, "failed": progress.groups_failed}


def _read(errors: forms.FormErrors, v: dict[str, str]) -> GroupBuyIn | None:
    product_id = forms.integer(errors, "product_id", v["product_id"], "商品", 1, 10**15)
    if "product_id" in errors.fields:
        errors.fields["product_id"] = "请选择商品。"
    price_fen = forms.fen(errors, "price", v["price"], "拼团价")
    size = forms.integer(errors, "group_size", v["group_size"], "成团人数", 2, 1000)
    hours = forms.integer(errors, "time_limit_hours", v["time_limit_hours"], "成团时限（小时）", 1, 24 * 30)
    stock = forms.integer(errors, "stock", v["stock"], "拼团库存", 1, 10**7)
    fill = forms.optional_integer(errors, "virtual_fill_percent", v["virtual_fill_percent"], "虚拟成团比例", 1, 100)
    if errors:
        return None
    return GroupBuyIn(product_id=product_id, price_fen=price_fen, group_size=size, time_limit_hours=hours,
                      stock=stock, virtual_fill_percent=fill)


def _list(request: Request, p: Principal, s: Session, values: dict[str, str], errors: forms.FormErrors,
          status_code: int = 200) -> Response:
    return campaign_lists.campaign_list(request, p, s, view=VIEW, source=SOURCE, template="console/group_buys.html",
                                        nav="group_buys", values=values, errors=errors, status_code=status_code)
