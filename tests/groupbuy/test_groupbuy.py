"""Group-buys: start, join, pay, succeed; no overfill; failed groups refund every paid member."""

from __future__ import annotations

from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from linli.core import clock
from linli.core.jobs import run_due
from linli.events import build_registry
from linli.payment import service as payment
from linli.schedule import DUE_JOBS


def _campaign(t, size=3, stock=50, **kw):
    product = t.product(stock=stock + 10, price_fen=3990)
    body = {"product_id": product["id"], "price_fen": 2990, "group_size": size, "time_limit_hours": 24,
            "stock": stock, **kw}
    return t.post("/group-buys", body), product


def _deliver(t, at=None):
    """Run due work (and deliver events) as of `at`."""
    return run_due(t.db, DUE_JOBS, build_registry(), at)


def _start(t, h, campaign_id):
    return t.post(f"/group-buys/{campaign_id}/groups", None, h)


def _join(t, h, group_id):
    return t.client.post(f"/api/v1/groups/{group_id}/join", headers=h)


def _pay(t, h, order_id):
    return t.post(f"/orders/{order_id}/pay", None, h, expect=200)


def _order(t, order_id):
    return t.client.get(f"/api/v1/orders/{order_id}", headers=t.op).json()


def _group(t, group_id):
    return t.client.get(f"/api/v1/groups/{group_id}", headers=t.op).json()


def test_full_and_paid_group_succeeds(make):
    t = make.tenant()
    campaign, _ = _campaign(t, size=3)
    hs = t.members(3)
    started = _start(t, hs[0], campaign["id"])
    orders = [started["order_id"]] + [_join(t, h, started["group_id"]).json()["order_id"] for h in hs[1:]]
    assert _order(t, orders[0])["payable_fen"] == 2990 and _order(t, orders[0])["source"] == "group_buy"
    for h, o in zip(hs[:2], orders[:2], strict=True):
        assert _pay(t, h, o)["status"] == "awaiting_group"
    _deliver(t)
    assert _group(t, started["group_id"])["status"] == "open"
    assert _order(t, orders[0])["status"] == "awaiting_group"
    _pay(t, hs[2], orders[2])
    _deliver(t)
    group = _group(t, started["group_id"])
    assert group["status"] == "succeeded" and group["members_count"] == 3 and group["paid_count"] == 3
    assert [e["action"] for e in group["timeline"]] == ["started", "joined", "joined", "paid", "paid", "paid",
                                                        "succeeded"]
    assert {_order(t, o)["status"] for o in orders} == {"paid"}
    assert "group_succeeded" in [e["action"] for e in _order(t, orders[0])["timeline"]]
    r = _join(t, t.members(1)[0], started["group_id"])
    assert r.status_code == 409 and r.json()["error"]["code"] == "group_closed"


def test_50_members_race_for_4_seats(make):
    t = make.tenant()
    campaign, _ = _campaign(t, size=5)
    hs = t.members(51)
    group_id = _start(t, hs[0], campaign["id"])["group_id"]

    def attempt(h):
        r = _join(t, h, group_id)
        return r.status_code, (r.json().get("error") or {}).get("code")

    with ThreadPoolExecutor(max_workers=25) as pool:
        results = Counter(pool.map(attempt, hs[1:]))
    assert results == {(201, None): 4, (409, "group_full"): 46}
    group = _group(t, group_id)
    assert group["members_count"] == 5
    assert t.client.get(f"/api/v1/group-buys/{campaign['id']}", headers=t.op).json()["held"] == 5


def test_one_seat_per_member(make):
    t = make.tenant()
    campaign, _ = _campaign(t, size=4)
    a, b = t.members(2)
    group_id = _start(t, a, campaign["id"])["group_id"]
    r = _join(t, a, group_id)
    assert r.status_code == 409 and r.json()["error"]["code"] == "already_joined"
    with ThreadPoolExecutor(max_workers=8) as pool:
        codes = Counter(r.status_code for r in pool.map(lambda _: _join(t, b, group_id), range(8)))
    assert codes == {201: 1, 409: 7}
    assert _group(t, group_id)["members_count"] == 2


def test_group_short_at_deadline_fails_and_refunds_everyone_despite_a_failed_refund(make):
    t = make.tenant()
    campaign, _ = _campaign(t, size=5, stock=10)
    hs = t.members(4)
    started = _start(t, hs[0], campaign["id"])
    orders = [started["order_id"]] + [_join(t, h, started["group_id"]).json()["order_id"] for h in hs[1:]]
    for h, o in zip(hs[:3], orders[:3], strict=True):
        _pay(t, h, o)
    _deliver(t)
    deadline = clock.now() + timedelta(hours=24, seconds=1)
    payment.sandbox().fail_next("refund")  # the first refund attempt is declined
    done = _deliver(t, deadline)
    assert done["groupbuy.settle_deadlines"] == 1
    group = _group(t, started["group_id"])
    assert group["status"] == "failed"
    statuses = [_order(t, o)["status"] for o in orders]
    assert statuses.count("refunded") == 2 and statuses.count("awaiting_group") == 1  # one refund to retry
    assert statuses[3] == "cancelled"  # the unpaid seat
    _deliver(t, deadline + timedelta(minutes=5))  # the retry is due
    assert [_order(t, o)["status"] for o in orders] == ["refunded", "refunded", "refunded", "cancelled"]
    assert [_order(t, o)["refunded_fen"] for o in orders[:3]] == [2990, 2990, 2990]
    # every member left; the campaign has its units back
    assert t.client.get(f"/api/v1/group-buys/{campaign['id']}", headers=t.op).json()["held"] == 0
    assert "failed" in [e["action"] for e in group["timeline"]]


