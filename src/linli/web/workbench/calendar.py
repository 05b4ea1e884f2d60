"""日程: the activity calendar — group-buys running now and flash sales that are on or coming up."""

from __future__ import annotations

from itertools import groupby

from fastapi import APIRouter, Request
from fastapi.responses import Response

from linli.core import clock
from linli.core.http import Db
from linli.flashsale import service as flashsales
from linli.groupbuy import service as groupbuys
from linli.web.member.pages import products
from linli.web.member.templating import render
from linli.web.workbench.guard import LeaderPage

router = APIRouter()
LOOK_AT = 100  # the newest campaigns are the ones that matter for the days ahead


@router.get("/calendar")
def activity_calendar(request: Request, p: LeaderPage, s: Db) -> Response:
    sales, _ = flashsales.search(s, p, LOOK_AT, None)
    upcoming = sorted((x for x in sales if x.status != "ended"), key=lambda x: x.starts_at)
    groups, _ = groupbuys.search(s, p, LOOK_AT, None)
    running = [g for g in groups if g.status == "active"]
    names = products(s, p, [x.product_id for x in upcoming] + [g.product_id for g in running])
    days = [(day, list(rows)) for day, rows in
            groupby(upcoming, key=lambda x: clock.local(x.starts_at).strftime("%m月%d日"))]
    return render(request, "workbench/calendar.html", p=p, title="日程", tab="calendar", days=days,
                  group_buys=running, names=names)
