"""社区日历 (member app): the coming events of my community and the next solar term and festival, each with
what neighbours buy for it."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from linli.calendar import service as calendar
from linli.core.http import Db
from linli.web.member.guard import MemberPage
from linli.web.member.templating import render

router = APIRouter()


@router.get("/calendar")
def community_calendar(request: Request, p: MemberPage, s: Db) -> Response:
    return render(request, "member/community_calendar.html", p=p, title="社区日历", back="/m",
                  upcoming=calendar.upcoming(s, p, days=60, limit=20))
