"""The product ranking model: plain numpy over one tenant's behaviour, no database. `build` turns the
tenant's events into popularity (overall, per community, per time of day) and a co-purchase similarity;
`score` blends them with one member's own behaviour into a score per product, keeping each signal apart so
the strongest can be named as the reason."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np

from linli.core import clock
from linli.recommend.schemas import SettingsIn

SIGNALS = ("own_items", "category", "co_purchase", "community", "hour", "popularity")
# local hour -> time-of-day bucket: night, morning market, midday, afternoon, evening
_BUCKET_OF_HOUR = np.array([0] * 6 + [1] * 4 + [2] * 4 + [3] * 4 + [4] * 6)
BUCKETS = 5
DAY = 86400.0

Event = tuple[int, int, str, int | None, datetime]  # member id, item id, action, dwell ms, at


def bucket_of(at: datetime) -> int:
    return int(_BUCKET_OF_HOUR[clock.local(at).hour])


def weights(settings: SettingsIn, actions: Sequence[str], dwell_ms: Sequence[int | None], ages_s: np.ndarray
            ) -> np.ndarray:
    """Each event's weight: its action's weight (a dwell in proportion to its length, full from dwell_full_ms),
    halved every half_life_days of age."""
    table = settings.model_dump()
    base = np.fromiter((table[a] if a != "dwell" else table["dwell"] * min(1.0, (d or 0) / settings.dwell_full_ms)
                        for a, d in zip(actions, dwell_ms, strict=True)), dtype=np.float64, count=len(actions))
    return base * np.power(0.5, np.maximum(ages_s, 0.0) / (settings.half_life_days * DAY))


def _norm(v: np.ndarray) -> np.ndarray:
    top = float(v.max()) if v.size else 0.0
    return v / top if top > 0 else v


@dataclass
class TenantModel:
    as_of: datetime
    item_ids: np.ndarray            # product ids, ascending
    index: dict[int, int]           # product id -> position
    category: np.ndarray            # category id per position
    category_pos: np.ndarray        # the category's position among the tenant's categories, per product
    names: list[str]
    popularity: np.ndarray          # decayed purchases, max 1
    by_community: dict[int, np.ndarray]
    by_hour: np.ndarray             # (BUCKETS, items), each row max 1
    hour_lift: np.ndarray           # share of a bucket's sales / share of all sales
    similar: Any                    # scipy csr (items x items): cosine of co-purchase, no diagonal


def build(settings: SettingsIn, as_of: datetime, products: Sequence[tuple[int, int, str]], events: Sequence[Event],
          community_of: Mapping[int, int]) -> TenantModel:
    from scipy import sparse  # loads on use: process start stays fast

    item_ids = np.array([p for p, _, _ in products], dtype=np.int64)
    index = {int(p): k for k, p in enumerate(item_ids)}
    n = len(item_ids)
    bought = [e for e in events if e[2] == "purchase" and e[1] in index and e[4] < as_of]
    items = np.fromiter((index[e[1]] for e in bought), dtype=np.int64, count=len(bought))
    ages = np.fromiter(((as_of - e[4]).total_seconds() for e in bought), dtype=np.float64, count=len(bought))
    w = np.power(0.5, ages / (settings.half_life_days * DAY)) if len(bought) else np.zeros(0)
    popularity = np.bincount(items, weights=w, minlength=n).astype(np.float64)
    by_community: dict[int, np.ndarray] = {}
    communities = np.fromiter((community_of.get(e[0], 0) for e in bought), dtype=np.int64, count=len(bought))
    for c in np.unique(communities):
        mask = communities == c
        by_community[int(c)] = _norm(np.bincount(items[mask], weights=w[mask], minlength=n).astype(np.float64))
    buckets = np.fromiter((bucket_of(e[4]) for e in bought), dtype=np.int64, count=len(bought))
    by_hour = np.zeros((BUCKETS, n))
    np.add.at(by_hour, (buckets, items), w)
    total_share = popularity / max(float(popularity.sum()), 1e-9)
    bucket_share = by_hour / np.maximum(by_hour.sum(axis=1, keepdims=True), 1e-9)
    hour_lift = np.where(total_share > 0, bucket_share / np.maximum(total_share, 1e-12), 0.0)
    by_hour = by_hour / np.maximum(by_hour.max(axis=1, keepdims=True, initial=0.0), 1e-9)  # initial: no products yet
    # co-purchase: members x items (bought at all), cosine between item columns
    members = {m: k for k, m in enumerate(sorted({e[0] for e in bought}))}
    rows = np.fromiter((members[e[0]] for e in bought), dtype=np.int64, count=len(bought))
    basket = sparse.csr_matrix((np.ones(len(bought)), (rows, items)), shape=(len(members), n))
    basket.sum_duplicates()
    basket.data[:] = 1.0  # a member either bought an item or not
    cooc = (basket.T @ basket).tocsr()
    counts = np.asarray(cooc.diagonal(), dtype=np.float64)
    cooc.setdiag(0)
    cooc.eliminate_zeros()
    inv = 1.0 / np.sqrt(np.maximum(counts, 1.0))
    similar = sparse.diags(inv) @ cooc @ sparse.diags(inv)
    category = np.array([c for _, c, _ in products], dtype=np.int64)
    return TenantModel(as_of, item_ids, index, category, np.searchsorted(np.unique(category), category),
                       [nm for _, _, nm in products], _norm(popularity), by_community, by_hour, hour_lift,
                       similar.tocsr())


@dataclass
class MemberScores:
    total: np.ndarray               # per position
    parts: np.ndarray               # (len(SIGNALS), items): each signal's weighted contribution
    interest: np.ndarray            # the member's own decayed behaviour per position
    cold: bool


def member_interest(model: TenantModel, settings: SettingsIn, rows: Iterable[tuple[int, str, int | None, datetime]],
                    at: datetime) -> np.ndarray:
    """The member's decayed, weighted behaviour per product up to `at` (rows: item id, action, dwell ms, at),
    aged from `at`: what the member did after the cached model was built counts at once."""
    known = [r for r in rows if r[0] in model.index and r[3] <= at]
    interest = np.zeros(len(model.item_ids))
    if known:
        ages = np.fromiter(((at - r[3]).total_seconds() for r in known), dtype=np.float64, count=len(known))
        w = weights(settings, [r[1] for r in known], [r[2] for r in known], ages)
        np.add.at(interest, [model.index[r[0]] for r in known], w)
    return interest


def score(model: TenantModel, settings: SettingsIn, interest: np.ndarray, community_id: int | None,
          at: datetime) -> MemberScores:
    n = len(model.item_ids)
    zero = np.zeros(n)
    cold = not interest.any()
    if cold:
        own = category = co = zero
    else:
        own = _norm(interest)
        cat_aff = _norm(np.bincount(model.category_pos, weights=interest))[model.category_pos]
        category = cat_aff * (0.5 + 0.5 * model.popularity)  # popular ones first within a category
        co = _norm(np.asarray(model.similar.T @ interest).ravel())
    community = model.by_community.get(community_id or 0, zero)
    hour = model.by_hour[bucket_of(at)] if n else zero
    alpha = settings.model_dump()
    parts = np.vstack([alpha[k] * v for k, v in zip(
        SIGNALS, (own, category, co, community, hour, model.popularity), strict=True)]) if n else np.zeros((6, 0))
    return MemberScores(parts.sum(axis=0), parts, interest, cold)
