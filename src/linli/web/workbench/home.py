"""看板: my pickup points' figures for today / 7 天 / 本月, commission, the 星火计划 step I am on and what the next
one needs, and members' latest ratings — all from the leader dashboard service (the API's /leader/dashboard)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from linli.commission import dashboard as dashboards
from linli.core.http import Db
from linli.web.member.templating import render
from linli.web.workbench.guard import LeaderPage

router = APIRouter()
PERIODS = {"today": "今日", "7d": "7 天", "month": "本月"}
MEASURES = {"activity": "活跃度", "conversion_bp": "转化率", "gmv_fen": "累计成交额"}


@router.get("")
def dashboard(request: Request, p: LeaderPage, s: Db, period: str = "today") -> Response:
    period = period if period in PERIODS else "today"
    assert p.leader_id is not None
    board = dashboards.dashboard(s, p.tenant_id, p.leader_id, period)
    return render(request, "workbench/home.html", p=p, title="团长作战室", tab="home", period=period,
                  periods=PERIODS, board=board, progress=board.tier_progress or {}, measures=MEASURES)
