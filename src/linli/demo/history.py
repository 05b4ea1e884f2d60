"""Plans 90 days of orders ending now: who ordered what, when, and how each order ended.

The patterns: weekends are busier (周末囤货), mornings and evenings peak, fresh-food regulars buy
fruit and vegetables several times a week, churned members went silent 30-60 days ago, a few
orders time out unpaid, a few are cancelled or refunded, and paid orders are picked up at the
member's pickup point the next day or soon after. Pure planning: indices only, no database.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from linli.core import clock
from linli.demo import data
from linli.demo.people import People

DAYS = 90
PAYMENT_WINDOW = timedelta(minutes=15)
CATEGORIES = list(data.CATALOGUE)

_RATE = {"fresh_regular": 0.42, "regular": 0.16, "occasional": 0.065, "churned": 0.17, "dormant": 0.012}
_WEEKDAY = (0.87, 0.85, 0.88, 0.9, 1.05, 1.42, 1.33)  # Monday .. Sunday
_HOURS = (0.2, 0.1, 0.05, 0.03, 0.03, 0.1, 0.6, 1.6, 1.8, 1.2, 0.9, 1.0,
          1.3, 1.0, 0.7, 0.7, 0.8, 1.0, 1.2, 1.9, 2.2, 1.9, 1.2, 0.6)
_BASE_CATEGORY = {"新鲜水果": 20, "时令蔬菜": 18, "肉禽蛋": 14, "水产海鲜": 8, "乳品烘焙": 9, "粮油调味": 6,
                  "休闲零食": 7, "酒水饮料": 6, "日用百货": 6, "母婴用品": 0, "个人护理": 4, "冷冻速食": 6}
_FAMILY_CATEGORY: dict[str, dict[str, float]] = {  # multipliers; 母婴用品 is added, not multiplied
    "elderly": {"时令蔬菜": 1.6, "肉禽蛋": 1.3, "水产海鲜": 1.2, "粮油调味": 1.5, "休闲零食": 0.4,
                "酒水饮料": 0.5, "冷冻速食": 0.4, "个人护理": 0.6},
    "with_children": {"母婴用品": 10, "乳品烘焙": 1.6, "休闲零食": 1.3, "新鲜水果": 1.2},
    "young_family": {"母婴用品": 12, "乳品烘焙": 1.4, "冷冻速食": 1.2},
    "young_couple": {"休闲零食": 1.6, "酒水饮料": 1.6, "冷冻速食": 1.6, "新鲜水果": 1.1, "时令蔬菜": 0.7,
                     "粮油调味": 0.7},
    "single": {"冷冻速食": 2.2, "休闲零食": 1.6, "酒水饮料": 1.8, "时令蔬菜": 0.5, "肉禽蛋": 0.6,
               "水产海鲜": 0.4, "粮油调味": 0.6},
    "three_generations": {"时令蔬菜": 1.3, "肉禽蛋": 1.3, "乳品烘焙": 1.2, "母婴用品": 4, "粮油调味": 1.2},
}
_STOCK_UP = {"粮油调味": 1.8, "日用百货": 1.8, "酒水饮料": 1.4, "冷冻速食": 1.3}  # weekend 囤货

REASONS_MEMBER_CANCEL = ("不想要了", "拍错了，重新下单", "想换别的规格", "计划有变，近期不在家")
REASONS_OPERATOR_BEFORE = ("商品缺货，平台主动退款", "供应商未到货", "品质抽检不合格，未发货")
REASONS_MEMBER_BEFORE = ("买重复了", "选错自提点", "临时出差无法自提", "不想要了")
REASONS_AFTER = ("水果有坏果", "蔬菜不新鲜", "包装破损", "与商品描述不符", "缺斤少两", "临近保质期")


@dataclass
class Product:
    category: str
    name: str
    unit: str
    price_fen: int
    is_fresh: bool
    weight: float  # popularity


@dataclass
class Line:
    product: int
    quantity: int
    unit_price_fen: int

    @property
    def amount_fen(self) -> int:
        return self.unit_price_fen * self.quantity


@dataclass
class Closing:
    """How an order stopped being plain paid: a cancellation or a (partial) refund."""

    kind: str  # timeout | cancel | refund | partial
    at: datetime
    actor: str  # system | member | operator
    reason: str
    amount_fen: int = 0
    lines: list[int] = field(default_factory=list)  # indices into PlannedOrder.lines
    restock: list[int] = field(default_factory=list)  # of those, the ones that go back on the shelf
    provider_ref: str = ""


@dataclass
class PlannedOrder:
    member: int
    point: int
    created_at: datetime
    lines: list[Line]
    status: str = "pending_payment"
    paid_at: datetime | None = None
    picked_up_at: datetime | None = None
    pickup_code: str | None = None
    charge_ref: str = ""
    closing: Closing | None = None

    @property
    def total_fen(self) -> int:
        return sum(li.amount_fen for li in self.lines)

    @property
    def expires_at(self) -> datetime:
        return self.created_at + PAYMENT_WINDOW


def catalogue(rng: random.Random) -> list[Product]:
    products = []
    for category, (fresh, items) in data.CATALOGUE.items():
        for name, unit, price in items:
            weight = rng.uniform(0.25, 1.0) ** 2 / (price / 2000) ** 0.4  # cheap staples sell more
            products.append(Product(category, name, unit, price, fresh, weight))
    return products


class _Shopper:
    """One member's habits: rate, hours, category taste and a few favourite products."""

    def __init__(self, rng: random.Random, people: People, mi: int, by_category: dict[str, list[int]],
                 products: list[Product]) -> None:
        m = people.members[mi]
        self.rate = _RATE[m.persona] * rng.uniform(0.6, 1.4)
        hours = list(_HOURS)
        for h in range(24):
            if m.family == "elderly":
                hours[h] *= 2.0 if 6 <= h <= 9 else (0.4 if h >= 20 else 1.0)
            elif m.family in ("young_couple", "single"):
                hours[h] *= 0.7 if 6 <= h <= 9 else (1.4 if h >= 20 or h <= 1 else 1.0)
        self.hours = _cum(hours)
        taste: dict[str, float] = dict(_BASE_CATEGORY)
        for cat, factor in _FAMILY_CATEGORY.get(m.family, {}).items():
            taste[cat] = taste[cat] + factor if cat == "母婴用品" else taste[cat] * factor
        if m.persona == "fresh_regular":
            for cat, factor in (("新鲜水果", 2.0), ("时令蔬菜", 2.0), ("肉禽蛋", 1.3)):
                taste[cat] *= factor
        self.taste = {cat: w * rng.uniform(0.7, 1.3) for cat, w in taste.items()}
        self.weekday_cum = _cum([self.taste[c] for c in CATEGORIES])
        self.weekend_cum = _cum([self.taste[c] * _STOCK_UP.get(c, 1.0) for c in CATEGORIES])
        top = sorted(CATEGORIES, key=lambda c: -self.taste[c])[:3]
        self.favourites = [rng.choices(by_category[c], weights=[products[p].weight for p in by_category[c]])[0]
                           for c in top]
        self.fresh_regular = m.persona == "fresh_regular"
        self.family = m.family


