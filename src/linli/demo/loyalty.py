"""The demo tenant's loyalty state, derived from its order history (the loader writes orders in bulk,
without events): lifecycle facts and stages, growth and tiers, the black card, points earned on
purchases, coupons, a points catalogue, partner spots and five weeks of daily check-ins."""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta

from sqlalchemy.orm import Session

from linli.checkin import service as checkins
from linli.core import clock
from linli.core.security import Principal
from linli.coupon import geo
from linli.coupon import service as coupons
from linli.coupon.schemas import CouponIn, GeoSpotIn
from linli.demo.writer import Ids
from linli.lifecycle import service as lifecycle
from linli.order import service as orders
from linli.points import redemptions
from linli.points import service as points
from linli.points.schemas import CatalogItemIn
from linli.tier import reviews
from linli.tier import service as tiers

CHECKIN_SHARE = 50  # one member in 50 is a regular who checks in most mornings: 40 of the full demo's 2,000
CHECKIN_LEAST = 5
CHECKIN_DAYS = 35

CATALOGUE = [("环保购物袋", 150, 200), ("土鸡蛋 10 枚", 600, 80), ("东北大米 5kg", 2500, 30),
             ("洗洁精 1.5kg", 800, 60), ("儿童绘本", 1200, 20)]
PARTNERS = [("街角鲜花店", 30.2790, 120.1610), ("老杭州面馆", 30.2610, 120.2020), ("阳光宠物店", 30.2960, 120.1390)]


def seed(s: Session, ids: Ids, slug: str, rng: random.Random, now: datetime) -> None:
    operator = Principal(ids.admin_user, ids.tenant, slug, "operator")
    _history(s, ids.tenant, now)
    _coupons_and_spots(s, operator, ids, rng, now)
    for name, cost, stock in CATALOGUE:
        redemptions.create_item(s, operator, CatalogItemIn(name=name, points_cost=cost, stock=stock))
    _checkins(s, ids, slug, rng, now)


def _history(s: Session, tenant_id: int, now: datetime) -> None:
    """What the order history earned: growth and points per member (one entry each, marked as imported),
    activity facts and stages, then this month's black card."""
    since = now - timedelta(days=400)
    for member_id, spend_fen in sorted(orders.spend_by_member(s, tenant_id, since, now).items()):
        if spend_fen <= 0:
            continue
        tiers.import_growth(s, tenant_id, member_id, spend_fen // 100, f"import:orders:{member_id}", now)
        points.grant(s, tenant_id, member_id, spend_fen // 100, "历史订单积分", f"import:orders:{member_id}",
                     kind="order_paid")
    lifecycle.sync_from_orders(s, tenant_id)
    thresholds, after = lifecycle.thresholds(s, tenant_id), 0
    while True:
        _n, last = lifecycle.recompute_batch(s, tenant_id, thresholds, now, after, 500)
        if last is None:
            break
        after = last
    reviews.black_card(s, tenant_id, now)


def _coupons_and_spots(s: Session, operator: Principal, ids: Ids, rng: random.Random, now: datetime) -> None:
    start, end = now - timedelta(days=3), now + timedelta(days=30)
    templates = [
        CouponIn(name="新人专享 满20减8", discount_fen=800, min_spend_fen=2000, total=5000, new_member_only=True,
                 valid_days=7, valid_to=end),
        CouponIn(name="周末囤货 满99减15", discount_fen=1500, min_spend_fen=9900, total=2000, per_member_limit=2,
                 valid_from=start, valid_to=end),
        CouponIn(name="黄金会员 9折券", kind="percent", percent_off=10, max_discount_fen=3000, total=500,
                 tier_only=["gold", "black"], valid_from=start, valid_to=end),
        CouponIn(name="社区探秘 满30减5", discount_fen=500, min_spend_fen=3000, total=3000, valid_days=14,
                 valid_from=start, valid_to=end),
    ]
    made = [coupons.create(s, operator, t) for t in templates]
    weekend = made[1].id
    for member_id in sorted(rng.sample(ids.members, min(300, len(ids.members)))):
        coupons.issue_to(s, ids.tenant, weekend, member_id, "issue", f"demo:weekend:{member_id}")
    explore = made[3].id
    for name, lat, lng in PARTNERS:
        geo.create_spot(s, operator, GeoSpotIn(name=name, kind="partner", lat=lat, lng=lng,
                                               coupon_template_id=explore))


def _checkins(s: Session, ids: Ids, slug: str, rng: random.Random, now: datetime) -> None:
    """Regulars check in on most mornings of the last five weeks (so last month has its 社区守护者)."""
    count = min(len(ids.members), max(CHECKIN_LEAST, len(ids.members) // CHECKIN_SHARE))
    regulars = sorted(rng.sample(range(len(ids.members)), count))
    today = clock.local(now).date()
    for back in range(CHECKIN_DAYS, 0, -1):
        day = today - timedelta(days=back)
        for i in regulars:
            if rng.random() < 0.75:
                at = datetime.combine(day, time(7, rng.randint(0, 59)), tzinfo=clock.SHANGHAI)
                p = Principal(ids.member_users[i], ids.tenant, slug, "member", member_id=ids.members[i])
                with clock.frozen_at(at):
                    checkins.check_in(s, p)
    last_month = today.replace(day=1) - timedelta(days=1)
    checkins.award_month(s, ids.tenant, f"{last_month.year}-{last_month.month:02d}")
