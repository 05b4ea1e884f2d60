"""The demo tenant: complete, consistent with the real rules, deterministic, and fast to load."""

from __future__ import annotations

import random
import re
from collections import defaultdict
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from linli.catalog import stock
from linli.core import clock
from linli.core.db import Database
from linli.demo.loader import load
from linli.demo.people import plan_people
from linli.models import (
    Building,
    Checkin,
    Community,
    Delivery,
    FlashSale,
    Group,
    GroupBuy,
    GroupSeat,
    GuardianAward,
    Household,
    Leader,
    Member,
    MemberActivity,
    MemberCoupon,
    MemberTier,
    Order,
    OrderEvent,
    OrderItem,
    Payment,
    PickupPoint,
    PointsAccount,
    Product,
    Refund,
    SandboxTransaction,
    StockMovement,
    Tenant,
    User,
)
from linli.tenancy import service as tenancy
from tests.demo.conftest import SCALE, Demo, _load

FAMILIES = {"young_couple", "young_family", "with_children", "elderly", "single", "three_generations"}
UNIT_TYPES = {"一室一厅", "两室一厅", "三室一厅", "三室两厅", "四室两厅"}


def pairs(rows: Any) -> dict[Any, Any]:
    return {k: v for k, v in rows}


@pytest.mark.xdist_group("small-demo")
def test_small_demo_has_every_kind_of_data(small_demo: Demo):
    db, counts = small_demo.db, small_demo.counts
    tid = counts["tenant_id"]
    assert counts["communities"] >= 20
    assert counts["leaders"] >= 40
    assert counts["members"] == 100
    assert counts["products"] >= 200
    assert counts["categories"] == 12
    assert counts["orders"] > 500
    assert counts["order_items"] > counts["orders"]
    assert counts["refunds"] > 0 and counts["stock_movements"] > counts["order_items"]
    assert {"picked_up", "paid", "cancelled", "refunded", "awaiting_group"} <= set(counts["orders_by_status"])
    # awaiting_group: the paid seats of the group-buys' open groups (checked in _campaigns_run_now)
    assert set(counts["orders_by_status"]) <= {"picked_up", "paid", "cancelled", "refunded", "pending_payment",
                                               "awaiting_group"}
    with db.unit_of_work() as s:
        for c in s.scalars(select(Community).where(Community.tenant_id == tid)):
            assert c.city == "杭州" and c.district.endswith("区") and c.address.startswith("杭州市")
            assert 30.2 <= c.lat <= 30.35 and 120.05 <= c.lng <= 120.30, c.name
        kinds = defaultdict(int)
        for p in s.scalars(select(PickupPoint).where(PickupPoint.tenant_id == tid)):
            kinds[p.kind] += 1
            assert p.capacity and p.capacity > 0 and re.fullmatch(r"\d\d:\d\d-\d\d:\d\d", p.opening_hours)
        assert set(kinds) == {"leader_home", "store", "locker", "warehouse"}
        assert kinds["leader_home"] > kinds["store"]
        assert s.scalar(select(func.count()).select_from(Building).where(Building.tenant_id == tid)) > 100
        households = s.scalars(select(Household).where(Household.tenant_id == tid)).all()
        assert all(re.fullmatch(r"\d单元\d{3,4}", h.unit_no) for h in households)
        assert {h.unit_type for h in households} <= UNIT_TYPES
        assert {h.family_structure for h in households} <= FAMILIES
        assert len({h.family_structure for h in households}) >= 5
        ms = s.scalars(select(Member).where(Member.tenant_id == tid)).all()
        assert all(re.fullmatch(r"1[358]\d{9}", m.phone) for m in ms)
        assert all(2 <= len(m.name) <= 3 for m in ms)
        assert len({m.phone for m in ms}) == len(ms)
        now = clock.now()
        joined = [m.joined_at for m in ms]
        assert min(joined) < now - timedelta(days=100) and max(joined) <= now
        assert any(j > now - timedelta(days=7) for j in joined)  # some joined this week
        _campaigns_run_now(s, tid, now)
        _member0001_has_a_history(s, tid, now)


