from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from linli.catalog import service, stock
from linli.catalog.schemas import ProductIn, ProductOut, StockAdjustIn
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
        return StockOut(product_id=product_id, stock=stock.adjust(s, p, product_id, data.delta, data.reason))

    return idempotent(s, p, request, key, data, 201, work)
