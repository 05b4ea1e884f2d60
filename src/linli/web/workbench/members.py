"""居民: the members of my community — lifecycle stage and last order, newest first, searchable, with a call
link — so the leader knows whom to welcome, whom to wake up and whom to thank."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from linli.core.http import Db
from linli.leader import service as leaders
from linli.lifecycle import service as lifecycle
from linli.member import service as members
from linli.web.member.pages import is_id
from linli.web.member.templating import PAGE_SIZE, render
from linli.web.workbench.guard import LeaderPage

router = APIRouter()


@router.get("/members")
def member_list(request: Request, p: LeaderPage, s: Db, q: str = "", cursor: str = "") -> Response:
    assert p.leader_id is not None
    community_id = leaders.profile(s, p.tenant_id, p.leader_id).community_id
    q = q.strip()[:20]
    rows, nxt = members.search(s, p, q or None, community_id, PAGE_SIZE, cursor if is_id(cursor) else None)
    facts = lifecycle.facts_of(s, p.tenant_id, [m.id for m in rows])
    return render(request, "workbench/members.html", p=p, title="我的居民", tab="members", rows=rows,
                  facts=facts, q=q, next_url=f"/w/members?q={q}&cursor={nxt}" if nxt else None)
