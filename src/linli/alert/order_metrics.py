"""Metrics over orders (cancel and refund rates, drops of orders, buyers and GMV, pickups) by tenant,
community and leader. Orders reach a community or a leader through their pickup point."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from linli.alert.registry import (
    Compute,
    Context,
    Limits,
    Metric,
    Reading,
    Scope,
    Window,
    drop_percent,
    mean,
    percent,
)
from linli.community import service as communities
from linli.leader import service as leaders
from linli.order import service as orders

OVERDUE_PICKUP = timedelta(hours=48)  # the seeds' pickup promise: paid orders are handed out within 48 h
BASELINE_WEEKS = 4
Totals = tuple[int, int, int, int, int, int]  # created, cancelled, paid, refunded, gmv_fen, buyers


def _counts(s: Session, tenant_id: int, w: Window, ctx: Context) -> dict[int | None, orders.AlertCounts]:
    return ctx.get(("orders", w.start, w.end),
                   lambda: orders.alert_counts_by_point(s, tenant_id, w.start, w.end))


def _owner(s: Session, tenant_id: int, ctx: Context, by: str) -> dict[int, int]:
    if by == "community":
        return ctx.get("point_community",
                       lambda: communities.communities_of_points(s, tenant_id))
    return ctx.get("point_leader", lambda: communities.leaders_of_points(s, tenant_id))


def _grouped(s: Session, tenant_id: int, w: Window, ctx: Context, by: str) -> dict[int, Totals]:
    """tenant (key 0), community or leader -> summed counts of its pickup points."""
    owner = _owner(s, tenant_id, ctx, by) if by != "tenant" else {}
    out: dict[int, list[int]] = defaultdict(lambda: [0] * 6)
    for point, c in _counts(s, tenant_id, w, ctx).items():
        key = 0 if by == "tenant" else owner.get(point or 0)
        if key is None:
            continue
        row = out[key]
        for i, v in enumerate((c.created, c.cancelled, c.paid, c.refunded, c.gmv_fen, c.buyers)):
            row[i] += v
    return {k: (v[0], v[1], v[2], v[3], v[4], v[5]) for k, v in out.items()}


def names(s: Session, tenant_id: int, ctx: Context, by: str) -> dict[int, str]:
    if by == "community":
        def load() -> dict[int, str]:
            ids = sorted(set(_owner(s, tenant_id, ctx, "community").values()))
            return {c.id: c.name for c in communities.communities_by_ids(s, tenant_id, ids)}
        return ctx.get("community_names", load)
    if by == "leader":
        def load_leaders() -> dict[int, str]:
            return {i: p.name for i, p in leaders.profiles(s, tenant_id, leaders.leader_ids(s, tenant_id)).items()}
        return ctx.get("leader_names", load_leaders)
    return {0: "全平台"}


def _reading(s: Session, tenant_id: int, ctx: Context, by: Scope, key: int, value: float, base: int,
             **detail: object) -> Reading:
    name = names(s, tenant_id, ctx, by).get(key, f"#{key}")
    community_id = key if by == "community" else None
    return Reading(by, key, name, value, base, community_id, dict(detail))


def _rate(by: Scope, part: int, whole: int) -> Compute:
    def compute(s: Session, tenant_id: int, w: Window, ctx: Context, lim: Limits) -> list[Reading]:
        return [_reading(s, tenant_id, ctx, by, k, percent(t[part], t[whole]), t[whole],
                         count=t[part], total=t[whole])
                for k, t in sorted(_grouped(s, tenant_id, w, ctx, by).items())]
    return compute


def _drop(by: Scope, field: int) -> Compute:
    """The window against the mean of the 4 windows before it; base: that mean (rounded down)."""
    def compute(s: Session, tenant_id: int, w: Window, ctx: Context, lim: Limits) -> list[Reading]:
        now = _grouped(s, tenant_id, w, ctx, by)
        before = [_grouped(s, tenant_id, w.back(i), ctx, by) for i in range(1, BASELINE_WEEKS + 1)]
        keys = sorted(set(now) | {k for b in before for k in b})
        out = []
        for k in keys:
            usual = mean([b.get(k, (0,) * 6)[field] for b in before])
            current = now.get(k, (0,) * 6)[field]
            out.append(_reading(s, tenant_id, ctx, by, k, drop_percent(current, usual), int(usual),
                                current=current, usual=round(usual, 2)))
        return out
    return compute


def _pickup_overdue(by: Scope) -> Compute:
    def compute(s: Session, tenant_id: int, w: Window, ctx: Context, lim: Limits) -> list[Reading]:
        owner = _owner(s, tenant_id, ctx, by)
        counts: dict[int, int] = defaultdict(int)
        for point, n in orders.awaiting_pickup_by_point(s, tenant_id, w.at - OVERDUE_PICKUP).items():
            if point in owner:
                counts[owner[point]] += n
        return [_reading(s, tenant_id, ctx, by, k, n, n, hours=48) for k, n in sorted(counts.items())]
    return compute


def leader_no_orders(s: Session, tenant_id: int, w: Window, ctx: Context, lim: Limits) -> list[Reading]:
    """Whole days since the last paid order at any of the leader's points (since becoming leader, if none)."""
    last: dict[int, datetime] = {}
    owner = _owner(s, tenant_id, ctx, "leader")
    for point, at in orders.last_paid_by_point(s, tenant_id).items():
        leader = owner.get(point)
        if leader is not None and (leader not in last or at > last[leader]):
            last[leader] = at
    out = []
    for leader_id, profile in sorted(leaders.profiles(s, tenant_id, leaders.leader_ids(s, tenant_id)).items()):
        if leader_id not in set(owner.values()):
            continue  # no pickup point: nothing to order through
        since = last.get(leader_id, profile.since)
        days = max(0, (w.at - since).days)
        out.append(Reading("leader", leader_id, profile.name, days, days, None,
                           {"last_paid_at": since.isoformat() if leader_id in last else None}))
    return out


