"""Communities (小区): the searchable list."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from linli.community import service as communities
from linli.core.http import Db
from linli.core.schemas import PageSearch
from linli.web.console.guard import ConsoleOperator
from linli.web.console.templating import PAGE_SIZE, cursor_param, list_page, page_url

router = APIRouter()


@router.get("/communities")
def community_list(request: Request, p: ConsoleOperator, s: Db, q: PageSearch = "", cursor: str = "") -> Response:
    q = q.strip()
    rows, nxt = communities.search_communities(s, p, q or None, PAGE_SIZE,
                                               cursor_param(cursor))
    return list_page(request, p, page="console/communities.html",
                     table="console/_communities_table.html", nav="communities", title="小区", rows=rows,
                     q=q, cursor=cursor,
                     next_url=page_url("/console/communities", q=q, cursor=nxt) if nxt else None,
                     first_url=page_url("/console/communities", q=q))
