"""Stock turnover per product and category.

turnover = units sold in the period (net of refunds) / average stock in the period, where the average stock is
the time-weighted stock level over [since, until) rebuilt from the stock-movement ledger backwards from today's
stock; a product without any ledger row (a thin ledger) uses its current stock instead.
days on hand = stock now / (units sold / days of the period). A slow mover is an on-shelf product with no unit
sold in the last 30 days; the slow-mover rate is their share of the on-shelf products (the seed's target: < 5%)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from linli.insight.facts import Product
from linli.insight.schemas import CategoryTurnover, Period, ProductTurnover, TurnoverOut

SLOW_DAYS = 30
TARGET_RATE = 0.05
FORMULA = ("周转率 = 期间销量（扣除退款）÷ 期间平均库存；平均库存由库存流水从当前库存倒推、按时间加权，"
           "没有任何流水的商品用当前库存。库存可售天数 = 当前库存 ÷ 日均销量。滞销品 = 近 30 天零销量的上架商品，"
           "滞销率 = 滞销品数 ÷ 上架商品数（目标 < 5%）。")


@dataclass(frozen=True)
class LedgerSums:
    """A product's ledger from the period's start on, summed: all deltas since then, those inside the period, and
    those inside weighted by their instant (delta x seconds since 1970)."""

    since_start: int
    inside: int
    inside_weighted: float


NO_MOVES = LedgerSums(0, 0, 0.0)


def sums_of(moves: Sequence[tuple[int, datetime]], since: datetime, until: datetime) -> LedgerSums:
    inside = [(d, at) for d, at in moves if since <= at < until]
    return LedgerSums(sum(d for d, at in moves if at >= since), sum(d for d, _ in inside),
                      sum(d * at.timestamp() for d, at in inside))


def average_stock(stock_now: int, ledger: LedgerSums, since: datetime, until: datetime) -> float:
    """Time-weighted stock over [since, until): the level at `since` (today's stock less every delta since), plus
    each delta inside the period for the part of the period after it."""
    level = stock_now - ledger.since_start
    span = (until - since).total_seconds()
    if span <= 0:
        return float(level)
    return level + (ledger.inside * until.timestamp() - ledger.inside_weighted) / span


def _ratio(units: int, stock: float) -> float | None:
    return round(units / stock, 3) if stock > 0 else None


def report(period: Period, products: dict[int, Product], categories: dict[int, str], sold: dict[int, int],
           sold_30d: dict[int, int], ledger: dict[int, LedgerSums], with_ledger: set[int]) -> TurnoverOut:
    """sold / sold_30d: product -> units in the period / in the last 30 days; ledger: product -> its ledger from
    the period's start on, summed (none: nothing moved since)."""
    rows = []
    for pid, p in products.items():
        units = sold.get(pid, 0)
        from_ledger = pid in with_ledger
        avg = (average_stock(p.stock, ledger.get(pid, NO_MOVES), period.since, period.until) if from_ledger
               else float(p.stock))
        per_day = units / period.days if period.days else 0
        rows.append(ProductTurnover(
            product_id=pid, name=p.name, category=categories.get(p.category_id, ""), on_shelf=p.on_shelf,
            units_sold=units, average_stock=round(avg, 2), stock_now=p.stock, turnover=_ratio(units, avg),
            days_on_hand=round(p.stock / per_day, 1) if per_day else None,
            no_sales_30d=sold_30d.get(pid, 0) == 0, stock_source="ledger" if from_ledger else "current"))
    rows.sort(key=lambda r: (r.turnover is None, r.turnover or 0, r.product_id))
    shelf = [r for r in rows if r.on_shelf]
    slow = [r for r in shelf if r.no_sales_30d]
    return TurnoverOut(period=period, formula=FORMULA, on_shelf=len(shelf), slow_movers=len(slow),
                       slow_mover_rate=round(len(slow) / len(shelf), 4) if shelf else 0.0, target_rate=TARGET_RATE,
                       products=rows, categories=_by_category(rows, categories))


def _by_category(rows: list[ProductTurnover], categories: dict[int, str]) -> list[CategoryTurnover]:
    out = []
    for name in categories.values():
        mine = [r for r in rows if r.category == name]
        if not mine:
            continue
        units = sum(r.units_sold for r in mine)
        avg = sum(r.average_stock for r in mine)
        out.append(CategoryTurnover(category=name, products=len(mine), units_sold=units, average_stock=round(avg, 2),
                                    turnover=_ratio(units, avg),
                                    slow_movers=sum(1 for r in mine if r.on_shelf and r.no_sales_30d)))
    return out
