"""Metrics over the voices of members: content reviews, hot member posts, feedback SLA breaches and the
sensitive words screened (the content, feedback and moderation domains, through their services)."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from sqlalchemy.orm import Session

from linli.alert.order_metrics import names
from linli.alert.registry import Context, Limits, Metric, Reading, Window, mean, percent
from linli.content import service as content
from linli.feedback import service as feedback
from linli.moderation import service as moderation

HOT_SINCE = timedelta(days=7)
COMPLAINT_KINDS = ("ugc", "review")  # posts members write; a hot one is where a complaint spreads
USUAL_DAYS = 7


def post_bad_review_rate(s: Session, tenant_id: int, w: Window, ctx: Context, lim: Limits) -> list[Reading]:
    n, bad = content.review_stats(s, tenant_id, since=w.start, until=w.end)
    return [Reading("tenant", 0, "全平台", percent(bad, n), n, None, {"bad": bad, "reviews": n})]


def hot_complaint_posts(s: Session, tenant_id: int, w: Window, ctx: Context, lim: Limits) -> list[Reading]:
    """Per community (tenant-wide posts: the tenant): the most-read member post of the last 7 days; the
    seeds' 线索发现 — a single complaint read more than 500 times."""
    found = content.hot_posts(s, tenant_id, min_views=max(1, int(lim.threshold)), since=w.at - HOT_SINCE)
    by_place: dict[int | None, list[dict[str, object]]] = defaultdict(list)
    for p in found:
        if p.kind in COMPLAINT_KINDS:
            by_place[p.community_id].append({"id": p.id, "title": p.title, "views": p.views})
    community_names = names(s, tenant_id, ctx, "community")
    out = []
    for place, posts in by_place.items():
        top = max(int(str(p["views"])) for p in posts)
        if place is None:
            out.append(Reading("tenant", 0, "全平台", top, len(posts), None, {"posts": posts}))
        else:
            out.append(Reading("community", place, community_names.get(place, f"#{place}"), top, len(posts), place,
                               {"posts": posts}))
    return out


def sla_breaches(s: Session, tenant_id: int, w: Window, ctx: Context, lim: Limits) -> list[Reading]:
    n = feedback.breached_count(s, tenant_id, since=w.start, until=w.end)
    return [Reading("tenant", 0, "全平台", n, n, None, {})]


def sensitive_spike(s: Session, tenant_id: int, w: Window, ctx: Context, lim: Limits) -> list[Reading]:
    current = moderation.hit_count(s, tenant_id, since=w.start, until=w.end)
    usual = mean([moderation.hit_count(s, tenant_id, since=x.start, until=x.end)
                  for x in (w.back(i) for i in range(1, USUAL_DAYS + 1))])
    return [Reading("tenant", 0, "全平台", percent(current, max(usual, 1.0)), current, None,
                    {"current": current, "usual": round(usual, 2)})]


def metrics() -> list[Metric]:
    return [
        Metric("post_bad_review_rate", "商品评价差评率", "tenant", "week", "%", ">", 10, 10, post_bad_review_rate,
               "近7天邻里圈商品评价中2星及以下的比例", 100),
        Metric("hot_complaint_posts", "高热度投诉帖", "community", "now", "阅读", ">", 500, 1, hot_complaint_posts,
               "近7天居民帖或评价的最高阅读量(种子:单条差评阅读量超500触发预警)"),
        Metric("sla_breaches", "反馈处理超时", "tenant", "day", "次", ">", 0, 0, sla_breaches,
               "昨日反馈工单超出1小时/3天/5天时限的次数", 100_000),
        Metric("sensitive_spike", "敏感词激增", "tenant", "day", "%", ">", 200, 5, sensitive_spike,
               "昨日命中敏感词的内容数为前7天日均的百分比;样本为昨日命中数"),
    ]
