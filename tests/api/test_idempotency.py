"""Idempotency-Key: a repeat (same key, same principal) answers the first response and has no second
effect, also when the repeats arrive at the same moment."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from sqlalchemy import text

from linli.core.db import Database
from tests.api.conftest import API, SPOT, Populated, assert_error, coupon_body, populate, populated, row_counts
from tests.factories import PASSWORD

THREADS = 20


def _count(db: Database, sql: str, **params: Any) -> int:
    with db.engine.connect() as conn:
        return int(conn.execute(text(sql), params).scalar_one())


def _orders_of(db: Database, member_id: int) -> int:
    return _count(db, "SELECT count(*) FROM orders WHERE member_id = :m", m=member_id)


def _movements(db: Database, product_id: int) -> int:
    return _count(db, "SELECT count(*) FROM stock_movements WHERE product_id = :p AND reason = 'order'",
                  p=product_id)


def _payments(db: Database, order_id: int) -> int:
    return _count(db, "SELECT count(*) FROM payments WHERE order_id = :o", o=order_id)


def _stock(w: Populated, product_id: int) -> int:
    return w.get(f"/products/{product_id}")["stock"]


def _key(h: dict[str, str], key: str) -> dict[str, str]:
    return {**h, "Idempotency-Key": key}


@pytest.fixture
def w(make: Any) -> Populated:
    return populated(make)[0]


@pytest.fixture
def product(w: Populated) -> int:
    return w.t.product(stock=10, price_fen=700)["id"]


def test_a_repeated_order_answers_the_first_response_and_orders_once(client: Any, db: Database, w: Populated,
                                                                     product: int) -> None:
    body = {"items": [{"product_id": product, "quantity": 2}], "pickup_point_id": w.point_id}
    before = _orders_of(db, w.member_id)
    first = client.post(f"{API}/orders", json=body, headers=_key(w.member_h, "order-1"))
    assert first.status_code == 201, first.text
    assert first.json()["status"] == "pending_payment" and first.json()["payable_fen"] == 1400
    assert "idempotent-replayed" not in first.headers
    for _ in range(3):
        again = client.post(f"{API}/orders", json=body, headers=_key(w.member_h, "order-1"))
        assert (again.status_code, again.json()) == (first.status_code, first.json())
        assert again.headers["idempotent-replayed"] == "true"
    assert _orders_of(db, w.member_id) == before + 1
    assert _stock(w, product) == 8
    assert _movements(db, product) == 1
    # without a key, the same body is a new order
    other = client.post(f"{API}/orders", json=body, headers=w.member_h)
    assert other.status_code == 201 and other.json()["id"] != first.json()["id"]
    assert _stock(w, product) == 6


def test_the_same_key_for_another_request_is_refused(client: Any, db: Database, w: Populated,
                                                     product: int) -> None:
    body = {"items": [{"product_id": product, "quantity": 1}]}
    first = client.post(f"{API}/orders", json=body, headers=_key(w.member_h, "k"))
    assert first.status_code == 201
    counts = row_counts(db)
    for other_body in ({"items": [{"product_id": product, "quantity": 2}]},
                       {"items": [{"product_id": product, "quantity": 1}], "pickup_point_id": w.point_id},
                       {"items": [{"product_id": w.product_id, "quantity": 1}]}):
        r = client.post(f"{API}/orders", json=other_body, headers=_key(w.member_h, "k"))
        assert_error(r, 422, "idempotency_key_reused")
    # the same key on another operation is another request too
    r = client.post(f"{API}/orders/{first.json()['id']}/pay", headers=_key(w.member_h, "k"))
    assert_error(r, 422, "idempotency_key_reused")
    assert row_counts(db) == counts
    assert _stock(w, product) == 9


def test_keys_belong_to_their_principal(client: Any, db: Database, make: Any, w: Populated,
                                       product: int) -> None:
    other, _ = w.t.member(w.community_id)
    other_h = w.t.login(other["username"], PASSWORD)
    body = {"items": [{"product_id": product, "quantity": 1}]}
    mine = client.post(f"{API}/orders", json=body, headers=_key(w.member_h, "shared-key"))
    theirs = client.post(f"{API}/orders", json=body, headers=_key(other_h, "shared-key"))
    assert mine.status_code == theirs.status_code == 201
    assert mine.json()["id"] != theirs.json()["id"]
    assert theirs.json()["member_id"] == other["id"] and mine.json()["member_id"] == w.member_id
    assert "idempotent-replayed" not in theirs.headers
    assert _stock(w, product) == 8 and _movements(db, product) == 2
    # the same key in another tenant is independent as well
    t2 = populate(make, "idem-other")
    r = client.post(f"{API}/orders", json={"items": [{"product_id": t2.product_id, "quantity": 1}]},
                    headers=_key(t2.member_h, "shared-key"))
    assert r.status_code == 201 and "idempotent-replayed" not in r.headers


def test_a_repeated_payment_charges_once(client: Any, db: Database, w: Populated, product: int) -> None:
    order = client.post(f"{API}/orders", json={"items": [{"product_id": product, "quantity": 3}]},
                        headers=w.member_h).json()
    first = client.post(f"{API}/orders/{order['id']}/pay", headers=_key(w.member_h, "pay-1"))
    assert first.status_code == 200 and first.json()["status"] == "paid"
    for _ in range(3):
        again = client.post(f"{API}/orders/{order['id']}/pay", headers=_key(w.member_h, "pay-1"))
        assert (again.status_code, again.json()) == (200, first.json())
    assert _payments(db, order["id"]) == 1
    assert _count(db, "SELECT count(*) FROM sandbox_transactions WHERE kind = 'charge' AND amount_fen = 2100") == 1
    # a second payment without the key is a real second attempt, and is refused
    assert_error(client.post(f"{API}/orders/{order['id']}/pay", headers=w.member_h), 409, "not_payable")


def test_a_failed_request_does_not_use_up_its_key(client: Any, db: Database, w: Populated,
                                                  product: int) -> None:
    """A failed request changes nothing, its key included: the retry after the fix goes through."""
    body = {"items": [{"product_id": product, "quantity": 12}]}
    r = client.post(f"{API}/orders", json=body, headers=_key(w.member_h, "retry"))
    assert_error(r, 409, "insufficient_stock")
    client.post(f"{API}/products/{product}/stock-adjustments", json={"delta": 5}, headers=w.op)
    r = client.post(f"{API}/orders", json=body, headers=_key(w.member_h, "retry"))
    assert r.status_code == 201, r.text
    assert _stock(w, product) == 3


def test_key_length_is_bounded(client: Any, db: Database, w: Populated, product: int) -> None:
    counts = row_counts(db)
    r = client.post(f"{API}/orders", json={"items": [{"product_id": product, "quantity": 1}]},
                    headers=_key(w.member_h, "k" * 201))
    assert_error(r, 422, "validation_error")
    assert row_counts(db) == counts
    r = client.post(f"{API}/orders", json={"items": [{"product_id": product, "quantity": 1}]},
                    headers=_key(w.member_h, "k" * 200))
    assert r.status_code == 201


def _all_at_once(url: str, method: str, json: Any, headers: dict[str, str]) -> list[httpx.Response]:
    """THREADS identical requests released together against the real server."""
    gate = threading.Barrier(THREADS)

    def one(_: int) -> httpx.Response:
        with httpx.Client(timeout=120) as c:
            gate.wait()
            return c.request(method, url, json=json, headers=headers)

    with ThreadPoolExecutor(THREADS) as pool:
        return list(pool.map(one, range(THREADS)))


def test_concurrent_repeats_order_once(live_server: str, db: Database, w: Populated, product: int) -> None:
    body = {"items": [{"product_id": product, "quantity": 3}], "pickup_point_id": w.point_id}
    before = _orders_of(db, w.member_id)
    answers = _all_at_once(f"{live_server}{API}/orders", "POST", body, _key(w.member_h, "burst"))
    first = answers[0]
    assert first.status_code == 201, first.text
    assert all((r.status_code, r.json()) == (201, first.json()) for r in answers), [r.text for r in answers]
    assert sum(r.headers.get("idempotent-replayed") == "true" for r in answers) == THREADS - 1
    assert _orders_of(db, w.member_id) == before + 1
    assert _stock(w, product) == 7
    assert _movements(db, product) == 1


def test_concurrent_repeats_pay_once(live_server: str, db: Database, w: Populated, product: int) -> None:
    with httpx.Client(base_url=live_server) as c:
        order = c.post(f"{API}/orders", json={"items": [{"product_id": product, "quantity": 1}]},
                       headers=w.member_h).json()
    answers = _all_at_once(f"{live_server}{API}/orders/{order['id']}/pay", "POST", None,
                           _key(w.member_h, "pay-burst"))
    assert all((r.status_code, r.json()) == (200, {"id": order["id"], "status": "paid"}) for r in answers), [
        r.text for r in answers]
    assert _payments(db, order["id"]) == 1


# --- the loyalty moves: points, coupons and the leader's commission withdrawal ----------------------------

@dataclass
class Move:
    """One POST that moves points or coupons: what to send, as whom, and a reading of what it moved."""

    url: str
    body: Any
    headers: dict[str, str]
    status: int
    effect: Callable[[], tuple[int, ...]]
    other_body: Any = None  # a different request under the same key, when the route takes a body


def _move(name: str, db: Database, w: Populated) -> Move:
    newcomer, newcomer_h = w.t.member(w.community_id)
    nid, invitee = newcomer["id"], w.invitee_member_id

    def held(member_id: int, template_id: int) -> int:
        return _count(db, "SELECT count(*) FROM member_coupons WHERE member_id = :m AND template_id = :t",
                      m=member_id, t=template_id)

    def balance(member_id: int) -> int:
        return int(w.get(f"/members/{member_id}/points")["balance"])

    if name == "grant":
        body = {"member_id": invitee, "amount": 30, "reason": "活动奖励"}
        return Move("/points/grants", body, w.op, 201, lambda: (
            balance(invitee), _count(db, "SELECT count(*) FROM points_transactions WHERE member_id = :m "
                                         "AND kind = 'grant'", m=invitee)), {**body, "amount": 31})
    if name == "redemption":
        body = {"amount": 100, "kind": "goods", "item_id": w.catalog_item_id, "quantity": 1}
        return Move("/points/redemptions", body, w.member_h, 201, lambda: (
            balance(w.member_id), w.get(f"/points/catalog-items/{w.catalog_item_id}")["stock"],
            _count(db, "SELECT count(*) FROM points_redemptions WHERE member_id = :m", m=w.member_id)),
            {"amount": 100, "kind": "charity"})
    if name == "claim":
        return Move(f"/coupons/{w.coupon_id}/claim", None, newcomer_h, 201, lambda: (
            held(nid, w.coupon_id), w.get(f"/coupons/{w.coupon_id}")["claimed"]))
    if name == "checkin":
        return Move("/checkins", None, newcomer_h, 201, lambda: (
            _count(db, "SELECT count(*) FROM checkins WHERE member_id = :m", m=nid), balance(nid)))
    if name == "geo-checkin":
        body = {"spot_id": w.spot_id, "lat": SPOT[0], "lng": SPOT[1]}
        return Move("/geo-checkins", body, newcomer_h, 201, lambda: (
            _count(db, "SELECT count(*) FROM geo_checkins WHERE member_id = :m", m=nid),
            held(nid, w.geo_coupon_id)), {**body, "lat": SPOT[0] + 0.001})
    if name == "withdrawal":
        def account() -> tuple[int, ...]:
            mine = w.get("/leader/commission", w.leader_h)
            return (mine["available_fen"], mine["held_fen"],
                    len(w.get("/withdrawals", w.leader_h, limit=200)["items"]))
        return Move("/leader/withdrawals", {"amount_fen": 1}, w.leader_h, 201, account, {"amount_fen": 2})
    assert name == "issue"
    template = w.t.post("/coupons", {**coupon_body("可叠领"), "per_member_limit": 5})["id"]
    body = {"member_ids": [invitee]}
    return Move(f"/coupons/{template}/issue", body, w.op, 200, lambda: (
        held(invitee, template), w.get(f"/coupons/{template}")["claimed"]), {"member_ids": [invitee, nid]})


LOYALTY_MOVES = ["grant", "redemption", "claim", "checkin", "geo-checkin", "issue", "withdrawal"]


@pytest.mark.parametrize("name", LOYALTY_MOVES)
def test_a_repeated_loyalty_move_happens_once(name: str, client: Any, db: Database, w: Populated) -> None:
    m = _move(name, db, w)
    before = m.effect()
    first = client.post(f"{API}{m.url}", json=m.body, headers=_key(m.headers, f"{name}-1"))
    assert first.status_code == m.status, first.text
    assert "idempotent-replayed" not in first.headers
    moved = m.effect()
    assert moved != before and all(x != y for x, y in zip(moved, before, strict=True)), (before, moved)
    for _ in range(3):
        again = client.post(f"{API}{m.url}", json=m.body, headers=_key(m.headers, f"{name}-1"))
        assert (again.status_code, again.json()) == (first.status_code, first.json())
        assert again.headers["idempotent-replayed"] == "true"
    assert m.effect() == moved
    counts = row_counts(db)
    if m.other_body is not None:  # the same key for a different request is refused and does nothing
        r = client.post(f"{API}{m.url}", json=m.other_body, headers=_key(m.headers, f"{name}-1"))
        assert_error(r, 422, "idempotency_key_reused")
    r = client.post(f"{API}/orders", json={"items": [{"product_id": w.product_id, "quantity": 1}]},
                    headers=_key(m.headers, f"{name}-1"))
    assert r.status_code in (403, 422), r.text  # operators may not order; members reuse the key
    if r.status_code == 422:
        assert_error(r, 422, "idempotency_key_reused")
    assert row_counts(db) == counts
    assert m.effect() == moved


@pytest.mark.parametrize("name", ["grant", "redemption", "claim", "checkin", "issue", "withdrawal"])
def test_concurrent_loyalty_repeats_move_once(name: str, live_server: str, db: Database, w: Populated) -> None:
    m = _move(name, db, w)
    before = m.effect()
    answers = _all_at_once(f"{live_server}{API}{m.url}", "POST", m.body, _key(m.headers, f"{name}-burst"))
    first = answers[0]
    assert first.status_code == m.status, first.text
    assert all((r.status_code, r.json()) == (m.status, first.json()) for r in answers), [r.text for r in answers]
    assert sum(r.headers.get("idempotent-replayed") == "true" for r in answers) == THREADS - 1
    moved = m.effect()
    assert all(x != y for x, y in zip(moved, before, strict=True)), (before, moved)
    # exactly one move: a second, un-keyed request moves as much again (or is refused, for once-only moves)
    if name in ("grant", "redemption", "issue", "withdrawal"):
        with httpx.Client(base_url=live_server) as c:
            assert c.post(f"{API}{m.url}", json=m.body, headers=m.headers).status_code == m.status
        twice = m.effect()
        assert all(t - x == x - b for t, x, b in zip(twice, moved, before, strict=True)), (before, moved, twice)
