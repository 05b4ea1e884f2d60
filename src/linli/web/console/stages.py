"""生命周期: members per stage over the last 30 days (a stacked chart) and today's counts."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from linli.core.http import Db
from linli.lifecycle import service as lifecycle
from linli.web.console import labels
from linli.web.console.guard import ConsoleOperator
from linli.web.console.templating import render

router = APIRouter()
DAYS = 30


@router.get("/loyalty/stages")
def stages_page(request: Request, p: ConsoleOperator, s: Db) -> Response:
    dist = lifecycle.distribution(s, p, DAYS)
    today = dist.items[-1]
    chart = {"days": [d.day.strftime("%m-%d") for d in dist.items],
             "series": [{"stage": st, "name": labels.stage(st), "data": [getattr(d, st) for d in dist.items]}
                        for st in dist.stages]}
    counts = [(st, labels.stage(st), getattr(today, st)) for st in dist.stages]
    return render(request, "console/stages.html", p=p, nav="stages", title="生命周期", chart=chart, counts=counts,
                  total=sum(n for _, _, n in counts), day=today.day)