def _campaigns_run_now(s: Any, tid: int, now: datetime) -> None:
    """At load time (whenever that is): flash sales running (one nearly sold out), one upcoming, one ended and
    closed; group-buys running with open groups at several fill levels, every seat in them paid."""
    sales = s.scalars(select(FlashSale).where(FlashSale.tenant_id == tid)).all()
    price = pairs(s.execute(select(Product.id, Product.price_fen).where(Product.tenant_id == tid)))
    running = [x for x in sales if x.starts_at <= now < x.ends_at and x.closed_at is None]
    assert len(running) >= 2 and all(0 < x.sold < x.quantity for x in running)
    assert any(x.quantity - x.sold <= x.quantity // 10 for x in running)  # nearly sold out
    assert len([x for x in sales if x.starts_at > now and x.sold == 0]) == 1
    ended = [x for x in sales if x.ends_at <= now]
    assert len(ended) == 1 and ended[0].closed_at is not None and ended[0].sold > 0
    assert all(x.price_fen < price[x.product_id] for x in sales)
    live = ("pending_payment", "paid", "picked_up", "awaiting_group")
    for x in sales:
        sold = s.scalar(select(func.sum(OrderItem.quantity)).join(Order, Order.id == OrderItem.order_id).where(
            Order.tenant_id == tid, Order.source == "flash_sale", Order.source_id == x.id, Order.status.in_(live)))
        assert (sold or 0) == x.sold
    campaigns = s.scalars(select(GroupBuy).where(GroupBuy.tenant_id == tid)).all()
    assert len(campaigns) >= 2 and all(c.closed_at is None for c in campaigns)
    assert all(c.price_fen < price[c.product_id] for c in campaigns)
    groups = s.scalars(select(Group).where(Group.tenant_id == tid)).all()
    open_groups = [g for g in groups if g.status == "open"]
    assert all(g.expires_at > now and 0 < g.seats_taken < g.size for g in open_groups)
    assert len({(g.seats_taken, g.size) for g in open_groups}) >= 5  # various fill levels
    assert any(g.status == "succeeded" for g in groups)
    seats = s.execute(select(GroupSeat.group_id, GroupSeat.status, Order.status)
                      .join(Order, Order.id == GroupSeat.order_id).where(GroupSeat.tenant_id == tid)).all()
    status = {g.id: g.status for g in groups}
    for group_id, seat, order in seats:
        expected = ("paid", "awaiting_group") if status[group_id] == "open" else ("fulfilled", "paid")
        assert (seat, order) == expected
    waiting = s.scalar(select(func.count()).select_from(Order).where(Order.tenant_id == tid,
                                                                      Order.status == "awaiting_group"))
    assert waiting == sum(g.seats_taken for g in open_groups)
    for c in campaigns:
        assert c.held == sum(g.seats_taken for g in groups if g.group_buy_id == c.id)


def _member0001_has_a_history(s: Any, tid: int, now: datetime) -> None:
    """The account the README points to: orders picked up and waiting for pickup, a flash-sale buy, a group it
    started, a coupon used and one held, points, and a check-in today."""
    member_id = s.scalar(select(Member.id).join(User, User.id == Member.user_id)
                         .where(User.tenant_id == tid, User.username == "member0001"))
    orders = s.scalars(select(Order).where(Order.member_id == member_id)).all()
    statuses = {o.status for o in orders}
    assert {"picked_up", "paid", "awaiting_group"} <= statuses
    assert {"shop", "flash_sale", "group_buy"} <= {o.source for o in orders}
    assert any(o.status == "paid" and o.member_coupon_id is not None and o.points_used > 0 for o in orders)
    coupons = set(s.scalars(select(MemberCoupon.status).where(MemberCoupon.member_id == member_id)))
    assert {"available", "used"} <= coupons
    assert s.scalar(select(PointsAccount.balance).where(PointsAccount.member_id == member_id)) > 0
    local = clock.local(now)
    if (local.hour, local.minute) >= (7, 20):  # checked in this morning
        assert local.date() in set(s.scalars(select(Checkin.day).where(Checkin.member_id == member_id)))


@pytest.mark.xdist_group("small-demo")
def test_usernames_follow_the_documented_format_and_log_in(small_demo: Demo):
    db, tid = small_demo.db, small_demo.counts["tenant_id"]
    with db.unit_of_work() as s:
        users = s.execute(select(User.username, User.role).where(User.tenant_id == tid)).all()
    by_role = defaultdict(set)
    for username, role in users:
        by_role[role].add(username)
    assert by_role["operator"] == {"admin"}
    assert by_role["leader"] == {f"leader{n:02d}" for n in range(1, 41)}
    assert by_role["member"] == {f"member{n:04d}" for n in range(1, 101)}
    with db.unit_of_work() as s:
        for username, role in (("admin", "operator"), ("member0001", "member"), ("leader01", "leader")):
            found = tenancy.authenticate(s, "demo", username, "linli-demo")
            assert found is not None and found[1].role == role
        assert tenancy.authenticate(s, "demo", "member0001", "wrong-password") is None


@pytest.mark.xdist_group("small-demo")
def test_every_product_stock_equals_its_ledger(small_demo: Demo):
    db, tid = small_demo.db, small_demo.counts["tenant_id"]
    with db.unit_of_work() as s:
        products = s.scalars(select(Product).where(Product.tenant_id == tid)).all()
        for p in products:
            assert p.stock >= 0 and stock.ledger_sum(s, tid, p.id) == p.stock, p.name
        running: dict[int, int] = defaultdict(int)
        for product_id, delta in s.execute(select(StockMovement.product_id, StockMovement.delta)
                                           .where(StockMovement.tenant_id == tid)
                                           .order_by(StockMovement.created_at, StockMovement.id)):
            running[product_id] += delta
            assert running[product_id] >= 0  # stock never went below zero at any instant
        reasons = set(s.scalars(select(StockMovement.reason).where(StockMovement.tenant_id == tid)))
        assert {"initial", "order", "cancel", "restock"} <= reasons


@pytest.mark.xdist_group("small-demo")
def test_order_money_timeline_and_payments_are_consistent(small_demo: Demo):
    db, tid = small_demo.db, small_demo.counts["tenant_id"]
    with db.unit_of_work() as s:
        orders = {o.id: o for o in s.scalars(select(Order).where(Order.tenant_id == tid))}
        items = defaultdict(list)
        for it in s.scalars(select(OrderItem).where(OrderItem.tenant_id == tid)):
            items[it.order_id].append(it)
        events = defaultdict(list)
        for e in s.scalars(select(OrderEvent).where(OrderEvent.tenant_id == tid)
                           .order_by(OrderEvent.at, OrderEvent.id)):
            events[e.order_id].append(e)
        paid = {p.order_id: p for p in s.scalars(select(Payment).where(Payment.tenant_id == tid))}
        refunded = defaultdict(int)
        for r in s.scalars(select(Refund).where(Refund.tenant_id == tid)):
            refunded[r.order_id] += r.amount_fen
        charges = pairs(s.execute(select(SandboxTransaction.request_key, SandboxTransaction.amount_fen)
                                  .where(SandboxTransaction.kind == "charge")))
        member_community = pairs(s.execute(select(Member.id, Member.community_id).where(Member.tenant_id == tid)))
        point_community = pairs(s.execute(select(PickupPoint.id, PickupPoint.community_id)
                                          .where(PickupPoint.tenant_id == tid)))
        delivered = set(s.scalars(select(Delivery.order_id).where(Delivery.tenant_id == tid)))
    now = clock.now()
    for oid, o in orders.items():
        lines = items[oid]
        assert lines and all(it.amount_fen == it.unit_price_fen * it.quantity for it in lines)
        assert o.total_fen == sum(it.amount_fen for it in lines) == o.payable_fen + o.discount_fen
        assert o.refunded_fen == refunded[oid]
        actions = [e.action for e in events[oid]]
        # a point of the member's community, unless the pickup network moved the order to the nearest point with
        # room, or a micro-warehouse within reach delivers it (送货上门)
        if "relocated" not in actions and oid not in delivered:
            assert point_community[o.pickup_point_id] == member_community[o.member_id]
        assert actions[0] == "created" and events[oid][0].actor_role == "member"
        assert o.expires_at == o.created_at + timedelta(minutes=15)
        if o.paid_at is not None:
            assert "paid" in actions and re.fullmatch(r"\d{6}", o.pickup_code or "")
            assert paid[oid].amount_fen == o.payable_fen == charges[f"t{tid}:order:{oid}:charge"]
        else:
            assert oid not in paid and o.pickup_code is None
        if o.status == "picked_up":
            assert o.picked_up_at is not None and "picked_up" in actions and o.picked_up_at <= now
        if o.status == "refunded":
            assert o.refunded_fen == o.payable_fen and actions[-1] == "refunded" and o.closed_at is not None
            assert all(it.refunded_quantity == it.quantity for it in lines)
        if o.status == "cancelled":
            assert actions[-1] == "cancelled" and o.closed_at is not None
            if o.paid_at is None:
                assert events[oid][-1].actor_role == "system" and events[oid][-1].detail["reason"] == \
                    "payment_timeout"
        if o.status == "paid":
            assert o.picked_up_at is None and o.created_at > now - timedelta(days=4)
        if o.status == "pending_payment":
            assert o.created_at > now - timedelta(minutes=16)
        assert all(a.at <= b.at for a, b in zip(events[oid], events[oid][1:], strict=False))
        assert max(e.at for e in events[oid]) <= now


@pytest.mark.xdist_group("small-demo")
def test_same_seed_gives_the_same_data(small_demo: Demo, db: Database, tmp_path: Path):
    """A second load with the small demo's seed, scale and instant, into an empty database, writes the same data."""
    again = _load(db, tmp_path, small_demo.at, slug="demo", seed=7, scale=SCALE)
    a, b = small_demo.counts, again.counts
    assert a["orders"] == b["orders"] and a["orders_by_status"] == b["orders_by_status"]

    def snapshot(database: Database, tid: int) -> tuple[list[Any], list[Any]]:
        with database.unit_of_work() as s:
            names = s.execute(select(User.username, Member.name, Member.phone).join(Member, Member.user_id == User.id)
                              .where(User.tenant_id == tid).order_by(User.username)).all()
            orders = s.execute(select(Order.created_at, Order.status, Order.payable_fen, Order.pickup_code)
                               .where(Order.tenant_id == tid).order_by(Order.id)).all()
        return [tuple(r) for r in names], [tuple(r) for r in orders]

    first = snapshot(small_demo.db, a["tenant_id"])
    assert first == snapshot(db, b["tenant_id"])
    # another seed plans other people (the load writes the plan, so a third load would only repeat that)
    loaded = first[0]
    planned = [(m.name, m.phone) for m in plan_people(random.Random(7), small_demo.at, len(loaded)).members]
    assert sorted((name, phone) for _, name, phone in loaded) == sorted(planned)
    assert planned != [(m.name, m.phone) for m in plan_people(random.Random(8), small_demo.at, len(loaded)).members]


@pytest.mark.xdist_group("small-demo")
def test_loading_twice_is_a_no_op(small_demo: Demo, capsys):
    db, first = small_demo.db, small_demo.counts
    assert load(db, slug="demo", seed=7, scale=SCALE) is None
    assert "already loaded" in capsys.readouterr().out
    with db.unit_of_work() as s:
        assert s.scalar(select(func.count()).select_from(Tenant)) == 1
        assert s.scalar(select(func.count()).select_from(Order)) == first["orders"]


@pytest.mark.slow
@pytest.mark.xdist_group("full-demo")
def test_full_demo_loads_quickly_on_sqlite(full_demo_at_its_day: Demo):
    """The real `linli demo` data set, on its own SQLite file (once, not per backend), read as of its day."""
    db, counts, elapsed = full_demo_at_its_day.db, full_demo_at_its_day.counts, full_demo_at_its_day.seconds
    print(f"\nfull demo loaded in {elapsed:.1f}s: {counts}")
    assert counts is not None
    assert counts["communities"] >= 20 and counts["leaders"] >= 40
    assert counts["members"] >= 2000 and counts["products"] >= 200
    assert 15_000 <= counts["orders"] <= 40_000
    assert counts["order_days"] >= 85
    assert elapsed < 120
    with db.unit_of_work() as s:
        tid = counts["tenant_id"]
        assert s.scalar(select(func.count()).select_from(Leader).where(Leader.tenant_id == tid)) >= 40
        ledger = pairs(s.execute(select(StockMovement.product_id, func.sum(StockMovement.delta))
                                 .where(StockMovement.tenant_id == tid).group_by(StockMovement.product_id)))
        for product_id, on_hand in s.execute(select(Product.id, Product.stock).where(Product.tenant_id == tid)):
            assert ledger[product_id] == on_hand
        _black_card_is_the_top_tenth(s, tid)
        _loyalty_state_follows_the_history(s, tid)
        _campaigns_run_now(s, tid, clock.now())
        _member0001_has_a_history(s, tid, clock.now())


def _black_card_is_the_top_tenth(s: Any, tid: int) -> None:
    """黑卡 holders are exactly the top ceil(10 %) of members by net spend over the last 12 months, plus anyone
    tied with the last of them — recomputed here straight from the orders."""
    since = clock.now() - timedelta(days=366)
    spend = pairs(s.execute(
        select(Order.member_id, func.sum(Order.payable_fen - Order.refunded_fen))
        .where(Order.tenant_id == tid, Order.paid_at >= since, Order.status != "cancelled")
        .group_by(Order.member_id)))
    ranked = sorted((v for v in spend.values() if v > 0), reverse=True)
    cutoff = ranked[-(-len(ranked) // 10) - 1]
    expected = {m for m, v in spend.items() if v >= cutoff and v > 0}
    holders = set(s.scalars(select(MemberTier.member_id).where(MemberTier.tenant_id == tid,
                                                               MemberTier.black_card.is_(True))))
    assert holders == expected
    assert len(ranked) // 10 <= len(holders) <= len(ranked) // 10 + 5  # ties may add a few, never remove


def _loyalty_state_follows_the_history(s: Any, tid: int) -> None:
    stages = pairs(s.execute(select(MemberActivity.stage, func.count()).where(MemberActivity.tenant_id == tid)
                             .group_by(MemberActivity.stage)))
    assert sum(stages.values()) == 2000
    assert {"active", "silent", "core"} <= set(stages), stages  # the history has regulars and members who left
    tiers = pairs(s.execute(select(MemberTier.tier, func.count()).where(MemberTier.tenant_id == tid)
                            .group_by(MemberTier.tier)))
    assert {"regular", "silver"} <= set(tiers), tiers
    assert s.scalar(select(func.count()).select_from(Checkin).where(Checkin.tenant_id == tid)) > 500
    assert s.scalar(select(func.count()).select_from(GuardianAward).where(GuardianAward.tenant_id == tid)) > 0
