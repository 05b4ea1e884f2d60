"""The console home page: today's figures and the last 30 days' GMV."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from linli.core.http import Db
from linli.member import reports as member_reports
from linli.order import reports as order_reports
from linli.web.console.guard import ConsoleOperator
from linli.web.console.templating import render

router = APIRouter()


@router.get("")
def home(request: Request, p: ConsoleOperator, s: Db) -> Response:
    today = order_reports.today(s, p)
    days = order_reports.daily_gmv(s, p, 30)
    chart = {"days": [d.day.strftime("%m-%d") for d in days], "gmv_fen": [d.gmv_fen for d in days]}
    return render(request, "console/home.html", p=p, nav="home", title="首页", today=today,
                  new_members=member_reports.new_today(s, p), chart=chart,
                  total_30d_fen=sum(d.gmv_fen for d in days))
