"""Members: the searchable list."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from linli.community import service as communities
from linli.core.errors import NotFound
from linli.core.http import Db
from linli.core.schemas import PageSearch
from linli.core.security import Principal
from linli.member import service as members
from linli.web.console.guard import ConsoleOperator
from linli.web.console.templating import PAGE_SIZE, cursor_param, list_page, page_url

router = APIRouter()


@router.get("/members")
def member_list(request: Request, p: ConsoleOperator, s: Db, q: PageSearch = "", cursor: str = "") -> Response:
    q = q.strip()
    rows, nxt = members.search(s, p, q or None, None, PAGE_SIZE, cursor_param(cursor))
    return list_page(request, p, page="console/members.html", table="console/_members_table.html",
                     nav="members", title="会员", rows=rows, q=q, cursor=cursor,
                     community_names=_community_names(s, p, {m.community_id for m in rows}),
                     next_url=page_url("/console/members", q=q, cursor=nxt) if nxt else None,
                     first_url=page_url("/console/members", q=q))


def _community_names(s: Db, p: Principal, ids: set[int]) -> dict[int, str]:
    """A page holds few distinct communities; look each up once."""
    names: dict[int, str] = {}
    for cid in sorted(ids):
        try:
            names[cid] = communities.get_community(s, p, cid).name
        except NotFound:
            continue
    return names
