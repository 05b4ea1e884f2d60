"""The sold-out fast lane: once a sale has sold out, the herd is refused from memory, with no query; every
other answer stays the full path's, and units that come back are sold again."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from prometheus_client import REGISTRY
from sqlalchemy import event

from linli.core.jobs import run_due
from linli.core.runtime import get_runtime
from linli.events import build_registry
from linli.flashsale import soldout
from linli.flashsale.fastlane import ROUTE
from linli.flashsale.soldout import SoldOutMemo, memo
from tests.flashsale.conftest import sale_body


def _buy(t, headers, sale_id, **kw):
    return t.client.post(f"/api/v1/flash-sales/{sale_id}/purchase", headers=headers, **kw)


def _code(r):
    return (r.status_code, r.json()["error"]["code"])


@contextmanager
def _statements(engine) -> Iterator[list[str]]:
    seen: list[str] = []

    def count(conn, cursor, statement, *args) -> None:
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)


def _refusals_counted() -> float:
    labels = {"method": "POST", "route": ROUTE.path, "status": "409"}
    return REGISTRY.get_sample_value("linli_http_requests_total", labels) or 0.0


def _sold_out_sale(t, members):
    """A one-unit sale, bought by members[0] and then refused to members[1] (which marks it sold out)."""
    sale = t.post("/flash-sales", sale_body(t.product(stock=5)["id"], 1, limit=1))
    assert _buy(t, members[0], sale["id"], json={"quantity": 1}).status_code == 201
    assert _code(_buy(t, members[1], sale["id"], json={"quantity": 1})) == (409, "sold_out")
    return sale


def _cancel_the_order_of(t, buyer) -> None:
    """The buyer cancels; delivering order.cancelled returns the unit to the sale, in this process."""
    order_id = t.client.get("/api/v1/orders", headers=buyer).json()["items"][0]["id"]
    t.post(f"/orders/{order_id}/cancel", {}, buyer, expect=200)
    run_due(t.db, [], build_registry())


def test_after_a_sell_out_the_herd_is_refused_without_a_query(make, path):
    t = make.tenant()
    mh = t.members(4)
    counted = _refusals_counted()
    sale = _sold_out_sale(t, mh)
    assert _refusals_counted() == counted + 1  # the full path's refusal
    with _statements(t.db.engine) as seen:
        answers = [_buy(t, h, sale["id"], json={"quantity": 1}) for h in mh[1:]]
        answers.append(_buy(t, mh[3], sale["id"]))  # no body: one unit
    assert [_code(r) for r in answers] == [(409, "sold_out")] * 4
    assert seen == []
    assert _refusals_counted() == counted + 5  # the lane's answers count under the full path's route
    assert all(r.headers["X-Request-ID"] for r in answers)
    assert t.client.get(f"/api/v1/flash-sales/{sale['id']}", headers=t.op).json()["sold"] == 1


def test_the_lane_keeps_every_other_answer_of_the_full_path(make):
    t = make.tenant()
    mh = t.members(3)
    sale = _sold_out_sale(t, mh)
    url = f"/api/v1/flash-sales/{sale['id']}/purchase"
    assert _code(t.client.post(url, json={"quantity": 1})) == (401, "unauthorized")
    assert _code(t.client.post(url, headers={"Authorization": "Bearer nonsense"}, json={})) == (401, "invalid_token")
    assert _code(t.client.post(url, headers=t.op, json={"quantity": 1})) == (403, "forbidden")
    assert _code(_buy(t, mh[2], sale["id"], json={"quantity": 0})) == (422, "validation_error")
    as_json = {**mh[2], "Content-Type": "application/json"}
    assert _code(t.client.post(url, headers=as_json, content=b"{not json")) == (400, "malformed_json")
    assert _code(_buy(t, mh[2], sale["id"], json={"quantity": 2})) == (409, "limit_exceeded")  # checked before units
    other = make.tenant()
    assert _code(_buy(other, other.members(1)[0], sale["id"], json={"quantity": 1})) == (404, "flash_sale_not_found")


def test_a_repeated_idempotency_key_replays_the_purchase_after_the_sell_out(make, path):
    t = make.tenant()
    mh = t.members(2)
    sale = t.post("/flash-sales", sale_body(t.product(stock=5)["id"], 1, limit=1))
    keyed = {**mh[0], "Idempotency-Key": "buy-once"}
    first = _buy(t, keyed, sale["id"], json={"quantity": 1})
    assert first.status_code == 201
    assert _code(_buy(t, mh[1], sale["id"], json={"quantity": 1})) == (409, "sold_out")
    again = _buy(t, keyed, sale["id"], json={"quantity": 1})
    assert again.status_code == 201 and again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"


def test_a_unit_that_came_back_elsewhere_sells_once_the_mark_expires(make, path):
    """A unit returned by another process (the worker expiring an order) cannot forget this process's mark;
    the mark lasts `flash_sale_sold_out_memo_seconds`, then an attempt goes down the full path and buys it."""
    rt = get_runtime()
    rt.settings = rt.settings.model_copy(update={"flash_sale_sold_out_memo_seconds": 0.3})
    t = make.tenant()
    mh = t.members(3)
    sale = _sold_out_sale(t, mh)
    _cancel_the_order_of(t, mh[0])
    memo().mark(t.tenant_id, sale["id"])  # as if the unit had come back in another process
    assert _code(_buy(t, mh[1], sale["id"], json={"quantity": 1})) == (409, "sold_out")
    time.sleep(0.35)
    assert _buy(t, mh[1], sale["id"], json={"quantity": 1}).status_code == 201
    assert _code(_buy(t, mh[2], sale["id"], json={"quantity": 1})) == (409, "sold_out")


def test_a_unit_that_came_back_here_sells_at_once(make, path):
    t = make.tenant()
    mh = t.members(3)
    sale = _sold_out_sale(t, mh)
    _cancel_the_order_of(t, mh[0])
    assert _buy(t, mh[1], sale["id"], json={"quantity": 1}).status_code == 201


def test_an_expired_mark_lets_one_attempt_recheck_while_the_rest_stay_refused(db, monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(soldout.time, "monotonic", lambda: now[0])
    m = SoldOutMemo()
    assert not m.refuses(1, 7)
    m.mark(1, 7)
    assert m.refuses(1, 7) and not m.refuses(1, 8) and not m.refuses(2, 7)
    now[0] += 0.6  # past the default 0.5 s
    assert not m.refuses(1, 7)  # this attempt rechecks
    assert m.refuses(1, 7) and m.refuses(1, 7)  # the others are still refused meanwhile
    m.forget(1, 7)  # the recheck bought a unit
    assert not m.refuses(1, 7)


def test_a_memo_of_zero_seconds_never_refuses(db):
    rt = get_runtime()
    rt.settings = rt.settings.model_copy(update={"flash_sale_sold_out_memo_seconds": 0})
    m = SoldOutMemo()
    m.mark(1, 7)
    assert not m.refuses(1, 7)


def test_a_reservation_given_back_forgets_the_mark(make, redis_path):
    """An attempt that reserved the last unit in Redis and then failed gives it back; an attempt refused as sold
    out meanwhile must not keep this process refusing the unit."""
    t = make.tenant()
    mh = t.members(2)
    sale = t.post("/flash-sales", sale_body(t.product(stock=5)["id"], 2, limit=1))
    assert _buy(t, mh[0], sale["id"], json={"quantity": 1}).status_code == 201
    memo().mark(t.tenant_id, sale["id"])  # as if an attempt had been refused while the next one held the last unit
    keyed = {**mh[0], "Idempotency-Key": "again"}  # a keyed attempt always takes the full path
    assert _code(_buy(t, keyed, sale["id"], json={"quantity": 1})) == (409, "limit_exceeded")
    assert _buy(t, mh[1], sale["id"], json={"quantity": 1}).status_code == 201
