"""One group (团): who is in it, how long is left, joining, and sharing the link."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Protocol

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from linli.catalog import service as catalog
from linli.core.errors import Conflict, Invalid, NotFound
from linli.core.http import Db
from linli.core.security import Principal
from linli.groupbuy import reports
from linli.groupbuy import service as groupbuys
from linli.groupbuy.schemas import JoinIn
from linli.member import service as members
from linli.order import service as orders
from linli.referral import service as referral
from linli.web.member import messages
from linli.web.member.guard import MemberPage
from linli.web.member.pages import not_found, path_id
from linli.web.member.templating import render

router = APIRouter()


class Seat(Protocol):  # a started or joined group's seat
    group_id: int


@router.get("/groups/{group_id}")
def group_page(request: Request, p: MemberPage, s: Db, group_id: str,
               sharer: Annotated[str, Query(alias="from")] = "") -> Response:
    response = _page(request, p, s, group_id)
    if sharer and response.status_code == 200:  # a neighbour opened a member's share link: that is the share
        assert p.member_id is not None
        referral.share_opened(s, p.tenant_id, sharer, p.member_id, f"group:{path_id(group_id, 'group')}")
    return response


def share_url(request: Request, s: Session, p: Principal, group_id: int) -> str:
    """The group's link to send to the neighbours, carrying the sharer's invite code (`from`): when a
    neighbour opens it, the share is recorded for the sharer."""
    assert p.member_id is not None
    code = referral.code_for(s, p.tenant_id, p.member_id)
    return f"{str(request.base_url).rstrip('/')}/m/groups/{group_id}?from={code}"


@router.post("/groups/{group_id}/join")
def join(request: Request, p: MemberPage, s: Db, group_id: str) -> Response:
    return take_seat(request, p, s, lambda: groupbuys.join(s, p, path_id(group_id, "group"), JoinIn()),
                     "这个团不存在。", lambda error: _page(request, p, s, group_id, error, 409))


def take_seat(request: Request, p: Principal, s: Session, take: Callable[[], Seat], missing: str,
              refused: Callable[[str], Response]) -> Response:
    """Start or join a group: on to the group's page, or the page again with why the seat was refused."""
    try:
        seat = take()
    except NotFound:
        return not_found(request, p, missing)
    except (Conflict, Invalid) as exc:
        s.rollback()
        return refused(messages.group_error(exc.code))
    return RedirectResponse(f"/m/groups/{seat.group_id}", status_code=303)


def _page(request: Request, p: Principal, s: Session, group_id: str, error: str | None = None,
          status_code: int = 200) -> Response:
    try:
        group = groupbuys.get_group(s, p, path_id(group_id, "group"))
    except NotFound:
        return not_found(request, p, "这个团不存在。")
    campaign = groupbuys.get(s, p, group.group_buy_id)
    product = catalog.get_product(s, p, campaign.product_id)
    my_order_id = reports.my_seats(s, p, [group.id]).get(group.id)
    my_order = orders.get(s, p, my_order_id) if my_order_id else None
    names = members.names(s, p.tenant_id, [e.member_id for e in group.timeline if e.member_id])
    return render(request, "member/group.html", status_code=status_code, p=p, title="拼团详情", group=group,
                  campaign=campaign, product=product, my_order=my_order, names=names, error=error,
                  back=f"/m/group-buys/{campaign.id}",
                  share_url=share_url(request, s, p, group.id))
