"""A group-buy (拼团): price, starting a group, the open groups to join, and where neighbours joined."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from linli.catalog import service as catalog
from linli.core.errors import NotFound
from linli.core.http import Db
from linli.core.security import Principal
from linli.groupbuy import reports
from linli.groupbuy import service as groupbuys
from linli.groupbuy.schemas import StartIn
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
def start(request: Request, p: MemberPage, s: Db, campaign_id: str,
          size: Annotated[str, Form(max_length=10)] = "") -> Response:
    # the size picker (可发起 N 人团): empty or the default means the campaign's size for the member's tier
    chosen = int(size) if size.isascii() and size.isdigit() and 2 <= int(size) <= 1000 else None
    return take_seat(request, p, s,
                     lambda: groupbuys.start(s, p, path_id(campaign_id, "group-buy"), StartIn(size=chosen)),
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
    sizes = groupbuys.start_sizes(s, p, campaign.id)
    return render(request, "member/group_buy.html", status_code=status_code, p=p, title="拼团", campaign=campaign,
                  product=product, progress=progress, groups=shown, mine=mine, error=error, back="/m",
                  sizes=sizes, size_choices=size_choices(sizes.smallest, sizes.default, sizes.largest),
                  share_url=share_url(request, s, p, share.id) if share else None,
                  most=max((c.members for c in progress.communities), default=0))


def size_choices(smallest: int, default: int, largest: int) -> list[int]:
    """A short list for the picker: the default, the campaign's size, round sizes between, the largest."""
    if largest <= default:
        return []
    steps = {smallest, default, largest} | {n for n in (10, 20, 30, 50, 100, 200, 500) if smallest < n < largest}
    return sorted(steps)
