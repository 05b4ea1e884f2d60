"""My coupons (优惠券): available / used / expired tabs, the coupons on offer, and claiming one."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from linli.core.errors import Conflict, NotFound
from linli.core.http import Db
from linli.core.security import Principal
from linli.coupon import service as coupons
from linli.web.console import labels
from linli.web.member import messages
from linli.web.member.guard import MemberPage
from linli.web.member.pages import is_id, not_found, path_id
from linli.web.member.templating import PAGE_SIZE, render

router = APIRouter()
TABS = tuple(labels.COUPON_STATUSES)  # available, used, expired
OFFERS = 20
HELD = 200  # the member's latest coupons: enough to tell 已领取 from 不可领取 on the offers


@router.get("/me/coupons")
def coupon_page(request: Request, p: MemberPage, s: Db, tab: str = "available", cursor: str = "",
                claimed: str = "") -> Response:
    return _page(request, p, s, tab, cursor, claimed=claimed)


@router.post("/coupons/{coupon_id}/claim")
def claim(request: Request, p: MemberPage, s: Db, coupon_id: str) -> Response:
    try:
        template = coupons.get(s, p, path_id(coupon_id, "coupon"))
    except NotFound:
        return not_found(request, p, "优惠券不存在。")
    try:
        coupons.claim(s, p, template.id)
    except Conflict as exc:
        s.rollback()  # nothing of a refused claim is kept
        return _page(request, p, s, "available", "", error=messages.coupon_error(exc.code, template.per_member_limit),
                     status_code=409)
    return RedirectResponse(f"/m/me/coupons?claimed={template.id}", status_code=303)


def _page(request: Request, p: Principal, s: Session, tab: str, cursor: str, *, claimed: str = "",
          error: str | None = None, status_code: int = 200) -> Response:
    tab = tab if tab in TABS else "available"
    rows, nxt = coupons.mine(s, p, tab, PAGE_SIZE, cursor if is_id(cursor) else None)
    offers, _ = coupons.search(s, p, None, OFFERS, None)
    held = {c.template_id for c in coupons.mine(s, p, None, HELD, None)[0]}
    # "领取成功" only for a coupon the member really holds (the address alone proves nothing)
    got = next((c.name for c in rows if str(c.template_id) == claimed), None) if tab == "available" else None
    return render(request, "member/coupons.html", status_code=status_code, p=p, title="我的优惠券", back="/m/me",
                  tab_now=tab, tabs=labels.COUPON_STATUSES, rows=rows, offers=offers, held=held, cursor=cursor,
                  got=got, error=error, next_url=f"/m/me/coupons?tab={tab}&cursor={nxt}" if nxt else None)
