"""The cart (购物车): product ids and quantities in a cookie of the member app (path /m), tagged with the member
it belongs to, so another member signing in on the same phone starts with an empty one. Prices, stock and
shelf status are always read afresh from the catalogue; the cookie holds nothing to trust."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from linli.catalog import service as catalog
from linli.catalog.schemas import ProductOut
from linli.core.errors import NotFound
from linli.core.http import Db
from linli.core.security import Principal
from linli.web.member.guard import MemberPage
from linli.web.member.pages import is_id, not_found, path_id
from linli.web.member.templating import render

router = APIRouter()
COOKIE = "linli_cart"
MAX_LINES = 30
MAX_QUANTITY = 99
MAX_AGE = 30 * 86400


def read(request: Request, p: Principal) -> dict[int, int]:
    """product id -> quantity; anything malformed, or another member's cart, reads as empty."""
    raw = request.cookies.get(COOKIE, "")
    owner, _, body = raw.partition("|")
    if owner != str(p.member_id) or not body:
        return {}
    lines: dict[int, int] = {}
    for part in body.split(",")[:MAX_LINES]:
        pid, _, qty = part.partition(":")
        if is_id(pid) and qty.isascii() and qty.isdigit() and 0 < int(qty) <= MAX_QUANTITY:
            lines[int(pid)] = int(qty)
    return lines


def write(response: Response, request: Request, p: Principal, lines: dict[int, int]) -> None:
    if not lines:
        response.delete_cookie(COOKIE, path="/m", httponly=True, samesite="lax")
        return
    body = ",".join(f"{pid}:{qty}" for pid, qty in list(lines.items())[:MAX_LINES])
    response.set_cookie(COOKIE, f"{p.member_id}|{body}", max_age=MAX_AGE, path="/m", httponly=True,
                        samesite="lax", secure=request.url.scheme == "https")


def parse_quantity(text: str) -> int | None:
    """A form's quantity: 0–99, else None."""
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 3 and int(text) <= MAX_QUANTITY \
        else None


def products_in(s: Session, p: Principal, lines: dict[int, int]) -> list[tuple[ProductOut, int]]:
    """The cart's products as the catalogue has them now (a product that no longer exists drops out)."""
    found = []
    for pid, qty in lines.items():
        try:
            found.append((catalog.get_product(s, p, pid), qty))
        except NotFound:
            continue
    return found


@router.get("/cart")
def cart_page(request: Request, p: MemberPage, s: Db) -> Response:
    return _page(request, p, s)


@router.post("/cart/{product_id}")
def set_quantity(request: Request, p: MemberPage, s: Db, product_id: str,
                 quantity: Annotated[str, Form(max_length=3)] = "1",
                 add: Annotated[str, Form(max_length=1)] = "") -> Response:
    """Put a product in the cart (add=1 adds to what is there) or set its quantity; 0 takes it out."""
    try:
        product = catalog.get_product(s, p, path_id(product_id, "product"))
    except NotFound:
        return not_found(request, p, "商品不存在。")
    wanted = parse_quantity(quantity)
    lines = read(request, p)
    if wanted is None or (add and wanted == 0):
        return _page(request, p, s, lines, f"请选择 1–{MAX_QUANTITY} 件。", 422)
    if add:
        wanted = min(MAX_QUANTITY, lines.get(product.id, 0) + wanted)
    if wanted and not product.is_active:
        return _page(request, p, s, lines, f"{product.name} 已下架。", 409)
    if wanted and product.id not in lines and len(lines) >= MAX_LINES:
        return _page(request, p, s, lines, f"购物车最多放 {MAX_LINES} 种商品。", 422)
    if wanted:
        lines[product.id] = wanted
    else:
        lines.pop(product.id, None)
    response = RedirectResponse("/m/cart", status_code=303)
    write(response, request, p, lines)
    return response


@router.post("/cart/{product_id}/remove")
def remove(request: Request, p: MemberPage, s: Db, product_id: str) -> Response:
    lines = read(request, p)
    if is_id(product_id):
        lines.pop(int(product_id), None)
    response = RedirectResponse("/m/cart", status_code=303)
    write(response, request, p, lines)
    return response


def _page(request: Request, p: Principal, s: Session, lines: dict[int, int] | None = None,
          error: str | None = None, status_code: int = 200) -> Response:
    rows = products_in(s, p, read(request, p) if lines is None else lines)
    buyable = [(product, qty) for product, qty in rows if product.is_active and product.stock >= qty]
    return render(request, "member/cart.html", status_code=status_code, p=p, title="购物车", back="/m/products",
                  rows=rows, error=error, total=sum(product.price_fen * qty for product, qty in buyable),
                  can_checkout=bool(rows) and len(buyable) == len(rows))
