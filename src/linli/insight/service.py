"""邻里洞察: heatmaps, the H3 map, assortment advice and stock turnover for a period ending now. Read-only: every
answer is computed from the owning domains' rows at request time (facts.py), nothing is written."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.orm import Session

from linli.catalog import insight_queries as catalog_reads
from linli.checkin import insight_queries as checkin_reads
from linli.community import insight_queries as community_reads
from linli.community import service as community
from linli.content import insight_queries as content_reads
from linli.core import clock
from linli.core.security import Principal
from linli.insight import advice as rules
from linli.insight import facts as facts_
from linli.insight import heatmap, turnover
from linli.insight.facts import Facts
from linli.insight.schemas import AdviceOut, GeoOut, MatrixOut, TurnoverOut
from linli.order import insight_queries as order_reads

DEFAULT_DAYS = 30
H3_RESOLUTION = 10


@contextmanager
def _facts(s: Session, p: Principal, days: int, community_id: int | None = None, only_community: bool = False
           ) -> Iterator[Facts]:
    """only_community: read only the community's lines (enough for its heatmaps; advice and the map need all)."""
    if community_id is not None:
        community.require_community(s, p.tenant_id, community_id)
    until = clock.now()
    with facts_.loaded(s, p.tenant_id, until - timedelta(days=days), until,
                       community_id if only_community else None) as f:
        yield f


def heatmap_matrix(s: Session, p: Principal, dimension: str, metric: str, community_id: int | None,
                   days: int = DEFAULT_DAYS) -> MatrixOut:
    with _facts(s, p, days, community_id, only_community=True) as f:
        return heatmap.category_matrix(f, dimension, metric, community_id)


def activity(s: Session, p: Principal, community_id: int | None, days: int = DEFAULT_DAYS) -> MatrixOut:
    with _facts(s, p, days, community_id, only_community=True) as f:
        return _activity(s, p, f, community_id)


def _activity(s: Session, p: Principal, f: Facts, community_id: int | None) -> MatrixOut:
    first, last = clock.local(f.since).date(), clock.local(f.until - timedelta(microseconds=1)).date()
    return heatmap.activity_matrix(f, community_id, checkin_reads.counts_by_member(s, p.tenant_id, first, last),
                                   content_reads.posts_by_member(s, p.tenant_id, f.since, f.until))


def geo(s: Session, p: Principal, days: int = DEFAULT_DAYS, resolution: int = H3_RESOLUTION) -> GeoOut:
    with _facts(s, p, days) as f:
        return heatmap.geo(f, resolution)


def stock_turnover(s: Session, p: Principal, days: int = DEFAULT_DAYS) -> TurnoverOut:
    with _facts(s, p, days) as f:
        return _turnover(s, p, f)


def _units(lines: list[tuple[int, int, int, int, int]]) -> dict[int, int]:
    """product -> units of the lines (summed here: SQLite groups these faster row by row than by its product
    index)."""
    out: dict[int, int] = {}
    for _, _, product_id, units, _ in lines:
        out[product_id] = out.get(product_id, 0) + units
    return out


def _turnover(s: Session, p: Principal, f: Facts) -> TurnoverOut:
    """f: the lines of every community (stock is the tenant's, so are its sales)."""
    period = heatmap.period(f)
    sold = {int(pid): int(n) for pid, n in f.rows("SELECT product_id, sum(units) FROM lines GROUP BY 1")}
    sold_30d = sold if period.days == turnover.SLOW_DAYS else _units(
        order_reads.net_lines(s, p.tenant_id, f.until - timedelta(days=turnover.SLOW_DAYS), f.until))
    ledger = {pid: turnover.LedgerSums(*sums)
              for pid, sums in catalog_reads.ledger_sums(s, p.tenant_id, f.since, f.until).items()}
    return turnover.report(period, f.products, f.categories, sold, sold_30d, ledger,
                           catalog_reads.products_with_ledger(s, p.tenant_id))


def assortment(s: Session, p: Principal, community_id: int, days: int = DEFAULT_DAYS) -> AdviceOut:
    with _facts(s, p, days, community_id) as f:
        return _advice(f, community_id, _turnover(s, p, f))


def _advice(f: Facts, community_id: int, stock: TurnoverOut) -> AdviceOut:
    names = list(f.categories.values())
    sales: dict[int, dict[str, int]] = {}
    for cid, cat, fen in f.rows("SELECT m.community_id, p.category_id, sum(l.fen) FROM lines l "
                                "JOIN people m USING (member_id) JOIN products p USING (product_id) GROUP BY 1, 2"):
        sales.setdefault(int(cid), {})[f.categories[int(cat)]] = int(fen)
    mixes: dict[int, dict[str, int]] = {}
    for h in f.households.values():
        mix = mixes.setdefault(h.community_id, {})
        mix[h.family] = mix.get(h.family, 0) + 1
    everyone = [rules.CommunityMix(cid, name, mixes.get(cid, {}), sales.get(cid, {}))
                for cid, (name, _, _) in f.communities.items()]
    target = next(c for c in everyone if c.community_id == community_id)
    peers = rules.similar(target, everyone)
    tenant_sales: dict[str, int] = {}
    for by_category in sales.values():
        for name, fen in by_category.items():
            tenant_sales[name] = tenant_sales.get(name, 0) + fen
    here = {int(pid): int(n) for pid, n in f.rows(
        "SELECT l.product_id, sum(l.units) FROM lines l JOIN people m USING (member_id) "
        "WHERE m.community_id = ? GROUP BY 1", [community_id])}
    tenant_total = sum(tenant_sales.values())
    part = sum(target.sales.values()) / tenant_total if tenant_total else 0.0  # the community's share of sales
    figures = [rules.ProductFigures(r.product_id, r.name, r.category, r.stock_now, here.get(r.product_id, 0),
                                    r.units_sold, r.units_sold * part, r.turnover, r.days_on_hand)
               for r in stock.products if r.on_shelf]
    period = heatmap.period(f)
    items = rules.categories(target, peers, tenant_sales, names, period.days) + rules.products(figures, period.days)
    return AdviceOut(community_id=community_id, community_name=target.name, period=period,
                     similar_communities=[c.name for c in peers], items=items)


@dataclass(frozen=True)
class Dashboard:
    """Everything the console page shows, from one read of the figures."""

    sales_fen: int  # of the community (all when none), net of refunds
    matrices: dict[str, MatrixOut]  # building / family / unit_type / activity
    geo: GeoOut
    advice: AdviceOut | None
    turnover: TurnoverOut


def dashboard(s: Session, p: Principal, community_id: int | None, metric: str, days: int) -> Dashboard:
    with _facts(s, p, days, community_id) as f:
        matrices = {d: heatmap.category_matrix(f, d, metric, community_id) for d in ("building", "family", "unit_type")}
        matrices["activity"] = _activity(s, p, f, community_id)
        stock = _turnover(s, p, f)
        where = "WHERE m.community_id = ?" if community_id is not None else ""
        sales = f.rows(f"SELECT coalesce(sum(l.fen), 0) FROM lines l JOIN people m USING (member_id) {where}",
                       [community_id] if community_id is not None else [])[0][0]
        return Dashboard(int(sales), matrices, heatmap.geo(f, H3_RESOLUTION),
                         _advice(f, community_id, stock) if community_id is not None else None, stock)


def communities(s: Session, p: Principal) -> list[tuple[int, str]]:
    """(id, name) of the tenant's communities, for the page's filter."""
    return [(i, n) for i, n, _, _ in community_reads.communities(s, p.tenant_id)]
