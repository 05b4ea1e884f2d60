"""The console home page: today's figures, the to-do list with links to its queues, this month's rankings and
the last 30 days' GMV."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from linli.alert import service as alerts
from linli.commission import listing as withdrawals
from linli.community import service as communities
from linli.core import clock
from linli.core.http import Db
from linli.core.security import Principal
from linli.leader import listing as applications
from linli.leader import service as leaders
from linli.member import reports as member_reports
from linli.order import rankings
from linli.order import reports as order_reports
from linli.referral import listing as referrals
from linli.web.console.guard import ConsoleOperator
from linli.web.console.templating import render

router = APIRouter()
RANKED = 10


@router.get("")
def home(request: Request, p: ConsoleOperator, s: Db) -> Response:
    today = order_reports.today(s, p)
    days = order_reports.daily_gmv(s, p, 30)
    chart = {"days": [d.day.strftime("%m-%d") for d in days], "gmv_fen": [d.gmv_fen for d in days]}
    waiting, waiting_fen = withdrawals.pending_withdrawals(s, p)
    todos = [("todo-applications", "待审核团长申请", applications.pending_applications(s, p),
              "/console/leader-applications?status=pending", ""),
             ("todo-withdrawals", "待审核提现", waiting, "/console/withdrawals?status=requested", waiting_fen),
             ("todo-referrals", "待复核邀请（疑似同一人）", referrals.flagged_count(s, p), None, ""),
             ("todo-alerts", "待处理预警", alerts.open_count(s, p.tenant_id), "/console/alerts?status=open", "")]
    return render(request, "console/home.html", p=p, nav="home", title="首页", today=today,
                  new_members=member_reports.new_today(s, p), chart=chart,
                  total_30d_fen=sum(d.gmv_fen for d in days), todos=todos, **_rankings(s, p))


def _rankings(s: Session, p: Principal) -> dict[str, Any]:
    """This calendar month (Asia/Shanghai) so far: the top leaders, communities and products, with their names."""
    month_start = clock.local(clock.now()).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    since, until = clock.as_utc(month_start), clock.now()
    top_leaders = rankings.top_leaders(s, p, since, until, RANKED)
    top_communities = rankings.top_communities(s, p, since, until, RANKED)
    leader_names = {i: pr.name for i, pr in leaders.profiles(s, p.tenant_id, [r.id for r in top_leaders]).items()}
    community_names = {c.id: c.name for c in communities.communities_by_ids(s, p.tenant_id,
                                                                            [r.id for r in top_communities])}
    return {"month": _month(month_start), "top_leaders": top_leaders, "leader_names": leader_names,
            "top_communities": top_communities, "community_names": community_names,
            "top_products": rankings.top_products(s, p, since, until, RANKED)}


def _month(start: datetime) -> str:
    return f"{start.year}年{start.month}月"