def plan_orders(rng: random.Random, now: datetime, people: People, products: list[Product]) -> list[PlannedOrder]:
    by_category: dict[str, list[int]] = {c: [] for c in CATEGORIES}
    for pi, p in enumerate(products):
        by_category[p.category].append(pi)
    pick = {c: (ids, _cum([products[p].weight for p in ids])) for c, ids in by_category.items()}
    shoppers = [_Shopper(rng, people, mi, by_category, products) for mi in range(len(people.members))]
    alternatives = {m.community: people.points_of(m.community) for m in people.members}
    start = clock.today_start_local(now) - timedelta(days=DAYS - 1)
    orders: list[PlannedOrder] = []
    for day in range(DAYS):
        day0 = start + timedelta(days=day)
        weekday = clock.local(day0).weekday()
        for mi, m in enumerate(people.members):
            shopper = shoppers[mi]
            if rng.random() >= shopper.rate * _WEEKDAY[weekday]:
                continue
            at = day0 + timedelta(hours=rng.choices(range(24), cum_weights=shopper.hours)[0],
                                  seconds=rng.randrange(3600))
            if at >= now or at <= m.joined_at or (m.active_until is not None and at > m.active_until):
                continue
            point = m.point
            if rng.random() < 0.08:
                point = rng.choice(alternatives[m.community])
            lines = _basket(rng, shopper, weekday >= 5, pick, products)
            order = PlannedOrder(mi, point, at, lines)
            _outcome(rng, now, order, people, products)
            orders.append(order)
    orders.sort(key=lambda o: o.created_at)
    return orders


