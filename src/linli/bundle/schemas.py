from __future__ import annotations

from typing import Annotated

from pydantic import Field

from linli.core.schemas import Id, In, Instant, Name, Out, PositiveFen


class ComponentIn(In):
    product_id: Id
    quantity: Annotated[int, Field(gt=0, le=99)]


class BundleIn(In):
    name: Name
    price_fen: PositiveFen
    items: Annotated[list[ComponentIn], Field(min_length=2, max_length=20)]


class ComponentOut(Out):
    product_id: int
    name: str
    quantity: int
    unit_price_fen: int


class BundleOut(Out):
    id: int
    name: str
    price_fen: int
    list_price_fen: int  # what the components cost one by one
    stock: int  # how many bundles the components' stock allows
    is_active: bool
    items: list[ComponentOut]
    created_at: Instant


class BundleOrderIn(In):
    quantity: Annotated[int, Field(gt=0, le=99)] = 1
    pickup_point_id: Id | None = None
