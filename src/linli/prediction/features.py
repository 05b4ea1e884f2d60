"""Features of (campaign, member) pairs, each computed as of the campaign's start from events strictly before it —
nothing at or after the start is seen (tested: moving an order past the start changes no feature)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from linli.lifecycle.stages import Thresholds
from linli.prediction.history import KINDS, Campaign, Floats, History, Ints

DAY = 86400.0
NEVER_DAYS = 365.0  # days since the last order of a member who never ordered
STAGES = ("new", "active", "silent", "dormant", "core")

FEATURES = (
    "days_since_join", "days_since_last_order", "has_ordered",
    "orders_30d", "orders_90d", "orders_all", "log_fen_30d", "log_fen_90d",
    "category_share", "category_orders_90d",
    "same_kind_joined", "same_kind_offered", "same_kind_rate", "campaigns_joined_90d",
    "community_rate_90d", "point_rate_90d", "is_leader", "tier_rank", "checkins_30d", "interactions_30d",
    *(f"stage_{x}" for x in STAGES), *(f"kind_{k}" for k in KINDS),
)


@dataclass(frozen=True)
class Pairs:
    """Feature rows of the candidates of one campaign: members who had joined before it started."""

    campaign: Campaign
    members: Ints  # member indexes into History
    x: Floats  # len(members) x len(FEATURES)


def candidates(h: History, at: float) -> Ints:
    return np.flatnonzero(h.joined < at).astype(np.int64)


def pairs(h: History, c: Campaign, t: Thresholds, at: float | None = None) -> Pairs:
    """The candidates of campaign c with their features as of `at` (default: its start)."""
    at = c.starts_at if at is None else at
    m = candidates(h, at)
    return Pairs(c, m, features(h, c, m, at, t))


def features(h: History, c: Campaign, m: Ints, at: float, t: Thresholds) -> Floats:
    cols: dict[str, Floats] = {}
    cols["days_since_join"] = (at - h.joined[m]) / DAY
    last_order, _ = h.orders.last_before(m, at)
    ordered = ~np.isnan(last_order)
    cols["days_since_last_order"] = np.where(ordered, (at - np.nan_to_num(last_order)) / DAY, NEVER_DAYS)
    cols["has_ordered"] = ordered.astype(np.float64)
    cols["orders_30d"] = h.orders.count_between(m, at - 30 * DAY, at).astype(np.float64)
    cols["orders_90d"] = h.orders.count_between(m, at - 90 * DAY, at).astype(np.float64)
    all_orders = h.orders.count_between(m, -np.inf, at)
    cols["orders_all"] = all_orders.astype(np.float64)
    cols["log_fen_30d"] = np.log1p(h.orders.sum_between(m, at - 30 * DAY, at))
    cols["log_fen_90d"] = np.log1p(h.orders.sum_between(m, at - 90 * DAY, at))

    in_category = h.lines.subset(h.line_category == c.category_id)
    spent = h.lines.sum_between(m, -np.inf, at)
    cols["category_share"] = np.where(spent > 0, in_category.sum_between(m, -np.inf, at) / np.maximum(spent, 1), 0.0)
    cols["category_orders_90d"] = in_category.count_between(m, at - 90 * DAY, at).astype(np.float64)

    kind = KINDS.index(c.kind)
    same = h.participations.subset(h.part_kind == kind)
    joined_same = same.count_between(m, -np.inf, at).astype(np.float64)
    starts = np.array(sorted(x.starts_at for x in h.campaigns if x.kind == c.kind and x.starts_at < at))
    offered = (len(starts) - np.searchsorted(starts, h.joined[m], side="right")).astype(np.float64)
    cols["same_kind_joined"] = joined_same
    cols["same_kind_offered"] = offered
    cols["same_kind_rate"] = np.where(offered > 0, np.minimum(joined_same / np.maximum(offered, 1), 1.0), 0.0)
    cols["campaigns_joined_90d"] = h.participations.count_between(m, at - 90 * DAY, at).astype(np.float64)
    cols["community_rate_90d"] = _community_rate(h, m, at)
    cols["point_rate_90d"] = _point_rate(h, m, at)

    cols["is_leader"] = (h.leader_since[m] < at).astype(np.float64)
    _, tier = h.tiers.last_before(m, at)
    cols["tier_rank"] = np.nan_to_num(tier, nan=0.0)
    cols["checkins_30d"] = h.checkins.count_between(m, at - 30 * DAY, at).astype(np.float64)
    cols["interactions_30d"] = h.interactions.count_between(m, at - 30 * DAY, at).astype(np.float64)

    last_act, _ = h.interactions.last_before(m, at)
    active = np.fmax(np.fmax(h.joined[m], last_order), last_act)  # fmax skips nan
    stage = stage_codes(t, h.joined[m], active, all_orders, at)
    for i, name in enumerate(STAGES):
        cols[f"stage_{name}"] = (stage == i).astype(np.float64)
    for k in KINDS:
        cols[f"kind_{k}"] = np.full(len(m), 1.0 if c.kind == k else 0.0)
    return np.column_stack([cols[f] for f in FEATURES]) if len(m) else np.zeros((0, len(FEATURES)))


def stage_codes(t: Thresholds, joined: Floats, last_active: Floats, paid_orders: Ints, at: float) -> Ints:
    """The lifecycle stage rule (linli.lifecycle.stages.stage_at) over arrays, as an index into STAGES."""
    conditions = [joined > at - t.new_days * DAY,
                  last_active <= at - t.dormant_days * DAY,
                  last_active <= at - t.silent_days * DAY,
                  (joined <= at - t.core_days * DAY) & (paid_orders >= t.core_orders)]
    choices = [STAGES.index("new"), STAGES.index("dormant"), STAGES.index("silent"), STAGES.index("core")]
    return np.select(conditions, choices, default=STAGES.index("active")).astype(np.int64)


def _point_rate(h: History, m: Ints, at: float) -> Floats:
    """Campaign orders in the last 90 days collected at the member's usual pickup point (that of their last order),
    per member using that point: the leader's pull on the neighbours who collect there."""
    everyone = candidates(h, at)
    _, usual = h.order_points.last_before(everyone, at)
    usual = np.nan_to_num(usual, nan=-1.0).astype(np.int64)
    n_points = int(max(h.part_point.max(initial=-1), usual.max(initial=-1))) + 1
    if n_points == 0:
        return np.zeros(len(m))
    kept = h.part_point[(h.participations.t >= at - 90 * DAY) & (h.participations.t < at)]
    joins = np.bincount(kept[kept >= 0], minlength=n_points)
    users = np.bincount(usual[usual >= 0], minlength=n_points)
    rate = np.where(users > 0, joins / np.maximum(users, 1), 0.0)
    _, mine = h.order_points.last_before(m, at)
    mine = np.nan_to_num(mine, nan=-1.0).astype(np.int64)
    return np.where(mine >= 0, rate[np.maximum(mine, 0)], 0.0)


def _community_rate(h: History, m: Ints, at: float) -> Floats:
    """Campaign orders in the last 90 days per member of the member's community (neighbours join together)."""
    n_communities = int(h.community.max()) + 1 if len(h.community) else 0
    everyone = candidates(h, at)
    per_member = h.participations.count_between(everyone, at - 90 * DAY, at)
    joins = np.bincount(h.community[everyone], weights=per_member, minlength=n_communities)
    size = np.bincount(h.community[everyone], minlength=n_communities)
    rate = np.where(size > 0, joins / np.maximum(size, 1), 0.0)
    return np.asarray(rate[h.community[m]], dtype=np.float64)
