"""素材: products with ready share text (一键复制) and a share poster PNG per product (一键发圈)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from linli.catalog import service as catalog
from linli.catalog.schemas import ProductOut
from linli.core.errors import NotFound
from linli.core.http import Db
from linli.core.money import yuan
from linli.web.member.pages import is_id, path_id
from linli.web.member.templating import PAGE_SIZE, render
from linli.web.workbench import poster
from linli.web.workbench.guard import LeaderPage

router = APIRouter()


def product_url(request: Request, product_id: int, leader_id: int | None) -> str:
    """The member app's product page a share link or poster QR code opens; `leader` attributes the sale: the
    member app remembers it and makes the leader's pickup point the checkout's default."""
    return f"{str(request.base_url).rstrip('/')}/m/products/{product_id}?leader={leader_id}"


def share_text(product: ProductOut, url: str) -> str:
    line = product.description.strip() or f"{product.category}好物，小区邻居一起买更划算。"
    return f"【邻里团购】{product.name} ¥{yuan(product.price_fen)}/{product.unit}\n{line}\n下单：{url}"


@router.get("/materials")
def material_list(request: Request, p: LeaderPage, s: Db, cursor: str = "") -> Response:
    rows, nxt = catalog.search_products(s, p, None, None, PAGE_SIZE, cursor if is_id(cursor) else None)
    items = [(r, share_text(r, product_url(request, r.id, p.leader_id))) for r in rows if r.is_active]
    return render(request, "workbench/materials.html", p=p, title="素材", tab="materials", items=items,
                  next_cursor=nxt)


@router.get("/materials/{product_id}/poster.png")
def poster_png(request: Request, product_id: str, p: LeaderPage, s: Db) -> Response:
    try:
        product = catalog.get_product(s, p, path_id(product_id, "product"))
    except NotFound:
        return Response("商品不存在", status_code=404, media_type="text/plain; charset=utf-8")
    png = poster.render(product.name, product.category, yuan(product.price_fen), product.unit,
                        product_url(request, product.id, p.leader_id))
    return Response(png, media_type="image/png", headers={"Cache-Control": "private, max-age=300"})
