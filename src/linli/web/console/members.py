"""Members: the filtered list (search, community, joined between) with export."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from linli.community import service as communities
from linli.core.http import Db
from linli.core.schemas import PageSearch
from linli.core.security import Principal
from linli.member import listing as member_listing
from linli.member.schemas import MemberOut
from linli.web.console import listing
from linli.web.console.guard import ConsoleOperator
from linli.web.console.listing import Column, ListView, Source

router = APIRouter()
VIEW = ListView(
    "/console/members", "会员", "会员", date_label="注册时间", community=True, search="搜索姓名、手机号或用户名",
    columns=[
        Column("会员ID", lambda m, x: m.id),
        Column("姓名", lambda m, x: m.name),
        Column("用户名", lambda m, x: m.username),
        Column("手机号", lambda m, x: m.phone),
        Column("小区", lambda m, x: x["community_names"].get(m.community_id, "")),
        Column("注册时间", lambda m, x: m.joined_at),
    ])
SOURCE = Source(member_listing.page, member_listing.export)


@router.get("/members")
def member_list(request: Request, p: ConsoleOperator, s: Db, q: PageSearch = "") -> Response:
    return listing.answer(request, p, s, VIEW, listing.read(request, VIEW, q), SOURCE,
                          template="console/members.html", table="console/_members_table.html", nav="members",
                          lookup=_community_names(s, p))


def _community_names(s: Session, p: Principal) -> listing.Lookup:
    """A page or batch holds few distinct communities: one query for their names."""
    def lookup(rows: Sequence[MemberOut]) -> dict[str, Any]:
        ids = sorted({m.community_id for m in rows})
        return {"community_names": {c.id: c.name for c in communities.communities_by_ids(s, p.tenant_id, ids)}}
    return lookup