def metrics() -> list[Metric]:
    # indexes into Totals: 0 created, 1 cancelled, 2 paid, 3 refunded, 4 gmv_fen, 5 buyers
    return [
        Metric("cancel_rate", "订单取消率", "tenant", "day", "%", ">", 15, 20, _rate("tenant", 1, 0),
               "昨日下单中已取消的比例(种子要求:订单取消率>15%触发预警)", 100),
        Metric("community_cancel_rate", "小区订单取消率", "community", "week", "%", ">", 15, 20,
               _rate("community", 1, 0), "近7天该小区下单中已取消的比例", 100),
        Metric("refund_rate", "退款率", "tenant", "week", "%", ">", 5, 20, _rate("tenant", 3, 2),
               "近7天支付订单中发生退款的比例", 100),
        Metric("community_orders_drop", "小区订单量下降", "community", "week", "%", ">", 30, 10,
               _drop("community", 2), "近7天支付订单数较前4周周均的降幅", 100),
        Metric("community_active_drop", "小区活跃会员下降", "community", "week", "%", ">", 30, 10,
               _drop("community", 5), "近7天下单会员数较前4周周均的降幅", 100),
        Metric("gmv_drop", "GMV下降", "tenant", "week", "%", ">", 20, 100_000, _drop("tenant", 4),
               "近7天GMV(实付减退款)较前4周周均的降幅;样本为前4周周均GMV(分)", 100),
        Metric("leader_refund_rate", "团长退款率", "leader", "week", "%", ">", 10, 10, _rate("leader", 3, 2),
               "近7天团长自提点支付订单中发生退款的比例", 100),
        Metric("leader_gmv_drop", "团长GMV下降", "leader", "week", "%", ">", 30, 50_000, _drop("leader", 4),
               "近7天团长GMV较前4周周均的降幅;样本为前4周周均GMV(分)", 100),
        Metric("pickup_overdue", "超48小时未自提", "community", "now", "单", ">", 5, 0,
               _pickup_overdue("community"), "已支付超过48小时仍未提货的订单数", 100_000),
        Metric("leader_pickup_overdue", "团长超时未核销", "leader", "now", "单", ">", 3, 0,
               _pickup_overdue("leader"), "团长自提点支付超过48小时仍未核销的订单数", 100_000),
        Metric("leader_no_orders", "团长连续无订单", "leader", "now", "天", ">=", 7, 0, leader_no_orders,
               "团长自提点距最近一笔支付订单的天数", 365),
    ]
