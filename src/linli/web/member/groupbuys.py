"""A group-buy (拼团): price, starting a group, the open groups to join, and where neighbours joined."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from linli.catalog import service as catalog
from linli.core.errors import NotFound
from linli.core.http import Db
from linli.core.security import Principal
from linli.groupbuy import reports
from linli.groupbuy import service as groupbuys
from linli.groupbuy.schemas import JoinIn
from linli.web.member.groups import share_url, take_seat
from linli.web.member.guard import MemberPage
from linli.web.member.pages import not_found, path_id
from linli.web.member.templating import render

router = APIRouter()
OPEN_GROUPS_SHOWN = 10


@router.get("/group-buys/{campaign_id}")
def campaign_page(request: Request, p: MemberPage, s: Db, campaign_id: str) -> Response:
    return _page(request, p, s, campaign_id)


@router.post("/group-buys/{campaign_id}/start")
def start(request: Request, p: MemberPage, s: Db, campaign_id: str) -> Response:
    return take_seat(request, p, s, lambda: groupbuys.start(s, p, path_id(campaign_id, "group-buy"), JoinIn()),
                     "拼团活动不存在。", lambda error: _page(request, p, s, campaign_id, error, 409))


def _page(request: Request, p: Principal, s: Session, campaign_id: str, error: str | None = None,
          status_code: int = 200) -> Response:
    try:
        campaign = groupbuys.get(s, p, path_id(campaign_id, "group-buy"))
    except NotFound:
        return not_found(request, p, "拼团活动不存在。")
    product = catalog.get_product(s, p, campaign.product_id)
    progress = groupbuys.progress(s, p, campaign.id)
    mine = reports.my_seats(s, p, [g.id for g in progress.open_groups])
    shown = [g for g in progress.open_groups if g.id in mine]
    shown += [g for g in progress.open_groups if g.id not in mine][:OPEN_GROUPS_SHOWN]
    share = next((g for g in progress.open_groups if g.id in mine), None)
    return render(request, "member/group_buy.html", status_code=status_code, p=p, title="拼团", campaign=campaign,
                  product=product, progress=progress, groups=shown, mine=mine, error=error, back="/m",
                  share_url=share_url(request, s, p, share.id) if share else None,
                  most=max((c.members for c in progress.communities), default=0))

