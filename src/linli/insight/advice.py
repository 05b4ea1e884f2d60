"""Assortment advice for one community, deterministic and explained.

Similar communities: the PEERS nearest in household mix (total-variation distance of their family-structure
shares) within SIMILAR_DISTANCE; with none, the benchmark is the tenant-wide share.
增加 (a category): the community's share of sales in it is at least GAP (5 points) below the benchmark (the
average share in the similar communities) — or, for small categories, at least SMALL_GAP (2 points) below with
the benchmark at least RATIO times the community's share.
清理 (a product): on shelf and no unit sold anywhere in the period.
减少 (a product): on shelf and none sold in this community although, at the community's share of the tenant's
sales, at least MIN_EXPECTED units would have been (others bought it); or sold here but the tenant-wide
turnover in the period is below MIN_TURNOVER."""

from __future__ import annotations

from dataclasses import dataclass

from linli.insight.schemas import AdviceItem

SIMILAR_DISTANCE = 0.2
PEERS = 3
GAP = 0.05
SMALL_GAP = 0.02
RATIO = 1.5
MIN_TURNOVER = 0.5
MIN_EXPECTED = 3.0


@dataclass(frozen=True)
class CommunityMix:
    community_id: int
    name: str
    households: dict[str, int]  # family structure -> households
    sales: dict[str, int]  # category -> fen in the period


@dataclass(frozen=True)
class ProductFigures:
    product_id: int
    name: str
    category: str
    stock: int
    units_here: int  # sold to this community in the period
    units_all: int  # sold tenant-wide in the period
    expected_here: float  # units_all x the community's share of the tenant's sales
    turnover: float | None  # tenant-wide, units / average stock
    days_on_hand: float | None


def shares(counts: dict[str, int]) -> dict[str, float]:
    total = sum(counts.values())
    return {k: v / total for k, v in counts.items()} if total else {}


def distance(a: dict[str, int], b: dict[str, int]) -> float:
    """Total-variation distance of two household mixes: 0 the same, 1 nothing in common."""
    sa, sb = shares(a), shares(b)
    return round(sum(abs(sa.get(k, 0.0) - sb.get(k, 0.0)) for k in sorted(set(sa) | set(sb))) / 2, 6)


def similar(target: CommunityMix, others: list[CommunityMix]) -> list[CommunityMix]:
    """The PEERS communities nearest in household mix within SIMILAR_DISTANCE that sold something."""
    if not target.households:
        return []
    near = [(distance(target.households, o.households), o.community_id, o) for o in others
            if o.community_id != target.community_id and o.households and sum(o.sales.values()) > 0]
    return [o for d, _, o in sorted(near, key=lambda x: (x[0], x[1])) if d <= SIMILAR_DISTANCE][:PEERS]


def _pct(x: float) -> str:
    return f"{x * 100:.1f}%"


def categories(target: CommunityMix, peers: list[CommunityMix], tenant_sales: dict[str, int],
               names: list[str], days: int) -> list[AdviceItem]:
    own, everyone = shares(target.sales), shares(tenant_sales)
    if not own:
        return []
    peer_shares = [shares(p.sales) for p in peers]
    items = []
    for name in names:
        mine, overall = own.get(name, 0.0), everyone.get(name, 0.0)
        if peer_shares:
            benchmark = sum(ps.get(name, 0.0) for ps in peer_shares) / len(peer_shares)
            whom = f"家庭结构相近的小区（{'、'.join(p.name for p in peers)}）平均"
        else:
            benchmark, whom = overall, "全平台"
        gap = benchmark - mine
        if gap < GAP - 1e-9 and (gap < SMALL_GAP - 1e-9 or benchmark < mine * RATIO):
            continue
        items.append(AdviceItem(
            action="增加", kind="category", category=name,
            reason=(f"近{days}天{whom}「{name}」占销售额 {_pct(benchmark)}，本小区仅 {_pct(mine)}"
                    f"（全平台 {_pct(overall)}），低 {gap * 100:.1f} 个百分点：建议增加该品类的品种与备货。"),
            figures={"own_share": round(mine, 4), "benchmark_share": round(benchmark, 4),
                     "tenant_share": round(overall, 4), "gap": round(gap, 4),
                     "own_sales_fen": target.sales.get(name, 0),
                     "benchmark": "similar" if peer_shares else "tenant"}))
    items.sort(key=lambda i: (-float(i.figures["gap"] or 0), names.index(i.category)))
    return items


def _product(action: str, r: ProductFigures, reason: str) -> AdviceItem:
    return AdviceItem(action=action, kind="product", category=r.category, product_id=r.product_id,  # type: ignore[arg-type]
                      product_name=r.name, reason=reason,
                      figures={"units_here": r.units_here, "units_all": r.units_all,
                               "expected_here": round(r.expected_here, 1), "stock": r.stock, "turnover": r.turnover,
                               "days_on_hand": r.days_on_hand})


def products(rows: list[ProductFigures], days: int) -> list[AdviceItem]:
    """Advice on the on-shelf products given: 减少 then 清理, each by product id."""
    cut, clear = [], []
    for r in sorted(rows, key=lambda r: r.product_id):
        if r.units_all == 0:
            clear.append(_product("清理", r, f"近{days}天全平台零销量，库存 {r.stock} 件：建议促销清理库存或下架。"))
        elif r.units_here == 0:
            if r.expected_here >= MIN_EXPECTED - 1e-9:
                cut.append(_product("减少", r, f"近{days}天本小区零销量，按本小区销售额占比应售约 "
                                              f"{r.expected_here:.1f} 件（全平台售出 {r.units_all} 件）："
                                              "建议本小区减少推送与备货。"))
        elif r.turnover is not None and r.turnover < MIN_TURNOVER - 1e-9:
            on_hand = f"，库存可售 {r.days_on_hand:.0f} 天" if r.days_on_hand is not None else ""
            cut.append(_product("减少", r, f"近{days}天全平台周转率 {r.turnover:.2f} 次，低于 {MIN_TURNOVER:.1f} 次"
                                          f"{on_hand}：建议减少备货。"))
    return cut + clear
