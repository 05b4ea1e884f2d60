"""日程: the activity calendar — group-buys running now and flash sales that are on or coming up within the
leader's preview window (3 days; 14 with 优先选品)."""

from __future__ import annotations

from datetime import timedelta
from itertools import groupby

from fastapi import APIRouter, Request
from fastapi.responses import Response

from linli.core import clock
from linli.core.http import Db
from linli.flashsale import service as flashsales
from linli.groupbuy import service as groupbuys
from linli.leader import ladder
from linli.leader import service as leaders
from linli.web.member.pages import products
from linli.web.member.templating import render
from linli.web.workbench.guard import LeaderPage

router = APIRouter()
LOOK_AT = 100  # the newest campaigns are the ones that matter for the days ahead


@router.get("/calendar")
def activity_calendar(request: Request, p: LeaderPage, s: Db) -> Response:
    assert p.leader_id is not None
    ahead = leaders.preview_days(s, p.tenant_id, p.leader_id)
    horizon = clock.now() + timedelta(days=ahead)
    sales, _ = flashsales.search(s, p, LOOK_AT, None)
    coming = sorted((x for x in sales if x.status != "ended"), key=lambda x: x.starts_at)
    upcoming = [x for x in coming if x.starts_at <= horizon]
    groups, _ = groupbuys.search(s, p, LOOK_AT, None)
    running = [g for g in groups if g.status == "active"]
    names = products(s, p, [x.product_id for x in upcoming] + [g.product_id for g in running])
    days = [(day, list(rows)) for day, rows in
            groupby(upcoming, key=lambda x: clock.local(x.starts_at).strftime("%m月%d日"))]
    return render(request, "workbench/calendar.html", p=p, title="日程", tab="calendar", days=days,
                  group_buys=running, names=names, ahead=ahead, later=len(coming) - len(upcoming),
                  priority_days=ladder.PRIORITY_PREVIEW_DAYS)