def test_virtual_fill_succeeds_at_the_deadline(make):
    t = make.tenant()
    campaign, _ = _campaign(t, size=5, virtual_fill_percent=60)
    hs = t.members(4)
    started = _start(t, hs[0], campaign["id"])
    orders = [started["order_id"]] + [_join(t, h, started["group_id"]).json()["order_id"] for h in hs[1:]]
    for h, o in zip(hs[:3], orders[:3], strict=True):
        _pay(t, h, o)
    _deliver(t, clock.now() + timedelta(hours=25))
    assert _group(t, started["group_id"])["status"] == "succeeded"
    assert [_order(t, o)["status"] for o in orders] == ["paid", "paid", "paid", "cancelled"]


def test_unpaid_seat_is_freed_when_its_order_expires(make):
    t = make.tenant()
    campaign, _ = _campaign(t, size=2)
    a, b, c = t.members(3)
    started = _start(t, a, campaign["id"])
    _join(t, b, started["group_id"])
    assert _join(t, c, started["group_id"]).json()["error"]["code"] == "group_full"
    _deliver(t, clock.now() + timedelta(minutes=16))  # both unpaid orders expire
    assert _group(t, started["group_id"])["members_count"] == 0
    assert _join(t, c, started["group_id"]).status_code == 201


def test_progress_counts_members_by_community(make):
    t = make.tenant()
    campaign, _ = _campaign(t, size=3)
    east = t.community(name="东区", lat=30.30, lng=120.20)["id"]
    west = t.community(name="西区", lat=30.25, lng=120.10)["id"]
    e1, e2 = t.members(2, community_id=east)
    (w1,) = t.members(1, community_id=west)
    g = _start(t, e1, campaign["id"])["group_id"]
    _join(t, e2, g)
    _start(t, w1, campaign["id"])
    progress = t.client.get(f"/api/v1/group-buys/{campaign['id']}/progress", headers=e1).json()
    assert len(progress["open_groups"]) == 2
    assert all(0 < og["time_left_seconds"] <= 24 * 3600 for og in progress["open_groups"])
    assert [(c["name"], c["members"]) for c in progress["communities"]] == [("东区", 2), ("西区", 1)]


def test_campaign_runs_out_of_units(make):
    t = make.tenant()
    campaign, product = _campaign(t, size=2, stock=2)
    a, b, c = t.members(3)
    g = _start(t, a, campaign["id"])["group_id"]
    assert _join(t, b, g).status_code == 201
    r = t.client.post(f"/api/v1/group-buys/{campaign['id']}/groups", headers=c)
    assert r.status_code == 409 and r.json()["error"]["code"] == "sold_out"
    closed = t.post(f"/group-buys/{campaign['id']}/close", None, t.op, expect=200)
    assert closed["status"] == "closed"
    assert t.client.get(f"/api/v1/products/{product['id']}", headers=t.op).json()["stock"] == 10


def _product_stock(t, product_id):
    return t.client.get(f"/api/v1/products/{product_id}", headers=t.op).json()["stock"]


def test_closing_a_campaign_with_no_seats_returns_every_unit(make):
    t = make.tenant()
    campaign, product = _campaign(t, size=3, stock=6)
    assert _product_stock(t, product["id"]) == 10
    closed = t.post(f"/group-buys/{campaign['id']}/close", None, t.op, expect=200)
    assert (closed["status"], closed["stock"], closed["held"], closed["remaining"]) == ("closed", 0, 0, 0)
    assert _product_stock(t, product["id"]) == 16
    again = t.post(f"/group-buys/{campaign['id']}/close", None, t.op, expect=200)  # closing twice changes nothing
    assert (again["stock"], _product_stock(t, product["id"])) == (0, 16)


def test_closing_with_open_groups_returns_their_units_when_they_fail(make):
    """Close while groups are open: the free units go back now; the seats' units when their group fails
    (paid seats refunded, unpaid cancelled) — down to a campaign holding nothing."""
    t = make.tenant()
    campaign, product = _campaign(t, size=3, stock=6)
    a, b, c = t.members(3)
    first = _start(t, a, campaign["id"])
    _join(t, b, first["group_id"])
    second = _start(t, c, campaign["id"])
    _pay(t, a, first["order_id"])
    closed = t.post(f"/group-buys/{campaign['id']}/close", None, t.op, expect=200)
    assert (closed["stock"], closed["held"]) == (3, 3)
    assert _product_stock(t, product["id"]) == 13
    _deliver(t, clock.now() + timedelta(hours=24, seconds=1))  # both groups fail at their deadline
    assert _group(t, first["group_id"])["status"] == "failed" and _group(t, second["group_id"])["status"] == "failed"
    assert _order(t, first["order_id"])["status"] == "refunded"
    assert _order(t, second["order_id"])["status"] == "cancelled"
    after = t.client.get(f"/api/v1/group-buys/{campaign['id']}", headers=t.op).json()
    assert (after["status"], after["stock"], after["held"]) == ("closed", 0, 0)
    assert _product_stock(t, product["id"]) == 16


def test_a_group_price_at_or_above_list_price_is_refused_and_sets_nothing_aside(make):
    t = make.tenant()
    product = t.product(stock=20, price_fen=1000)
    for price in (1000, 1200):
        r = t.client.post("/api/v1/group-buys", headers=t.op, json={
            "product_id": product["id"], "price_fen": price, "group_size": 3, "time_limit_hours": 24, "stock": 5})
        assert r.status_code == 422 and r.json()["error"]["code"] == "price_not_below_list", r.text
    assert _product_stock(t, product["id"]) == 20
    assert t.client.get("/api/v1/group-buys", headers=t.op).json()["items"] == []
