"""Stock, members, ratings and the campaign / content / feedback / moderation metrics: the value, and raised or
not at the threshold's edge. Rows are written directly where that is cheap; the counts of other domains'
campaigns, coupons, points, posts, tickets and screened texts are the services' answers, replaced here by
hand-made ones (their own tests cover the queries)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select, update

from linli.alert import service
from linli.alert.registry import Context, Limits, window_for
from linli.content.schemas import HotPost
from linli.core import clock
from linli.models import Alert, Member, MemberStageHistory, OrderRating, Product
from tests.alert.helpers import AT, YESTERDAY, add_orders, point_of, run
from tests.factories import Factory

DAY_START = clock.today_start_local(AT) - timedelta(days=1)  # the "day" window: yesterday


def test_stock_out_and_low_stock_per_product(make: Factory) -> None:
    kit = make.tenant()
    empty, low, edge, plenty = (kit.product(stock=n)["id"] for n in (0, 3, 11, 50))
    with kit.db.unit_of_work() as s:
        s.execute(update(Product).where(Product.id == empty).values(stock=0))
    [out] = run(kit.db, kit.tenant_id, "out_of_stock")
    [few] = run(kit.db, kit.tenant_id, "low_stock")  # 11 is not at or under 10; 0 is out_of_stock's
    assert (out.scope_kind, out.scope_id, out.value) == ("product", empty, 0)
    assert (few.scope_id, few.value) == (low, 3) and {edge, plenty}.isdisjoint({out.scope_id, few.scope_id})


def test_new_members_drop_and_members_turning_silent(make: Factory) -> None:
    kit = make.tenant()
    c = kit.community()
    kit.members(50, c["id"])
    with kit.db.unit_of_work() as s:
        ids = list(s.scalars(select(Member.id).where(Member.tenant_id == kit.tenant_id).order_by(Member.id)))
        for i, mid in enumerate(ids[:40]):  # 10 a week in the 4 weeks before, 5 this week: -50 %
            week_back = YESTERDAY - timedelta(days=7 * (i // 10 + 1))
            s.execute(update(Member).where(Member.id == mid).values(joined_at=week_back))
        for mid in ids[40:45]:
            s.execute(update(Member).where(Member.id == mid).values(joined_at=YESTERDAY))
        for mid in ids[45:50]:
            s.execute(update(Member).where(Member.id == mid).values(joined_at=YESTERDAY - timedelta(days=60)))
        for mid in ids[:21]:
            s.add(MemberStageHistory(tenant_id=kit.tenant_id, member_id=mid, from_stage="active", to_stage="silent",
                                     at=YESTERDAY, reason="inactive"))
    assert run(kit.db, kit.tenant_id, "new_members_drop") == []  # 50 % is not above 50
    [drop] = run(kit.db, kit.tenant_id, "new_members_drop", threshold=49)
    [silent] = run(kit.db, kit.tenant_id, "silent_members")  # 21 > 20
    assert (drop.value, drop.base, silent.value) == (50.0, 10, 21)


def test_bad_review_rate_from_order_ratings(make: Factory) -> None:
    kit = make.tenant()
    c = kit.community()
    m, _ = kit.member(c["id"])
    orders = add_orders(kit.db, kit.tenant_id, m["id"], point_of(kit, c["id"]), 10, at=YESTERDAY, status="picked_up")
    with kit.db.unit_of_work() as s:
        for i, oid in enumerate(orders):
            s.add(OrderRating(tenant_id=kit.tenant_id, order_id=oid, member_id=m["id"], stars=2 if i < 1 else 5,
                              created_at=YESTERDAY))
    assert run(kit.db, kit.tenant_id, "bad_review_rate") == []  # 1 / 10 = 10 %
    [alert] = run(kit.db, kit.tenant_id, "bad_review_rate", threshold=9.99)
    assert alert.value == 10.0 and alert.detail == {"bad": 1, "ratings": 10}


def _by_day(counts: dict[int, int]) -> Any:
    """A count read per window: days back from yesterday -> count (others 0)."""
    def read(_s: Any, _t: int, start: datetime, _end: datetime, **_: Any) -> int:
        return counts.get((DAY_START - start).days, 0)
    return read


@pytest.mark.parametrize(("key", "target", "answer", "value", "raised"), [
    ("groupbuy_failure_rate", "linli.groupbuy.service.outcomes", lambda *a: (7, 3), 30.0, False),
    ("groupbuy_failure_rate", "linli.groupbuy.service.outcomes", lambda *a: (6, 4), 40.0, True),
    ("flashsale_release_rate", "linli.flashsale.service.purchase_releases", lambda *a: (20, 7), 35.0, True),
    ("coupon_redemption_spike", "linli.coupon.service.used_between", _by_day({0: 30, **{d: 10 for d in range(1, 8)}}),
     300.0, False),
    ("coupon_redemption_spike", "linli.coupon.service.used_between", _by_day({0: 31, **{d: 10 for d in range(1, 8)}}),
     310.0, True),
    ("points_redemption_spike", "linli.points.service.redeemed_between",
     lambda s, t, start, end: (1, 4000 if start == DAY_START else 1000), 400.0, True),
    ("post_bad_review_rate", "linli.content.service.review_stats", lambda *a, **k: (20, 2), 10.0, False),
    ("post_bad_review_rate", "linli.content.service.review_stats", lambda *a, **k: (20, 3), 15.0, True),
    ("sla_breaches", "linli.feedback.service.breached_count", lambda *a, **k: 0, 0, False),
    ("sla_breaches", "linli.feedback.service.breached_count", lambda *a, **k: 2, 2, True),
    ("sensitive_spike", "linli.moderation.service.hit_count",
     lambda s, t, since, until: 6 if since == DAY_START else 3, 200.0, False),
    ("sensitive_spike", "linli.moderation.service.hit_count",
     lambda s, t, since, until: 7 if since == DAY_START else 3, 233.33, True),
])
def test_metrics_over_other_domains_counts(make: Factory, monkeypatch: pytest.MonkeyPatch, key: str, target: str,
                                           answer: Any, value: float, raised: bool) -> None:
    kit = make.tenant()
    module, name = target.rsplit(".", 1)
    monkeypatch.setattr(__import__(module, fromlist=[name]), name, answer)
    m = service.METRICS[key]
    with kit.db.unit_of_work() as s:
        [reading] = m.compute(s, kit.tenant_id, window_for(m.window, AT), Context(), Limits(m.threshold, m.min_base))
    assert reading.value == value
    assert bool(run(kit.db, kit.tenant_id, key)) is raised


def test_hot_complaint_posts_by_community(make: Factory, monkeypatch: pytest.MonkeyPatch) -> None:
    kit = make.tenant()
    c = kit.community()
    posts = [HotPost(1, "草莓烂了", 501, c["id"], "review"), HotPost(2, "官方公告", 900, c["id"], "pgc"),
             HotPost(3, "全平台吐槽", 500, None, "ugc")]
    monkeypatch.setattr("linli.content.service.hot_posts", lambda s, t, *, min_views, since: [
        p for p in posts if p.views >= min_views])
    [alert] = run(kit.db, kit.tenant_id, "hot_complaint_posts")  # 501 > 500; 500 is not; PGC is not a complaint
    assert (alert.scope_kind, alert.community_id, alert.value) == ("community", c["id"], 501)
    assert alert.detail == {"posts": [{"id": 1, "title": "草莓烂了", "views": 501}]}


def test_concurrent_evaluations_raise_each_alert_once(make: Factory) -> None:
    kit = make.tenant()
    c = kit.community()
    m, _ = kit.member(c["id"])
    add_orders(kit.db, kit.tenant_id, m["id"], point_of(kit, c["id"]), 25, at=YESTERDAY, status="cancelled")

    def evaluate(_: int) -> int:
        with kit.db.unit_of_work() as s, clock.frozen_at(AT):
            return service.evaluate(s, kit.tenant_id, AT)

    with ThreadPoolExecutor(max_workers=3) as pool:
        raised = sum(pool.map(evaluate, range(3)))
    with kit.db.unit_of_work() as s:
        stored = s.scalar(select(func.count()).select_from(Alert).where(Alert.tenant_id == kit.tenant_id))
        keys = s.execute(select(Alert.metric, Alert.scope_kind, Alert.scope_id)
                         .where(Alert.tenant_id == kit.tenant_id)).all()
    assert raised == stored and len(set(keys)) == stored and ("cancel_rate", "tenant", 0) in keys
