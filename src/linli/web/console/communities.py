"""Communities (小区): the filtered list (search, created between) with export."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from linli.community import listing as community_listing
from linli.core.http import Db
from linli.core.schemas import PageSearch
from linli.web.console import listing
from linli.web.console.guard import ConsoleOperator
from linli.web.console.listing import Column, ListView, Source

router = APIRouter()
VIEW = ListView(
    "/console/communities", "小区", "小区", search="搜索小区名称或地址",
    columns=[
        Column("小区ID", lambda c, x: c.id),
        Column("小区名称", lambda c, x: c.name),
        Column("城市", lambda c, x: c.city),
        Column("区县", lambda c, x: c.district),
        Column("地址", lambda c, x: c.address),
        Column("纬度", lambda c, x: c.lat),
        Column("经度", lambda c, x: c.lng),
        Column("创建时间", lambda c, x: c.created_at),
    ])
SOURCE = Source(community_listing.page, community_listing.export)


@router.get("/communities")
def community_list(request: Request, p: ConsoleOperator, s: Db, q: PageSearch = "") -> Response:
    return listing.answer(request, p, s, VIEW, listing.read(request, VIEW, q), SOURCE,
                          template="console/communities.html", table="console/_communities_table.html",
                          nav="communities")
