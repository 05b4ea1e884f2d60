"""Idempotency-Key: a repeat (same key, same principal) answers the first response and has no second
effect, also when the repeats arrive at the same moment."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
from sqlalchemy import text

from linli.core.db import Database
from tests.api.conftest import API, Populated, assert_error, populate, row_counts
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
    return populate(make)


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
