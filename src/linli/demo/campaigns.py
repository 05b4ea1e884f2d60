"""What a visitor of the demo sees happening now (at load time): flash sales running (one nearly sold out), one
upcoming and one ended; group-buys with open groups at various fill levels and one that already succeeded; and
member0001 — the account the README points to — with orders in every stage, coupons held and used, points spent
and a check-in today.

Everything goes through the services as of an instant at or before the load's `now` (`clock.frozen_at`), so the
demo stays deterministic apart from that anchor. Two things the live system does later are done here at once:
a group seat's payment is settled (`groupbuy.settlement.seat_paid`, the idempotent handler of `order.paid`, so a
full group has succeeded at load), and the pickup codes of these orders are drawn from the demo's seeded RNG
like the history's (the order service draws them from `secrets`)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from sqlalchemy.orm import Session

from linli.catalog import stock
from linli.checkin import service as checkins
from linli.community import service as community
from linli.core import clock
from linli.core.security import Principal
from linli.coupon import service as coupons
from linli.demo.history import Product
from linli.demo.people import People
from linli.demo.writer import Ids, draw_pickup_codes
from linli.flashsale import service as flashsales
from linli.flashsale.gate import gate
from linli.flashsale.schemas import FlashSaleIn, PurchaseIn
from linli.groupbuy import service as groupbuys
from linli.groupbuy import settlement
from linli.groupbuy.schemas import GroupBuyIn, JoinIn, StartIn
from linli.order import pickup
from linli.order import service as orders
from linli.order.schemas import LineIn, OrderIn
from linli.points import service as points
from linli.tier import reviews

FIRST = 0  # member0001's index


@dataclass(frozen=True)
class Sale:
    product: str
    percent: int  # of the list price
    quantity: int
    limit: int
    starts: timedelta  # from now
    lasts: timedelta
    sold_share: float  # of the quantity, bought by neighbours before now


SALES = (  # three running (one nearly sold out), one upcoming, one ended
    Sale("阳光玫瑰葡萄", 60, 60, 2, timedelta(minutes=-50), timedelta(hours=4), 0.65),
    Sale("丹东红颜草莓", 55, 30, 1, timedelta(hours=-2), timedelta(hours=24), 0.9),
    Sale("土鸡蛋", 70, 100, 2, timedelta(minutes=-15), timedelta(hours=30), 0.15),
    Sale("五常稻花香大米", 65, 50, 1, timedelta(days=1), timedelta(hours=2), 0),
    Sale("智利车厘子JJ级", 60, 30, 2, timedelta(hours=-50), timedelta(hours=24), 0.8),
)


@dataclass(frozen=True)
class Campaign:
    product: str
    percent: int
    size: int
    hours: int  # a group's time limit
    stock: int
    fills: tuple[int, ...]  # seats taken in each group, oldest first; a full one has succeeded


CAMPAIGNS = (
    Campaign("麒麟西瓜", 70, 3, 24, 60, (3, 2, 1, 2)),
    Campaign("鲜活基围虾", 75, 5, 24, 60, (5, 4, 2, 3, 1)),
    Campaign("每日坚果", 60, 10, 48, 60, (7, 4)),
)


def seed(s: Session, ids: Ids, slug: str, people: People, products: list[Product], rng: random.Random,
         now: datetime) -> None:
    operator = Principal(ids.admin_user, ids.tenant, slug, "operator")
    by_name = {p.name: ids.products[i] for i, p in enumerate(products)}
    price = {p.name: p.price_fen for p in products}
    buyers = _neighbours(s, ids, people, now, rng)
    made: list[int] = []
    with clock.frozen_at(now - timedelta(hours=3)):
        _member0001(s, ids, slug, people, operator, by_name, now, made)
    for sale in SALES:
        made += _flash_sale(s, ids, slug, people, operator, sale, by_name[sale.product], price[sale.product],
                            buyers, rng, now)
    for campaign in CAMPAIGNS:
        made += _group_buy(s, ids, slug, people, operator, campaign, by_name[campaign.product],
                           price[campaign.product], buyers, rng, now)
    _member0001_joins(s, ids, slug, people, now, made)
    draw_pickup_codes(s, made, rng)
    with clock.frozen_at(now):  # this month's black cards counted the history only: the operator's recompute
        reviews.black_card(s, ids.tenant, now, again=True)


def _member(ids: Ids, slug: str, i: int) -> Principal:
    return Principal(ids.member_users[i], ids.tenant, slug, "member", member_id=ids.members[i])


def _point(ids: Ids, people: People, i: int) -> int:
    return ids.points[people.members[i].point]


def _neighbours(s: Session, ids: Ids, people: People, now: datetime, rng: random.Random) -> list[int]:
    """The campaign buyers, in a seeded order: members who joined at least a week ago (member0001 aside) and
    collect at a point without a leader or with one of the better-selling half of leaders. The weaker leaders'
    figures stay as the history made them, so the month's assessment (demo/leaders.py) keeps its story."""
    leader_of = community.leaders_of_points(s, ids.tenant)
    gmv: dict[int, int] = {}
    for point_id, fen in orders.gmv_by_point(s, ids.tenant, now - timedelta(days=30), now).items():
        if point_id in leader_of:
            gmv[leader_of[point_id]] = gmv.get(leader_of[point_id], 0) + fen
    ranked = sorted(set(leader_of.values()), key=lambda leader: (-gmv.get(leader, 0), leader))
    strong = set(ranked[:len(ranked) // 2])
    found = [i for i, m in enumerate(people.members) if i != FIRST and m.joined_at < now - timedelta(days=7)
             and leader_of.get(ids.points[m.point], next(iter(strong))) in strong]
    rng.shuffle(found)
    return found


def _pay(s: Session, p: Principal, order_id: int, at: datetime, now: datetime) -> None:
    with clock.frozen_at(min(at, now)):  # nothing after the load's instant
        orders.pay(s, p, order_id)


def _flash_sale(s: Session, ids: Ids, slug: str, people: People, operator: Principal, spec: Sale, product_id: int,
                list_price: int, buyers: list[int], rng: random.Random, now: datetime) -> list[int]:
    starts = now + spec.starts
    ends = starts + spec.lasts
    opened = min(starts, now) - timedelta(hours=1)  # announced an hour ahead
    quantity = spec.quantity
    with clock.frozen_at(opened):
        stock.adjust(s, operator, product_id, quantity, "restock")  # goods bought in for the sale
        sale = flashsales.create(s, operator, FlashSaleIn(
            product_id=product_id, price_fen=list_price * spec.percent // 100, quantity=quantity,
            per_member_limit=spec.limit, starts_at=starts, ends_at=ends))
    g = gate()
    if g is not None:  # counters a dropped database left in Redis under this sale's id: count from the database
        g.close(ids.tenant, sale.id)
    made: list[int] = []
    target = int(quantity * spec.sold_share)
    window = (min(ends, now) - starts).total_seconds()
    sold = 0
    for i in _take(buyers, rng, max(1, target)):
        q = min(rng.randint(1, spec.limit), target - sold)
        if q <= 0:
            break
        at = starts + timedelta(seconds=window * (sold + q / 2) / max(1, target))
        p = _member(ids, slug, i)
        with clock.frozen_at(at):
            order_id = flashsales.purchase(s, p, sale.id, PurchaseIn(quantity=q, pickup_point_id=_point(ids, people, i))
                                           ).order_id
        _pay(s, p, order_id, at + timedelta(seconds=40), now)
        made.append(order_id)
        sold += q
    if ends <= now:  # over: picked up the next day, the unsold units back on the shelf
        with clock.frozen_at(ends + timedelta(minutes=1)):
            flashsales.close(s, ids.tenant, sale.id)
        _pick_up(s, operator, made, ends + timedelta(hours=20))
    return made


def _take(pool: list[int], rng: random.Random, n: int) -> list[int]:
    """n different members of the pool, drawn with the seeded RNG."""
    return rng.sample(pool, min(n, len(pool)))


def _pick_up(s: Session, operator: Principal, order_ids: list[int], at: datetime) -> None:
    for k, order_id in enumerate(order_ids):
        code = orders.visible(s, operator, order_id).pickup_code
        assert code is not None
        with clock.frozen_at(at + timedelta(minutes=3 * k)):
            pickup.verify(s, operator, order_id, code)


def _group_buy(s: Session, ids: Ids, slug: str, people: People, operator: Principal, spec: Campaign,
               product_id: int, list_price: int, buyers: list[int], rng: random.Random, now: datetime) -> list[int]:
    with clock.frozen_at(now - timedelta(days=2)):
        stock.adjust(s, operator, product_id, spec.stock, "restock")  # goods bought in for the campaign
        campaign = groupbuys.create(s, operator, GroupBuyIn(
            product_id=product_id, price_fen=list_price * spec.percent // 100, group_size=spec.size,
            time_limit_hours=spec.hours, stock=spec.stock))
    made: list[int] = []
    span = timedelta(hours=spec.hours * 0.8)  # every group started within its time limit: still open
    for g, fill in enumerate(spec.fills):
        started = now - span + span * g / len(spec.fills)
        seats = _take(buyers, rng, fill)
        for k, i in enumerate(seats):
            p = _member(ids, slug, i)
            at = min(started + timedelta(minutes=25 * k), now - timedelta(minutes=2))
            point = JoinIn(pickup_point_id=_point(ids, people, i))
            with clock.frozen_at(at):
                if k == 0:
                    group_id, order_id = _start(s, p, campaign.id, point)
                else:
                    order_id = groupbuys.join(s, p, group_id, point).order_id
            _seat_paid(s, ids.tenant, p, order_id, at + timedelta(minutes=1), now)
            made.append(order_id)
    return made


def _start(s: Session, p: Principal, campaign_id: int, point: JoinIn) -> tuple[int, int]:
    started = groupbuys.start(s, p, campaign_id, StartIn(pickup_point_id=point.pickup_point_id))
    return started.group_id, started.order_id


def _seat_paid(s: Session, tenant_id: int, p: Principal, order_id: int, at: datetime, now: datetime) -> None:
    _pay(s, p, order_id, at, now)
    with clock.frozen_at(min(at, now)):
        settlement.seat_paid(s, tenant_id, order_id)  # what the order.paid handler does (idempotent)


def _member0001(s: Session, ids: Ids, slug: str, people: People, operator: Principal, by_name: dict[str, int],
                now: datetime, made: list[int]) -> None:
    """member0001's own orders: one picked up last week, one paid today with a coupon and points (waiting for
    pickup); coupons held (one claimed, one issued) and a check-in this morning."""
    p = _member(ids, slug, FIRST)
    point = _point(ids, people, FIRST)
    week_ago = now - timedelta(days=6)
    with clock.frozen_at(week_ago):
        last_week = orders.place(s, p, OrderIn(items=[LineIn(product_id=by_name["赣南脐橙"], quantity=1),
                                                      LineIn(product_id=by_name["全脂鲜牛奶"], quantity=2)],
                                               pickup_point_id=point))
    _pay(s, p, last_week.id, week_ago + timedelta(minutes=2), now)
    made.append(last_week.id)
    _pick_up(s, operator, [last_week.id], week_ago + timedelta(hours=22))

    # a goodwill grant, so the points spent below never depend on what the drawn history earned
    points.grant(s, ids.tenant, ids.members[FIRST], 300, "新会员体验积分", "demo:member0001:points")
    templates = {t.name: t.id for t in coupons.search(s, operator, True, 50, None)[0]}
    held = coupons.issue_to(s, ids.tenant, templates["周末囤货 满99减15"], ids.members[FIRST], "issue",
                            "demo:member0001:weekend")
    coupons.claim(s, p, templates["社区探秘 满30减5"])
    assert held is not None
    at = clock.now()
    today = orders.place(s, p, OrderIn(items=[LineIn(product_id=by_name["五常稻花香大米"], quantity=1),
                                              LineIn(product_id=by_name["压榨一级花生油"], quantity=1)],
                                       pickup_point_id=point, coupon_id=held, points_to_use=100))
    _pay(s, p, today.id, at + timedelta(minutes=3), now)
    made.append(today.id)
    morning = datetime.combine(clock.local(now).date(), time(7, 12), tzinfo=clock.SHANGHAI)
    if morning <= now - timedelta(minutes=5):  # the regulars' check-ins cover the days before today
        with clock.frozen_at(morning):
            checkins.check_in(s, p)


def _member0001_joins(s: Session, ids: Ids, slug: str, people: People, now: datetime, made: list[int]) -> None:
    """member0001 also grabbed a running flash sale and started a group that two neighbours can still join."""
    p = _member(ids, slug, FIRST)
    point = _point(ids, people, FIRST)
    operator = Principal(ids.admin_user, ids.tenant, slug, "operator")
    sales = [x for x in flashsales.search(s, operator, 50, None)[0] if x.starts_at <= now < x.ends_at]
    at = now - timedelta(minutes=8)
    with clock.frozen_at(at):
        order_id = flashsales.purchase(s, p, sales[-1].id, PurchaseIn(quantity=1, pickup_point_id=point)).order_id
    _pay(s, p, order_id, at + timedelta(seconds=30), now)
    made.append(order_id)
    campaign = groupbuys.search(s, operator, 50, None)[0][-1]  # the first campaign (newest first)
    at = now - timedelta(minutes=40)
    with clock.frozen_at(at):
        _group, order_id = _start(s, p, campaign.id, JoinIn(pickup_point_id=point))
    _seat_paid(s, ids.tenant, p, order_id, at + timedelta(minutes=1), now)
    made.append(order_id)
