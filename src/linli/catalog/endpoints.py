from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Query, Request, UploadFile
from fastapi.responses import FileResponse, JSONResponse
from pydantic import BaseModel

from linli.catalog import images, products, service, stock
from linli.catalog.schemas import (
    CategoryOut,
    ProductIn,
    ProductOut,
    ProductPatch,
    StockAdjustIn,
    StockMovementOut,
)
from linli.core.errors import NotFound
from linli.core.http import Auth, Db, IdemKey, Operator, idempotent
from linli.core.pagination import Page
from linli.core.schemas import Id, Limit, Search

router = APIRouter(tags=["catalogue"])


class StockOut(BaseModel):
    product_id: int
    stock: int


@router.post("/products", status_code=201, response_model=ProductOut)
def create_product(data: ProductIn, p: Operator, s: Db, request: Request, key: IdemKey = None) -> JSONResponse:
    return idempotent(s, p, request, key, data, 201, lambda: service.create_product(s, p, data))


@router.get("/products", response_model=Page[ProductOut])
def list_products(p: Auth, s: Db, q: Search = None,
                  category_id: Id | None = None, limit: Limit = 50,
                  cursor: Annotated[str | None, Query(max_length=20)] = None) -> Page[ProductOut]:
    items, nxt = service.search_products(s, p, q, category_id, limit, cursor)
    return Page[ProductOut](items=items, next_cursor=nxt)


@router.get("/products/{product_id}", response_model=ProductOut)
def get_product(product_id: Id, p: Auth, s: Db) -> ProductOut:
    return service.get_product(s, p, product_id)


@router.post("/products/{product_id}/stock-adjustments", status_code=201, response_model=StockOut)
def adjust_stock(product_id: Id, data: StockAdjustIn, p: Operator, s: Db, request: Request,
                 key: IdemKey = None) -> JSONResponse:
    def work() -> StockOut:
        return StockOut(product_id=product_id,
                        stock=stock.adjust(s, p, product_id, data.delta, data.reason, data.note))

    return idempotent(s, p, request, key, data, 201, work)


@router.patch("/products/{product_id}", response_model=ProductOut)
def update_product(product_id: Id, data: ProductPatch, p: Operator, s: Db) -> ProductOut:
    """Edit a product, including 上架/下架 (`is_active`); stock moves only through stock adjustments."""
    return products.update(s, p, product_id, data)


@router.post("/products/{product_id}/images", response_model=ProductOut)
def upload_image(product_id: Id, p: Operator, s: Db, file: Annotated[UploadFile, File()]) -> ProductOut:
    """The product's picture (JPEG, PNG, GIF or WebP by its bytes, at most 5 MB); answers with `image_url`."""
    return products.attach_image(s, p, product_id, file.file.read(images.MAX_BYTES + 1))


@router.get("/products/{product_id}/stock-movements", response_model=Page[StockMovementOut])
def stock_movements(product_id: Id, p: Operator, s: Db, limit: Limit = 50,
                    cursor: Annotated[str | None, Query(max_length=20)] = None) -> Page[StockMovementOut]:
    items, nxt = products.movements(s, p, product_id, limit, cursor)
    return Page[StockMovementOut](items=items, next_cursor=nxt)


@router.get("/categories", response_model=list[CategoryOut])
def list_categories(p: Auth, s: Db) -> list[CategoryOut]:
    return products.categories(s, p)


@router.get("/product-images/{name}", response_class=FileResponse)
def product_image(name: str) -> FileResponse:
    """Public, like a shop window: the name is the content's hash, so the answer never changes."""
    found = images.path_of(name)
    if found is None:
        raise NotFound("image not found", code="image_not_found")
    return FileResponse(found[0], media_type=found[1],
                        headers={"Cache-Control": "public, max-age=31536000, immutable"})