def _basket(rng: random.Random, shopper: _Shopper, weekend: bool,
            pick: dict[str, tuple[list[int], list[float]]], products: list[Product]) -> list[Line]:
    if shopper.fresh_regular:
        n = rng.choices((1, 2, 3, 4), weights=(3, 4, 2, 1))[0]
    else:
        n = rng.choices((1, 2, 3, 4, 5, 6), weights=(3, 4, 3, 2, 1, 0.5))[0]
        if weekend:
            n += rng.choice((0, 0, 1, 2))
    if shopper.family == "three_generations" and rng.random() < 0.4:
        n += 1
    cum = shopper.weekend_cum if weekend else shopper.weekday_cum
    quantities: dict[int, int] = {}
    for k in range(n):
        if k == 0 and shopper.fresh_regular:
            category = rng.choice(("新鲜水果", "时令蔬菜"))
        elif rng.random() < 0.3:
            product = rng.choice(shopper.favourites)
            quantities[product] = quantities.get(product, 0) + 1
            continue
        else:
            category = rng.choices(CATEGORIES, cum_weights=cum)[0]
        ids, weights = pick[category]
        product = rng.choices(ids, cum_weights=weights)[0]
        price = products[product].price_fen
        if price <= 1000:
            qty = rng.choices((1, 2, 3), weights=(5, 3, 2))[0]
        elif price <= 3000:
            qty = rng.choices((1, 2), weights=(8, 2))[0]
        else:
            qty = 1
        quantities[product] = quantities.get(product, 0) + qty
    return [Line(p, q, products[p].price_fen) for p, q in sorted(quantities.items())]


def _outcome(rng: random.Random, now: datetime, o: PlannedOrder, people: People,
             products: list[Product]) -> None:
    """Decide payment, pickup and any cancellation or refund; nothing happens after now."""
    if rng.random() < 0.05:  # never paid: the due job cancels it when the window closes
        closed = o.expires_at + timedelta(seconds=rng.uniform(1, 30))
        if closed <= now:
            o.status = "cancelled"
            o.closing = Closing("timeout", closed, "system", "payment_timeout",
                                restock=list(range(len(o.lines))))
        return
    paid_at = o.created_at + timedelta(seconds=rng.uniform(8, 240))
    if paid_at > now:
        return  # still paying
    o.status, o.paid_at = "paid", paid_at
    o.pickup_code = f"{rng.randrange(10**6):06d}"
    o.charge_ref = _ref(rng, "ch")
    pickup = _pickup_time(rng, o, people)
    r = rng.random()
    every = list(range(len(o.lines)))
    if r < 0.010:
        at = paid_at + timedelta(minutes=rng.uniform(3, 480))
        if at < pickup and at <= now:
            o.status = "cancelled"
            o.closing = Closing("cancel", at, "member", rng.choice(REASONS_MEMBER_CANCEL), o.total_fen,
                                every, every, _ref(rng, "re"))
            return
    elif r < 0.022:
        at = paid_at + timedelta(minutes=rng.uniform(30, 960))
        if at < pickup and at <= now:
            by_operator = rng.random() < 0.5
            reason = rng.choice(REASONS_OPERATOR_BEFORE if by_operator else REASONS_MEMBER_BEFORE)
            o.status = "refunded"
            o.closing = Closing("refund", at, "operator" if by_operator else "member", reason, o.total_fen,
                                every, every, _ref(rng, "re"))
            return
    if pickup > now:
        return  # paid, waiting at the pickup point
    o.status, o.picked_up_at = "picked_up", pickup
    if r < 0.022 or r >= 0.060:
        return
    at = pickup + timedelta(minutes=rng.uniform(30, 72 * 60))
    if at > now:
        return
    actor = "member" if rng.random() < 0.7 else "operator"
    reason = rng.choice(REASONS_AFTER)
    if r < 0.045:  # full refund after pickup: fresh goods are written off, the rest goes back on sale
        o.status = "refunded"
        restock = [i for i in every if not products[o.lines[i].product].is_fresh]
        o.closing = Closing("refund", at, actor, reason, o.total_fen, every, restock, _ref(rng, "re"))
    elif len(o.lines) >= 2:  # one line refunded, the order stays picked up
        i = rng.randrange(len(o.lines))
        restock = [] if products[o.lines[i].product].is_fresh else [i]
        o.closing = Closing("partial", at, actor, reason, o.lines[i].amount_fen, [i], restock,
                            _ref(rng, "re"))


def _pickup_time(rng: random.Random, o: PlannedOrder, people: People) -> datetime:
    """Next day (mostly) within the point's opening hours, skewed towards the evening."""
    point = people.points[o.point]
    opens, closes = (int(t[:2]) * 60 + int(t[3:]) for t in point.opening_hours.split("-"))
    opens, closes = max(opens, 7 * 60), min(closes, 23 * 60)
    lo, hi = opens + 15, closes - 5
    minute = rng.triangular(lo, hi, hi - (hi - lo) * 0.3)
    day = clock.today_start_local(o.created_at) + timedelta(days=rng.choices((1, 2, 3), weights=(75, 18, 7))[0])
    return day + timedelta(minutes=minute, seconds=rng.randrange(60))


def _ref(rng: random.Random, kind: str) -> str:
    return f"sbx_{kind}_{rng.getrandbits(80):020x}"


def _cum(weights: list[float] | tuple[float, ...]) -> list[float]:
    total, out = 0.0, []
    for w in weights:
        total += w
        out.append(total)
    return out
