"""The reads the alerts and the crisis compensation make of other domains, on real rows made through those
domains' APIs at chosen instants: exact counts, both window edges ([start, end): start in, end out) and
tenant isolation (another tenant's rows, made in the same window, never counted)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select

from linli.core import clock
from linli.core.jobs import run_due
from linli.core.outbox import drain
from linli.core.runtime import get_runtime
from linli.coupon import service as coupons
from linli.events import build_registry
from linli.flashsale import service as flashsales
from linli.groupbuy import service as groupbuys
from linli.groupbuy.settlement import expire
from linli.models import Alert
from linli.moderation import service as moderation
from linli.order import service as orders
from linli.points import service as points
from linli.schedule import DUE_JOBS
from tests.alert.helpers import point_of
from tests.factories import Factory, TenantKit

S = clock.as_utc(datetime(2026, 9, 19, 0, 0))  # the window [S, E): a Shanghai day
E = S + timedelta(days=1)
SEC = timedelta(seconds=1)
HOUR = timedelta(hours=1)


def at(instant: datetime) -> None:
    """Every thread (the test client's too) reads this instant from now on."""
    clock.set_process_time(instant)


def deliver(t: TenantKit, instant: datetime) -> None:
    """Deliver the outbox as of `instant` (reactions such as a group's success or a sale's release)."""
    at(instant)
    drain(t.db, build_registry())


def member_id(h: dict[str, str]) -> int:
    p = get_runtime().signer.verify(h["Authorization"].split()[1])
    assert p.member_id is not None
    return p.member_id


def read(t: TenantKit, fn: Any, *args: Any, **kw: Any) -> Any:
    with t.db.unit_of_work() as s:
        return fn(s, *args, **kw)


def ok(r: Any, status: int = 200) -> Any:
    assert r.status_code == status, r.text
    return r.json()


# --- group-buys: (succeeded, failed) by the instant the group closed ----------------------------------

def _campaign(t: TenantKit) -> int:
    product = t.product(stock=100, price_fen=3990)
    return t.post("/group-buys", {"product_id": product["id"], "price_fen": 2990, "group_size": 2,
                                  "time_limit_hours": 24, "stock": 50})["id"]


def _succeed(t: TenantKit, campaign_id: int, closes_at: datetime) -> None:
    """Two members start, join and pay just before `closes_at`; the payment's reaction closes it then."""
    at(closes_at - HOUR)
    a, b = t.members(2)
    started = t.post(f"/group-buys/{campaign_id}/groups", None, a)
    joined = ok(t.client.post(f"/api/v1/groups/{started['group_id']}/join", headers=b), 201)
    for h, order_id in ((a, started["order_id"]), (b, joined["order_id"])):
        t.post(f"/orders/{order_id}/pay", None, h, expect=200)
    deliver(t, closes_at)
    assert t.client.get(f"/api/v1/groups/{started['group_id']}", headers=t.op).json()["status"] == "succeeded"


def _start_alone(t: TenantKit, campaign_id: int, started_at: datetime) -> int:
    """One member starts a group of 2 at `started_at`: it fails at its 24-hour deadline."""
    at(started_at)
    (h,) = t.members(1)
    return int(t.post(f"/group-buys/{campaign_id}/groups", None, h)["group_id"])


def test_groupbuy_outcomes_count_groups_by_their_close(make: Factory) -> None:
    t, other = make.tenant(), make.tenant()
    campaign, theirs = _campaign(t), _campaign(other)
    _succeed(t, campaign, S - SEC)  # the day before: out
    _succeed(t, campaign, S)  # in
    _succeed(other, theirs, S + HOUR)  # another tenant's: never counted
    early = _start_alone(t, campaign, S - 25 * HOUR)  # deadline S - 1 h, settled at E - 1 s: in
    late = _start_alone(t, campaign, E - 24 * HOUR)  # deadline E, settled at E: out
    at(E - SEC)  # as run_due does: the job's instant is the clock's
    assert expire(t.db, E - SEC) == 1  # the late group is still open at E - 1 s
    at(E)
    assert expire(t.db, E) == 1
    assert {t.client.get(f"/api/v1/groups/{g}", headers=t.op).json()["status"] for g in (early, late)} == {"failed"}
    assert read(t, groupbuys.outcomes, t.tenant_id, S, E) == (1, 1)
    assert read(t, groupbuys.outcomes, t.tenant_id, S - HOUR, E + HOUR) == (2, 2)
    assert read(t, groupbuys.outcomes, other.tenant_id, S, E) == (1, 0)


# --- flash sales: (purchases made in the window, of those released by cancel or refund) ------------

def _sale(t: TenantKit) -> int:
    at(S - 2 * HOUR)
    product = t.product(stock=50, price_fen=2990)
    return int(t.post("/flash-sales", {"product_id": product["id"], "price_fen": 990, "quantity": 20,
                                       "per_member_limit": 1, "starts_at": (S - HOUR).isoformat(),
                                       "ends_at": (E + HOUR).isoformat()})["id"])


def _buy(t: TenantKit, sale_id: int, when: datetime) -> tuple[dict[str, str], int]:
    at(when)
    (h,) = t.members(1)
    bought = ok(t.client.post(f"/api/v1/flash-sales/{sale_id}/purchase", headers=h, json={"quantity": 1}), 201)
    return h, int(bought["order_id"])


def test_flashsale_purchase_releases_by_purchase_instant(make: Factory) -> None:
    t, other = make.tenant(), make.tenant()
    sale, theirs = _sale(t), _sale(other)
    _buy(t, sale, S - SEC)  # out
    _buy(t, sale, S)  # in, kept
    h, cancelled = _buy(t, sale, S + HOUR)  # in, cancelled by the member: released
    t.post(f"/orders/{cancelled}/cancel", {"reason": "不要了"}, h, expect=200)
    h, refunded = _buy(t, sale, S + 2 * HOUR)  # in, paid then refunded: released
    t.post(f"/orders/{refunded}/pay", None, h, expect=200)
    t.post(f"/orders/{refunded}/refund", {"reason": "质量问题"}, expect=200)
    _buy(t, sale, E - SEC)  # in, kept
    h, after = _buy(t, sale, E)  # out, though released
    t.post(f"/orders/{after}/cancel", None, h, expect=200)
    h, theirs_cancelled = _buy(other, theirs, S + HOUR)
    other.post(f"/orders/{theirs_cancelled}/cancel", None, h, expect=200)
    deliver(t, E + HOUR)
    assert read(t, flashsales.purchase_releases, t.tenant_id, S, E) == (4, 2)
    assert read(t, flashsales.purchase_releases, t.tenant_id, S - SEC, E + SEC) == (6, 3)
    assert read(t, flashsales.purchase_releases, other.tenant_id, S, E) == (1, 1)


# --- coupons used on orders, by the instant of use (a use undone by a cancellation is not one) ------

def _coupon_buyer(t: TenantKit) -> tuple[dict[str, str], int, int]:
    """A member holding one 满50减10 coupon, and a product of 60 yuan: (headers, member coupon, product)."""
    at(S - 2 * HOUR)
    template = t.post("/coupons", {"name": "满50减10", "discount_fen": 1000, "min_spend_fen": 5000, "total": 100,
                                   "per_member_limit": 1, "valid_from": (S - 3 * HOUR).isoformat(),
                                   "valid_to": (E + 2 * HOUR).isoformat()})
    product = t.product(stock=100, price_fen=6000)
    (h,) = t.members(1)
    mc = ok(t.client.post(f"/api/v1/coupons/{template['id']}/claim", headers=h), 201)["member_coupon_id"]
    return h, int(mc), int(product["id"])


def _order_with_coupon(t: TenantKit, when: datetime) -> tuple[dict[str, str], int]:
    h, mc, product_id = _coupon_buyer(t)
    at(when)
    order = t.post("/orders", {"items": [{"product_id": product_id, "quantity": 1}], "coupon_id": mc}, h)
    assert order["coupon_id"] == mc and order["payable_fen"] == 5000
    return h, int(order["id"])


def test_coupons_used_between_counts_uses_in_the_window(make: Factory) -> None:
    t, other = make.tenant(), make.tenant()
    _order_with_coupon(t, S - SEC)  # out
    _order_with_coupon(t, S)  # in
    _order_with_coupon(t, E - SEC)  # in
    _order_with_coupon(t, E)  # out
    h, undone = _order_with_coupon(t, S + HOUR)  # used, then given back by the cancellation
    t.post(f"/orders/{undone}/cancel", None, h, expect=200)
    _order_with_coupon(other, S + HOUR)
    deliver(t, E + HOUR)
    assert read(t, coupons.used_between, t.tenant_id, S, E) == 2
    assert read(t, coupons.used_between, t.tenant_id, S - SEC, E + SEC) == 4
    assert read(t, coupons.used_between, other.tenant_id, S, E) == 1


# --- points redeemed: (redemptions, points) by the redemption's instant -----------------------------

def _redeem(t: TenantKit, amount: int, when: datetime) -> None:
    at(when - HOUR)
    (h,) = t.members(1)
    with t.db.unit_of_work() as s:
        points.grant(s, t.tenant_id, member_id(h), 1000, "测试发放", f"test:{member_id(h)}")
    at(when)
    t.post("/points/redemptions", {"kind": "charity", "amount": amount}, h)


def test_points_redeemed_between_sums_the_window(make: Factory) -> None:
    t, other = make.tenant(), make.tenant()
    for amount, when in ((800, S - SEC), (100, S), (200, E - SEC), (400, E)):
        _redeem(t, amount, when)
    _redeem(other, 50, S + HOUR)
    assert read(t, points.redeemed_between, t.tenant_id, S, E) == (2, 300)
    assert read(t, points.redeemed_between, t.tenant_id, S - SEC, E + SEC) == (4, 1500)
    assert read(t, points.redeemed_between, other.tenant_id, S, E) == (1, 50)


# --- the buyers of a product: paid or picked up, paid in the window, at the points given -------------

def _bought(t: TenantKit, h: dict[str, str], product_id: int, paid_at: datetime | None) -> int:
    """An order of one unit, paid at `paid_at` (None: left unpaid)."""
    at((paid_at or S) - 10 * SEC)
    order_id = int(t.post("/orders", {"items": [{"product_id": product_id, "quantity": 1}]}, h)["id"])
    if paid_at is not None:
        at(paid_at)
        t.post(f"/orders/{order_id}/pay", None, h, expect=200)
    return order_id


def test_buyers_of_product_in_the_window_and_at_the_points(make: Factory) -> None:
    t, other = make.tenant(), make.tenant()
    here, there = t.community(), t.community()
    at(S - HOUR)
    product, unrelated = t.product(stock=100)["id"], t.product(stock=100)["id"]
    first, repeat, late, early, refunded, unpaid, elsewhere, picked, wrong = (
        t.members(1, here["id"])[0] for _ in range(9))
    far = t.members(1, there["id"])[0]
    _bought(t, first, product, S)  # in
    _bought(t, repeat, product, S + HOUR)  # in, twice: once
    _bought(t, repeat, product, S + 2 * HOUR)
    _bought(t, late, product, E)  # out
    _bought(t, early, product, S - SEC)  # out
    gone = _bought(t, refunded, product, S + HOUR)  # refunded in full: out
    at(S + 2 * HOUR)
    t.post(f"/orders/{gone}/refund", {"reason": "缺货"}, expect=200)
    _bought(t, unpaid, product, None)  # never paid: out
    _bought(t, wrong, unrelated, S + HOUR)  # another product: out
    _bought(t, far, product, E - SEC)  # in, at the other community's point
    collected = _bought(t, picked, product, S + 3 * HOUR)  # in, picked up
    code = ok(t.client.get(f"/api/v1/orders/{collected}", headers=picked))["pickup_code"]
    t.post(f"/orders/{collected}/pickup", {"code": code}, expect=200)
    at(S - HOUR)
    theirs = other.product(stock=10)["id"]
    _bought(other, other.members(1)[0], theirs, S + HOUR)

    in_window = sorted(member_id(h) for h in (first, repeat, far, picked))
    assert read(t, orders.buyers_of_product, t.tenant_id, product, S, E) == in_window
    assert read(t, orders.buyers_of_product, t.tenant_id, product, S, E, [point_of(t, here["id"])]) == sorted(
        member_id(h) for h in (first, repeat, picked))
    assert read(t, orders.buyers_of_product, t.tenant_id, product, S, E, [point_of(t, there["id"])]) == [
        member_id(far)]
    assert read(t, orders.buyers_of_product, t.tenant_id, product, S, E, []) == []
    assert read(t, orders.buyers_of_product, t.tenant_id, theirs, S, E) == []  # another tenant's product
    assert read(t, orders.buyers_of_product, other.tenant_id, product, S, E) == []


# --- end to end, nothing replaced: breaches and screened texts of one day raise the next day's alerts ---

def _alerts(t: TenantKit) -> dict[str, tuple[float, int, datetime]]:
    with t.db.unit_of_work() as s:
        rows = s.scalars(select(Alert).where(Alert.tenant_id == t.tenant_id, Alert.status == "open"))
        return {a.metric: (a.value, a.base, clock.as_utc(a.window_start)) for a in rows}


def test_real_sla_breaches_and_screened_hits_raise_alerts_through_the_due_jobs(make: Factory) -> None:
    t, other = make.tenant(), make.tenant()
    for kit in (t, other):
        at(S + 9 * HOUR)
        _, h = kit.member()
        kit.post("/feedback/tickets", {"category": "商品质量", "text": "买的苹果有两个烂了，希望处理一下"}, h)
    run_due(t.db, DUE_JOBS, build_registry(), S + 10 * HOUR + SEC)  # no first reply within the hour
    at(S + 12 * HOUR)
    with t.db.unit_of_work() as s:
        verdicts = [moderation.screen(s, t.tenant_id, subject_kind="comment", subject_id=i, text=f"加微信聊{i}")
                    for i in range(1, 6)]
        verdicts.append(moderation.screen(s, t.tenant_id, subject_kind="comment", subject_id=6, text="草莓很甜"))
        moderation.screen(s, other.tenant_id, subject_kind="comment", subject_id=1, text="加微信聊")
    assert [v.decision for v in verdicts] == ["review"] * 5 + ["pass"]
    assert read(t, moderation.hit_count, t.tenant_id, since=S, until=E) == 5
    assert read(t, moderation.hit_count, t.tenant_id, since=S + 12 * HOUR + SEC, until=E) == 0
    assert read(t, moderation.hit_count, other.tenant_id, since=S, until=E) == 1

    next_morning = E + 10 * HOUR
    at(next_morning)
    assert run_due(t.db, DUE_JOBS, build_registry(), next_morning)["alert.run_due"] >= 2
    raised = _alerts(t)
    assert raised["sla_breaches"] == (1, 1, S)  # one breach, the other tenant's not counted
    assert raised["sensitive_spike"] == (500.0, 5, S)  # 5 hits against a quiet week (counted as 1 a day)
    assert _alerts(other)["sla_breaches"] == (1, 1, S) and "sensitive_spike" not in _alerts(other)  # 1 < 5
