"""Offline evaluation: a temporal split. Behaviour (purchases included) before the cut-off trains the model as
of that instant; the products each member buys in the following `days` are the truth. The model's top-k and the
popularity baseline's (the same top-k for everyone: the most bought, decayed) are scored with precision@k,
recall@k, NDCG@k (binary relevance), hit rate and catalogue coverage. Every product counts as a candidate: past
shelf and stock are not kept, so a product is judged by whether the member bought it."""

from __future__ import annotations

import math
import time
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
from sqlalchemy.orm import Session

from linli.recommend import model as m
from linli.recommend import ranking
from linli.recommend import repository as repo
from linli.recommend import settings as rank_settings


@dataclass(frozen=True)
class Metrics:
    members: int          # members with at least one test purchase
    precision: float
    recall: float
    ndcg: float
    hit_rate: float
    coverage: float       # distinct products recommended / products in the catalogue


@dataclass(frozen=True)
class Evaluation:
    cut: datetime
    days: int
    k: int
    train_events: int
    test_purchases: int
    products: int
    model: Metrics
    popularity: Metrics
    seconds: float


def metrics(recommended: Mapping[int, Sequence[int]], relevant: Mapping[int, set[int]], k: int,
            catalogue: int) -> Metrics:
    """Averages over the members in `relevant` (a member without a list scores zero)."""
    if not relevant:
        return Metrics(0, 0.0, 0.0, 0.0, 0.0, 0.0)
    precision = recall = ndcg = hits = 0.0
    shown: set[int] = set()
    for member, truth in relevant.items():
        top = list(recommended.get(member, ()))[:k]
        shown.update(top)
        gains = [1.0 if item in truth else 0.0 for item in top]
        found = sum(gains)
        precision += found / k
        recall += found / len(truth)
        hits += 1.0 if found else 0.0
        dcg = sum(g / math.log2(rank + 2) for rank, g in enumerate(gains))
        ideal = sum(1.0 / math.log2(rank + 2) for rank in range(min(k, len(truth))))
        ndcg += dcg / ideal
    n = len(relevant)
    return Metrics(n, precision / n, recall / n, ndcg / n, hits / n, len(shown) / catalogue if catalogue else 0.0)


def evaluate(s: Session, tenant_id: int, cut: datetime, k: int = 10, days: int = 7) -> Evaluation:
    started = time.perf_counter()
    settings = rank_settings.current(s, tenant_id)
    end = cut + timedelta(days=days)
    rows = repo.events(s, tenant_id, "product", rank_settings.window_start(settings, cut), end)
    train = [r for r in rows if r[4] < cut]
    relevant: dict[int, set[int]] = defaultdict(set)
    for member, item, _, _, _ in (r for r in rows if r[4] >= cut and r[2] == "purchase"):
        relevant[member].add(item)
    products = repo.products(s, tenant_id)
    communities = repo.member_communities(s, tenant_id)
    model = m.build(settings, cut, products, train, communities)
    by_member: dict[int, list[tuple[int, str, int | None, datetime]]] = defaultdict(list)
    for member, item, action, dwell, at in train:
        if member in relevant:
            by_member[member].append((item, action, dwell, at))
    recommended = {}
    for member in relevant:
        _, ranked = ranking.rank(model, {}, settings, by_member.get(member, []), communities.get(member), cut,
                                 None, k)
        recommended[member] = [r.product_id for r in ranked]
    order = np.lexsort((model.item_ids, -model.popularity))[:k]
    popular = [int(model.item_ids[i]) for i in order]
    baseline = {member: popular for member in relevant}
    return Evaluation(cut, days, k, len(train), sum(len(v) for v in relevant.values()), len(products),
                      metrics(recommended, relevant, k, len(products)), metrics(baseline, relevant, k, len(products)),
                      time.perf_counter() - started)


def table(e: Evaluation, tenant: str) -> str:
    """The `linli recommend evaluate` report."""
    from linli.core import clock

    head = ("ranker", "members", f"precision@{e.k}", f"recall@{e.k}", f"NDCG@{e.k}", "hit rate", "coverage")
    rows = [head] + [(name, str(x.members), f"{x.precision:.4f}", f"{x.recall:.4f}", f"{x.ndcg:.4f}",
                      f"{x.hit_rate:.4f}", f"{x.coverage:.4f}") for name, x in (("model", e.model),
                                                                               ("popularity", e.popularity))]
    widths = [max(len(r[i]) for r in rows) for i in range(len(head))]
    lines = [f"recommendation evaluation, tenant {tenant}: train before {clock.local(e.cut):%Y-%m-%d %H:%M} "
             f"(Asia/Shanghai), {e.train_events} events; test: {e.test_purchases} member-product purchases in the "
             f"next {e.days} days; {e.products} products; {e.seconds:.2f}s"]
    lines += ["  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths, strict=True)))
              for r in rows]
    if e.model.members:
        lift = e.model.ndcg / e.popularity.ndcg if e.popularity.ndcg else float("inf")
        lines.append(f"NDCG lift over popularity: {lift:.2f}x")
    return "\n".join(lines)
