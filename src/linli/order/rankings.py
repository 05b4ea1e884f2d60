"""The console home's rankings over orders paid in a window: leaders and communities (through the pickup points
their orders go to) and products. Amounts are net of refunds. Names are the caller's to look up."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from linli.community import service as community
from linli.core.listing import operator_only
from linli.core.security import Principal
from linli.order import ranking_queries as q


@dataclass(frozen=True)
class Ranked:
    id: int
    amount_fen: int
    count: int  # orders (leaders, communities) or units (products)
    name: str = ""


def top_leaders(s: Session, p: Principal, since: datetime, until: datetime, limit: int = 10) -> list[Ranked]:
    """Leaders by the GMV of the orders paid at their pickup points."""
    operator_only(p)
    return _grouped(q.net_by_point(s, p.tenant_id, since, until), community.leaders_of_points(s, p.tenant_id), limit)


def top_communities(s: Session, p: Principal, since: datetime, until: datetime, limit: int = 10) -> list[Ranked]:
    """Communities by the GMV of the orders paid at their pickup points."""
    operator_only(p)
    return _grouped(q.net_by_point(s, p.tenant_id, since, until), community.communities_of_points(s, p.tenant_id),
                    limit)


def top_products(s: Session, p: Principal, since: datetime, until: datetime, limit: int = 10) -> list[Ranked]:
    """Products by the amount sold (list price × units not refunded)."""
    operator_only(p)
    return [Ranked(pid, amount, units, name) for pid, name, amount, units in
            q.top_products(s, p.tenant_id, since, until, limit)]


def _grouped(by_point: dict[int, tuple[int, int]], owner: dict[int, int], limit: int) -> list[Ranked]:
    amounts: dict[int, int] = defaultdict(int)
    counts: dict[int, int] = defaultdict(int)
    for point, (net, n) in by_point.items():
        if point in owner:
            amounts[owner[point]] += net
            counts[owner[point]] += n
    ranked = sorted(amounts, key=lambda k: (-amounts[k], k))[:limit]
    return [Ranked(k, amounts[k], counts[k]) for k in ranked]
