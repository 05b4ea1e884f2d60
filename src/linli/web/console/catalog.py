"""Products: the searchable list."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from linli.catalog import service as catalog
from linli.core.http import Db
from linli.core.schemas import PageSearch
from linli.web.console.guard import ConsoleOperator
from linli.web.console.templating import PAGE_SIZE, cursor_param, list_page, page_url

router = APIRouter()


@router.get("/products")
def product_list(request: Request, p: ConsoleOperator, s: Db, q: PageSearch = "", cursor: str = "") -> Response:
    q = q.strip()
    rows, nxt = catalog.search_products(s, p, q or None, None, PAGE_SIZE, cursor_param(cursor))
    return list_page(request, p, page="console/products.html", table="console/_products_table.html",
                     nav="products", title="商品", rows=rows, q=q, cursor=cursor,
                     next_url=page_url("/console/products", q=q, cursor=nxt) if nxt else None,
                     first_url=page_url("/console/products", q=q))
