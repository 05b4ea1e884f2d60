"""Plain catalogue products: the list by category (全部商品) and one product's page (picture, price, stock,
description, add to cart). A leader's share link (`?leader=<id>`) is remembered for the checkout: the goods
are then picked up at that leader's point, which is what attributes the sale to the leader."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from linli.catalog import service as catalog
from linli.community import service as community
from linli.core.errors import NotFound
from linli.core.http import Db
from linli.core.security import Principal
from linli.recommend import service as recommend
from linli.web.member import cart
from linli.web.member.guard import MemberPage
from linli.web.member.pages import is_id, not_found, path_id
from linli.web.member.templating import PAGE_SIZE, render

router = APIRouter()
VIA_COOKIE = "linli_via"  # the leader whose share link brought the member here
VIA_MAX_AGE = 7 * 86400


def via_leader(request: Request) -> int | None:
    raw = request.cookies.get(VIA_COOKIE, "")
    return int(raw) if is_id(raw) else None


@router.get("/products")
def product_list(request: Request, p: MemberPage, s: Db, category: str = "", q: str = "",
                 cursor: str = "") -> Response:
    category_id = int(category) if is_id(category) else None
    q = q.strip()[:40] if "\x00" not in q else ""
    rows, nxt = catalog.search_products(s, p, q or None, category_id, PAGE_SIZE, cursor if is_id(cursor) else None)
    query = (f"&category={category_id}" if category_id else "") + (f"&q={quote(q)}" if q else "")
    return render(request, "member/products.html", p=p, title="全部商品", back="/m",
                  rows=[r for r in rows if r.is_active], categories=catalog.categories(s, p),
                  category_id=category_id, q=q,
                  cart_count=len(cart.read(request, p)),
                  next_url=f"/m/products?cursor={nxt}{query}" if nxt else None)


@router.get("/products/{product_id}")
def product_page(request: Request, p: MemberPage, s: Db, product_id: str, leader: str = "") -> Response:
    try:
        product = catalog.get_product(s, p, path_id(product_id, "product"))
    except NotFound:
        return not_found(request, p, "商品不存在或已下架。")
    if p.member_id is not None:  # a view feeds the member's recommendations (猜你喜欢)
        recommend.record_behaviour(s, p.tenant_id, p.member_id, item_kind="product", item_id=product.id,
                                   action="view")
    response = render(request, "member/product.html", p=p, title=product.name, back="/m/products",
                      product=product, in_cart=cart.read(request, p).get(product.id, 0),
                      cart_count=len(cart.read(request, p)))
    if is_id(leader) and _leads_a_point(s, p, int(leader)):
        response.set_cookie(VIA_COOKIE, leader, max_age=VIA_MAX_AGE, path="/m", httponly=True, samesite="lax",
                            secure=request.url.scheme == "https")
    return response


def _leads_a_point(s: Session, p: Principal, leader_id: int) -> bool:
    return bool(community.point_ids_of_leader(s, p.tenant_id, leader_id))
