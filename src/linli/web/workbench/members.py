"""居民: the members of my community — lifecycle stage, last order and my latest call or visit note, newest
first, searchable, with a call link and a form to note a call or visit — so the leader knows whom to welcome,
whom to wake up and whom to thank, and remembers what was said."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from linli.core.errors import NotFound
from linli.core.http import Db
from linli.core.schemas import NO_NUL, PageSearch
from linli.core.security import Principal
from linli.leader import contacts
from linli.leader.schemas import ContactNoteIn
from linli.web.member.pages import is_id
from linli.web.member.templating import PAGE_SIZE, render
from linli.web.workbench.guard import LeaderPage

router = APIRouter()
KINDS = {"call": "电话", "visit": "上门", "message": "微信"}


def _page(request: Request, s: Db, p: Principal, q: str, cursor: str, status_code: int = 200,
          **context: object) -> Response:
    q = q.strip()[:20]
    rows, nxt = contacts.my_members(s, p, q or None, PAGE_SIZE, cursor if is_id(cursor) else None)
    return render(request, "workbench/members.html", status_code=status_code, p=p, title="我的居民",
                  tab="members", rows=rows, kinds=KINDS, q=q,
                  next_url=f"/w/members?{urlencode({'q': q, 'cursor': nxt})}" if nxt else None, **context)


@router.get("/members")
def member_list(request: Request, p: LeaderPage, s: Db, q: PageSearch = "", cursor: str = "",
                noted: str = "") -> Response:
    return _page(request, s, p, q, cursor, noted=int(noted) if is_id(noted) else None)


@router.post("/members/{member_id}/notes")
def add_note(request: Request, member_id: int, p: LeaderPage, s: Db,
             kind: Annotated[str, Form(max_length=10)] = "", note: Annotated[str, Form(max_length=500)] = "",
             q: Annotated[str, Form(max_length=20, pattern=NO_NUL)] = "") -> Response:
    try:
        contacts.add_note(s, p, member_id, ContactNoteIn(kind=kind, note=note))  # type: ignore[arg-type]
    except ValidationError:
        return _page(request, s, p, q, "", 422, error="请选择联系方式并写下记录（500 字以内）。", failed=member_id)
    except NotFound:
        return _page(request, s, p, q, "", 404, error="没有找到这位居民（只能记录本小区的居民）。")
    return RedirectResponse(f"/w/members?{urlencode({'q': q, 'noted': member_id})}#m{member_id}", status_code=303)
