"""A synthetic tenant whose campaign participation truly depends on member behaviour, made through the services:
every member has a favourite category (most of their shop orders) and some are deal hunters; a hunter joins most
campaigns of their favourite category, anyone else rarely. Shop orders come at a random pace unrelated to either
trait, so recency alone knows little. Everything is drawn from a seeded RNG at instants relative to a fixed
anchor, so the same seed builds the same history."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from linli.core import clock
from linli.core.http import principal_from_token
from linli.core.security import Principal, hash_password
from linli.flashsale import service as flashsales
from linli.flashsale.schemas import FlashSaleIn, PurchaseIn
from linli.groupbuy import service as groupbuys
from linli.groupbuy.schemas import GroupBuyIn, StartIn
from linli.member import service as members
from linli.member.schemas import MemberIn
from linli.order import service as orders
from linli.order.schemas import LineIn, OrderIn
from tests.factories import TenantKit

CATEGORIES = ("水果", "乳品", "粮油")
_HASH = hash_password("password-1")


@dataclass
class World:
    kit: TenantKit
    operator: Principal
    end: datetime  # the instant the history was built up to: backtests run as of it
    point_id: int
    products: dict[str, int]  # category -> product id
    members: list[Principal] = field(default_factory=list)
    favourite: dict[int, str] = field(default_factory=dict)  # member id -> category
    hunter: dict[int, bool] = field(default_factory=dict)
    campaigns: list[tuple[str, int, datetime]] = field(default_factory=list)  # (kind, id, start)

    def member(self, member_id: int) -> Principal:
        return next(p for p in self.members if p.member_id == member_id)


def build(kit: TenantKit, n_members: int = 60, n_campaigns: int = 12, seed: int = 7) -> World:
    rng = random.Random(seed)
    end = clock.now().replace(minute=0, second=0, microsecond=0)
    start = end - timedelta(days=100)
    community = kit.community(pickup_point=False)
    point = kit.post("/pickup-points", {"community_id": community["id"], "name": "门口便利店", "kind": "store",
                                        "lat": 30.28, "lng": 120.12})
    products = {c: kit.product(stock=100_000, price_fen=1500, category=c)["id"] for c in CATEGORIES}
    token = kit.op["Authorization"].removeprefix("Bearer ")
    w = World(kit, principal_from_token(token), end, point["id"], products)
    with kit.db.unit_of_work() as s:
        for i in range(n_members):
            with clock.frozen_at(start + timedelta(days=rng.uniform(0, 20))):
                m = members.create(s, kit.tenant_id, MemberIn(
                    username=f"p{kit.tenant_id}x{i}", password="password-1", name=f"居民{i}",
                    phone=f"1370000{i:04d}", community_id=community["id"]), password_hash=_HASH)
            p = Principal(m.user_id, kit.tenant_id, kit.slug, "member", member_id=m.id)
            w.members.append(p)
            w.favourite[m.id] = rng.choice(CATEGORIES)
            w.hunter[m.id] = rng.random() < 0.35
    _shop_history(w, rng, start)
    _campaigns(w, rng, start, n_campaigns)
    return w


def shop_order(w: World, p: Principal, category: str, at: datetime) -> int:
    """One shop order of a product of the category, placed and paid at `at`."""
    with w.kit.db.unit_of_work() as s, clock.frozen_at(at):
        order = orders.place(s, p, OrderIn(items=[LineIn(product_id=w.products[category], quantity=1)],
                                           pickup_point_id=w.point_id))
        orders.pay(s, p, order.id)
    return order.id


def _shop_history(w: World, rng: random.Random, start: datetime) -> None:
    """Each member orders at their own random pace (every 8 to 30 days on average), mostly their favourite."""
    with w.kit.db.unit_of_work() as s:
        for p in w.members:
            assert p.member_id is not None
            gap = rng.uniform(8, 30)
            at = start + timedelta(days=20 + rng.expovariate(1 / gap))
            while at < w.end:
                fav = w.favourite[p.member_id]
                category = fav if rng.random() < 0.8 else rng.choice(CATEGORIES)
                with clock.frozen_at(at):
                    order = orders.place(s, p, OrderIn(items=[LineIn(product_id=w.products[category], quantity=1)],
                                                       pickup_point_id=w.point_id))
                    orders.pay(s, p, order.id)
                at += timedelta(days=rng.expovariate(1 / gap))


def _campaigns(w: World, rng: random.Random, start: datetime, n: int) -> None:
    """n campaigns, 5 days apart from day 40, flash sales and group-buys in turn, the categories in turn."""
    for k in range(n):
        kind = ("flash_sale", "group_buy")[k % 2]
        category = CATEGORIES[k % len(CATEGORIES)]
        begins = start + timedelta(days=40 + 5 * k, hours=10)
        with w.kit.db.unit_of_work() as s:
            with clock.frozen_at(begins):
                if kind == "flash_sale":
                    cid = flashsales.create(s, w.operator, FlashSaleIn(
                        product_id=w.products[category], price_fen=900, quantity=500, per_member_limit=1,
                        starts_at=begins, ends_at=begins + timedelta(hours=24))).id
                else:
                    cid = groupbuys.create(s, w.operator, GroupBuyIn(
                        product_id=w.products[category], price_fen=900, group_size=2, time_limit_hours=48,
                        stock=500)).id
            w.campaigns.append((kind, cid, begins))
            for p in w.members:
                assert p.member_id is not None
                likely = w.hunter[p.member_id] and w.favourite[p.member_id] == category
                if rng.random() >= (0.75 if likely else 0.04):
                    continue
                at = begins + timedelta(hours=rng.uniform(0.5, 20))
                if at >= w.end:
                    continue
                with clock.frozen_at(at):
                    if kind == "flash_sale":
                        order_id = flashsales.purchase(s, p, cid, PurchaseIn(quantity=1,
                                                                             pickup_point_id=w.point_id)).order_id
                    else:
                        order_id = groupbuys.start(s, p, cid, StartIn(pickup_point_id=w.point_id)).order_id
                    orders.pay(s, p, order_id)
