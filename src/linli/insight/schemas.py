"""Pydantic shapes of the insight answers: matrices, the map's cells, assortment advice and stock turnover."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from linli.core.schemas import Out

Dimension = Literal["building", "family", "unit_type"]
Metric = Literal["sales_fen", "orders", "units"]
Action = Literal["增加", "减少", "清理"]

FAMILY_NAMES = {"single": "单身", "young_couple": "年轻夫妻", "young_family": "年轻家庭", "with_children": "有孩家庭",
                "elderly": "老年家庭", "three_generations": "三代同堂", "other": "其他"}
METRIC_NAMES = {"sales_fen": "销售额", "orders": "订单数", "units": "销量（件）"}
DIMENSION_NAMES = {"building": "楼栋", "family": "家庭结构", "unit_type": "户型"}
UNREGISTERED = "未登记住户"


class Period(Out):
    since: datetime
    until: datetime
    days: int


class MatrixOut(Out):
    """rows x columns of one metric. shares: cell / grand total; row_shares: cell / its row's total."""

    title: str
    metric: str
    community_id: int | None
    period: Period
    rows: list[str]
    row_keys: list[str]
    columns: list[str]
    values: list[list[int]]
    shares: list[list[float]]
    row_shares: list[list[float]]
    row_totals: list[int]
    column_totals: list[int]
    total: int


class GeoCell(Out):
    cell: str
    lat: float
    lng: float
    buildings: list[str]
    sales_fen: int
    orders: int
    share: float


class GeoOut(Out):
    resolution: int
    period: Period
    cells: list[GeoCell]
    total_fen: int


class AdviceItem(Out):
    action: Action
    kind: Literal["category", "product"]
    category: str
    product_id: int | None = None
    product_name: str | None = None
    reason: str
    figures: dict[str, float | int | str | None]


class AdviceOut(Out):
    community_id: int
    community_name: str
    period: Period
    similar_communities: list[str]
    items: list[AdviceItem]


class ProductTurnover(Out):
    product_id: int
    name: str
    category: str
    on_shelf: bool
    units_sold: int
    average_stock: float
    stock_now: int
    turnover: float | None  # units sold / average stock; None: no stock at all in the period
    days_on_hand: float | None  # stock now / units sold per day; None: nothing sold
    no_sales_30d: bool
    stock_source: Literal["ledger", "current"]


class CategoryTurnover(Out):
    category: str
    products: int
    units_sold: int
    average_stock: float
    turnover: float | None
    slow_movers: int


class TurnoverOut(Out):
    period: Period
    formula: str
    on_shelf: int
    slow_movers: int
    slow_mover_rate: float
    target_rate: float
    products: list[ProductTurnover]
    categories: list[CategoryTurnover]
