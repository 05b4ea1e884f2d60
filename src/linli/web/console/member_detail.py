"""One member (会员详情): profile, lifecycle stage and its history, tier, points ledger and coupons."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from linli.audience import service as audience
from linli.community import service as communities
from linli.core.errors import NotFound
from linli.core.http import Db
from linli.coupon import service as coupons
from linli.lifecycle import service as lifecycle
from linli.member import service as members
from linli.points import service as points
from linli.recommend import service as recommend
from linli.tier import service as tiers
from linli.web.console.guard import ConsoleOperator
from linli.web.console.templating import PAGE_SIZE, cursor_param, is_id, page_url, render

router = APIRouter()


@router.get("/members/{member_id}")
def member_detail(request: Request, p: ConsoleOperator, s: Db, member_id: str, points_cursor: str = "",
                  coupons_cursor: str = "") -> Response:
    try:
        if not is_id(member_id):
            raise NotFound("member not found", code="member_not_found")
        member = members.get(s, p, int(member_id))
    except NotFound:
        return render(request, "console/not_found.html", status_code=404, p=p, nav="members", title="未找到",
                      message=f"会员 {member_id} 不存在。", back_url="/console/members")
    path = f"/console/members/{member.id}"
    ledger = points.member_points(s, p, member.id, PAGE_SIZE, cursor_param(points_cursor))
    held, coupons_next = coupons.member_coupons(s, p, member.id, None, PAGE_SIZE, cursor_param(coupons_cursor))
    try:
        community = communities.get_community(s, p, member.community_id).name
    except NotFound:
        community = f"小区 {member.community_id}"
    return render(request, "console/member_detail.html", p=p, nav="members", title=f"会员 {member.name}",
                  m=member, community=community, audience=audience.of_member(s, p, member.id),
                  stage=lifecycle.of_member(s, p, member.id),
                  tier=tiers.of_member(s, p, member.id), ledger=ledger, coupons=held,
                  picks=recommend.for_member(s, p, member.id, "product", 8),
                  points_cursor=points_cursor, coupons_cursor=coupons_cursor, path=path,
                  points_next=page_url(path, points_cursor=ledger.next_cursor, coupons_cursor=coupons_cursor)
                  if ledger.next_cursor else None,
                  coupons_next=page_url(path, points_cursor=points_cursor, coupons_cursor=coupons_next)
                  if coupons_next else None)
