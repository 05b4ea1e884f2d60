"""我的: the member's tier and growth, points, coupons, check-ins and lifecycle stage on one page,
and the points history."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from linli.auth import service as auth
from linli.checkin import service as checkins
from linli.core.http import Db
from linli.coupon import service as coupons
from linli.lifecycle import service as lifecycle
from linli.messaging import inbox
from linli.points import service as points
from linli.referral import service as referral
from linli.tier import service as tiers
from linli.tier.schemas import MyTierOut, ProgramOut
from linli.web.member.guard import MemberPage
from linli.web.member.pages import is_id
from linli.web.member.templating import PAGE_SIZE, render

router = APIRouter()
COUPONS_SHOWN = 3


@router.get("/me")
def me_page(request: Request, p: MemberPage, s: Db) -> Response:
    tier = tiers.mine(s, p)
    held, more = coupons.mine(s, p, "available", PAGE_SIZE, None)
    return render(request, "member/me.html", p=p, title="我的", tab="me", me=auth.me(s, p), tier=tier,
                  progress=progress(tiers.program(s, p.tenant_id), tier), points=points.mine(s, p),
                  stage=lifecycle.mine(s, p), calendar=checkins.calendar(s, p, None), referral=referral.mine(s, p),
                  coupons=held[:COUPONS_SHOWN], coupon_count=f"{len(held)}+" if more else str(len(held)),
                  unread=inbox.unread(s, p))


@router.get("/me/points")
def points_page(request: Request, p: MemberPage, s: Db, cursor: str = "") -> Response:
    assert p.member_id is not None
    page = points.entries(s, p.tenant_id, p.member_id, PAGE_SIZE, cursor if is_id(cursor) else None)
    return render(request, "member/points.html", p=p, title="我的积分", points=points.mine(s, p),
                  rows=page.items, cursor=cursor, back="/m/me",
                  next_url=f"/m/me/points?cursor={page.next_cursor}" if page.next_cursor else None)


def progress(program: ProgramOut, tier: MyTierOut) -> tuple[int, int]:
    """(growth into the current level, growth the level spans up to the next): the bar's part and whole."""
    if tier.next_tier is None or tier.growth_needed is None:
        return 1, 1  # the top of the ladder: a full bar
    floor = next(lv.min_growth for lv in program.levels if lv.code == tier.earned_tier)
    return tier.growth - floor, tier.growth + tier.growth_needed - floor
