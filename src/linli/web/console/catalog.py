"""Products: the filtered list (search, created between) with export."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from linli.catalog import listing as product_listing
from linli.core.http import Db
from linli.core.schemas import PageSearch
from linli.web.console import listing
from linli.web.console.guard import ConsoleOperator
from linli.web.console.listing import Column, ListView, Source, money

router = APIRouter()
VIEW = ListView(
    "/console/products", "商品", "商品", search="搜索商品名称",
    columns=[
        Column("商品ID", lambda r, x: r.id),
        Column("商品名称", lambda r, x: r.name),
        Column("分类", lambda r, x: r.category),
        Column("价格（元）", lambda r, x: money(r.price_fen)),
        Column("库存", lambda r, x: r.stock),
        Column("单位", lambda r, x: r.unit),
        Column("生鲜", lambda r, x: "是" if r.is_fresh else "否"),
        Column("状态", lambda r, x: "在售" if r.is_active else "下架"),
        Column("创建时间", lambda r, x: r.created_at),
    ])
SOURCE = Source(product_listing.page, product_listing.export)


@router.get("/products")
def product_list(request: Request, p: ConsoleOperator, s: Db, q: PageSearch = "") -> Response:
    return listing.answer(request, p, s, VIEW, listing.read(request, VIEW, q), SOURCE,
                          template="console/products.html", table="console/_products_table.html", nav="products")
