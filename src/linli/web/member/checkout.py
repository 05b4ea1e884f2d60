"""Checkout (确认订单): the cart's lines, the pickup point (the member's default; a leader's share link makes it
that leader's point), a coupon the lines can use, points; placing the order through the order service, then
paying on the order's page (sandbox)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from linli.catalog.schemas import ProductOut
from linli.community import service as community
from linli.community.schemas import PickupPointOut
from linli.core.errors import Conflict, Invalid, LinliError
from linli.core.http import Db
from linli.core.security import Principal
from linli.coupon import service as coupons
from linli.coupon.schemas import MemberCouponOut
from linli.delivery import service as delivery
from linli.delivery.schemas import QuoteOut
from linli.member import service as members
from linli.order import service as orders
from linli.order.schemas import LineIn, OrderIn
from linli.points import service as points
from linli.web.member import cart, shop_text
from linli.web.member.guard import MemberPage
from linli.web.member.pages import is_id
from linli.web.member.products import via_leader
from linli.web.member.templating import render

router = APIRouter()
COUPONS_LOOKED_AT = 50
POINTS_SHOWN = 50  # a community's pickup points offered at most
DELIVERY_REFUSED = {"out_of_range": "你的住址不在前置仓的配送范围内，请选择自提。",
                    "no_address": "请先完善你的楼栋和门牌，才能送货上门。"}


@router.get("/checkout")
def checkout_page(request: Request, p: MemberPage, s: Db) -> Response:
    rows = cart.products_in(s, p, cart.read(request, p))
    if not rows:
        return RedirectResponse("/m/cart", status_code=303)
    return _page(request, p, s, rows)


@router.post("/checkout")
def place(request: Request, p: MemberPage, s: Db,
          pickup_point_id: Annotated[str, Form(max_length=20)] = "",
          coupon_id: Annotated[str, Form(max_length=20)] = "",
          points_to_use: Annotated[str, Form(max_length=10)] = "",
          remember: Annotated[str, Form(max_length=1)] = "",
          home_delivery: Annotated[str, Form(max_length=1)] = "") -> Response:
    rows = cart.products_in(s, p, cart.read(request, p))
    if not rows:
        return RedirectResponse("/m/cart", status_code=303)
    chosen = {"pickup_point_id": pickup_point_id, "coupon_id": coupon_id, "points_to_use": points_to_use,
              "home_delivery": home_delivery}
    if home_delivery:  # the goods leave from the warehouse that reaches the member's door
        quote = delivery.quote(s, p)
        if not quote.eligible or quote.warehouse_id is None:
            refused = DELIVERY_REFUSED.get(quote.reason or "", "暂不支持送货上门。")
            return _page(request, p, s, rows, refused, 422, chosen)
        pickup_point_id = str(quote.warehouse_id)
    if not is_id(pickup_point_id):
        return _page(request, p, s, rows, "请选择自提点。", 422, chosen)
    if coupon_id and not is_id(coupon_id):
        return _page(request, p, s, rows, shop_text.text("unknown_coupon"), 422, chosen)
    if points_to_use and not (points_to_use.isascii() and points_to_use.isdigit()):
        return _page(request, p, s, rows, "积分请填写整数。", 422, chosen)
    data = OrderIn(items=[LineIn(product_id=product.id, quantity=qty) for product, qty in rows],
                   pickup_point_id=int(pickup_point_id), coupon_id=int(coupon_id) if coupon_id else None,
                   points_to_use=int(points_to_use or 0))
    try:
        order = orders.place(s, p, data)
        if home_delivery:
            delivery.request(s, p, order.id)
        if remember and not home_delivery:
            members.choose_pickup_point(s, p, int(pickup_point_id))
    except (Conflict, Invalid) as exc:
        s.rollback()  # nothing of a refused order is kept
        text = DELIVERY_REFUSED.get(exc.code) or shop_text.text(exc.code)
        return _page(request, p, s, rows, text, exc.status, chosen)
    response = RedirectResponse(f"/m/orders/{order.id}", status_code=303)
    cart.write(response, request, p, {})
    return response


def pickup_choices(s: Session, p: Principal, via: int | None) -> tuple[list[PickupPointOut], int | None]:
    """(the points to choose from, the one selected at first): the share link's leader's point, else the
    member's default (their chosen point, else their community's first); then the community's others."""
    assert p.member_id is not None
    mine = members.pickup_choice(s, p)
    offered: dict[int, PickupPointOut] = {}
    if via is not None:
        for point_id in community.point_ids_of_leader(s, p.tenant_id, via):
            offered[point_id] = PickupPointOut.model_validate(community.pickup_point(s, p.tenant_id, point_id))
    if mine.point is not None:
        offered.setdefault(mine.point.id, mine.point)
    home = members.require_member(s, p.tenant_id, p.member_id).community_id
    for point in community.points_of_community(s, p.tenant_id, home)[:POINTS_SHOWN]:
        offered.setdefault(point.id, point)
    first = next(iter(offered), None)
    return list(offered.values()), first


def usable_coupons(s: Session, p: Principal,
                   rows: list[tuple[ProductOut, int]]) -> list[tuple[MemberCouponOut, int | None]]:
    """The member's available coupons, each with what it takes off these lines (None: not usable on them)."""
    assert p.member_id is not None
    held, _ = coupons.mine(s, p, "available", COUPONS_LOOKED_AT, None)
    lines = [coupons.Line(product.id, product.category_id, product.price_fen * qty) for product, qty in rows]
    out: list[tuple[MemberCouponOut, int | None]] = []
    for c in held:
        try:
            out.append((c, coupons.quote(s, p.tenant_id, p.member_id, c.id, lines)))
        except LinliError:
            out.append((c, None))
    return sorted(out, key=lambda pair: -(pair[1] or -1))  # the best saving first, unusable last


def _page(request: Request, p: Principal, s: Session, rows: list[tuple[ProductOut, int]],
          error: str | None = None, status_code: int = 200, chosen: dict[str, str] | None = None) -> Response:
    choices, first = pickup_choices(s, p, via_leader(request))
    offered = usable_coupons(s, p, rows)
    chosen = chosen or {}
    best = next((str(c.id) for c, off in offered if off), "")
    home = _delivery_offer(s, p)
    return render(request, "member/checkout.html", status_code=status_code, p=p, title="确认订单", back="/m/cart",
                  rows=rows, total=sum(product.price_fen * qty for product, qty in rows), error=error,
                  points_choice=choices, selected_point=chosen.get("pickup_point_id") or str(first or ""),
                  coupons=offered, selected_coupon=chosen.get("coupon_id", best),
                  points_to_use=chosen.get("points_to_use", ""), my_points=points.mine(s, p),
                  home=home, home_chosen=bool(chosen.get("home_delivery")))


def _delivery_offer(s: Session, p: Principal) -> QuoteOut | None:
    """送货上门 when a warehouse's radius reaches the member's building (None: not offered)."""
    try:
        quote = delivery.quote(s, p)
    except LinliError:
        return None
    return quote if quote.eligible else None
