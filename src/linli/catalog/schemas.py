from __future__ import annotations

from typing import Annotated

from pydantic import Field

from linli.core.schemas import In, Instant, Name, Out, PositiveFen, ShortText

Stock = Annotated[int, Field(ge=0, le=10**9)]


class ProductIn(In):
    name: Name
    price_fen: PositiveFen
    stock: Stock
    category: Annotated[str, Field(min_length=1, max_length=40)]
    is_fresh: bool = False
    unit: Annotated[str, Field(min_length=1, max_length=20)] = "份"
    description: ShortText = ""


class ProductOut(Out):
    id: int
    name: str
    category_id: int
    category: str
    price_fen: int
    stock: int
    is_fresh: bool
    unit: str
    description: str
    is_active: bool  # 上架 (on shelf); an off-shelf product cannot be ordered and members' lists hide it
    image_url: str | None = None
    created_at: Instant


class ProductPatch(In):
    """What an operator may change on a product; stock moves only through stock adjustments (the ledger)."""

    name: Name | None = None
    price_fen: PositiveFen | None = None
    category: Annotated[str, Field(min_length=1, max_length=40)] | None = None
    is_fresh: bool | None = None
    unit: Annotated[str, Field(min_length=1, max_length=20)] | None = None
    description: ShortText | None = None
    is_active: bool | None = None


class CategoryOut(Out):
    id: int
    name: str


class StockAdjustIn(In):
    delta: Annotated[int, Field(ge=-(10**9), le=10**9)]
    reason: Annotated[str, Field(pattern=r"^(restock|adjust|damage)$")] = "restock"
    note: ShortText = ""  # why, in the operator's words (e.g. 盘点少 3 箱)


class StockMovementOut(Out):
    id: int
    product_id: int
    delta: int
    reason: str
    order_id: int | None
    note: str = ""
    created_at: Instant
