"""Flash sales below list price only; edits before the start (terms cached per process are never sold on
once stale); stopping (结束) closes now and returns unsold units."""

from __future__ import annotations

from datetime import timedelta

from linli.catalog import stock
from linli.core import clock
from linli.flashsale import service
from linli.flashsale.terms import terms_book
from tests.flashsale.conftest import sale_body


def _later(hours: float):
    now = clock.now()
    return {"starts_at": (now + timedelta(hours=hours)).isoformat(),
            "ends_at": (now + timedelta(hours=hours + 1)).isoformat()}


def _stock(t, product_id):
    return t.client.get(f"/api/v1/products/{product_id}", headers=t.op).json()["stock"]


def _ledger_ok(t, product_id):
    current = _stock(t, product_id)
    with t.db.unit_of_work() as s:
        return stock.ledger_sum(s, t.tenant_id, product_id) == current


def test_a_flash_sale_price_must_be_below_the_list_price(make):
    t = make.tenant()
    product = t.product(stock=50, price_fen=2990)
    for price in (2990, 3990):
        r = t.client.post("/api/v1/flash-sales", headers=t.op, json=sale_body(product["id"], 5, price_fen=price))
        assert r.status_code == 422 and r.json()["error"]["code"] == "price_not_below_list"
    assert _stock(t, product["id"]) == 50
    assert t.client.post("/api/v1/flash-sales", headers=t.op,
                         json=sale_body(product["id"], 5, price_fen=2989)).status_code == 201


def test_edit_before_the_start_moves_stock_and_changes_the_terms(make, path):
    t = make.tenant()
    product = t.product(stock=100, price_fen=2990)
    sale = t.post("/flash-sales", sale_body(product["id"], 10, limit=1, **_later(1)))
    assert _stock(t, product["id"]) == 90
    url = f"/api/v1/flash-sales/{sale['id']}"
    window = _later(2)
    r = t.client.patch(url, headers=t.op, json={"price_fen": 1990, "quantity": 25, "per_member_limit": 3, **window})
    assert r.status_code == 200, r.text
    got = r.json()
    assert (got["price_fen"], got["quantity"], got["remaining"], got["per_member_limit"]) == (1990, 25, 25, 3)
    assert _stock(t, product["id"]) == 75
    r = t.client.patch(url, headers=t.op, json={"quantity": 4})
    assert r.status_code == 200 and r.json()["quantity"] == 4 and _stock(t, product["id"]) == 96
    assert _ledger_ok(t, product["id"])
    # refusals change nothing
    r = t.client.patch(url, headers=t.op, json={"quantity": 1000})
    assert r.status_code == 409 and r.json()["error"]["code"] == "insufficient_stock"
    r = t.client.patch(url, headers=t.op, json={"price_fen": 2990})
    assert r.status_code == 422 and r.json()["error"]["code"] == "price_not_below_list"
    r = t.client.patch(url, headers=t.op, json={"ends_at": window["starts_at"]})
    assert r.status_code == 422 and r.json()["error"]["code"] == "invalid_window"
    r = t.client.patch(url, headers=t.op, json={"product_id": product["id"]})
    assert r.status_code == 422  # the product of a sale is not editable
    assert t.client.get(url, headers=t.op).json()["quantity"] == 4 and _stock(t, product["id"]) == 96
    # once it runs, the new terms are what members get
    clock.set_process_time(clock.now() + timedelta(hours=2, minutes=1))
    try:
        mh = t.members(1)[0]
        r = t.client.post(f"{url}/purchase", headers=mh, json={"quantity": 3})
        assert r.status_code == 201, r.text
        assert r.json()["payable_fen"] == 3 * 1990
        r = t.client.patch(url, headers=t.op, json={"per_member_limit": 5})
        assert r.status_code == 409 and r.json()["error"]["code"] == "flash_sale_started"
    finally:
        clock.set_process_time(None)


def test_a_sale_with_purchases_cannot_be_edited_even_before_its_start(make):
    t = make.tenant()
    product = t.product(stock=10)
    sale = t.post("/flash-sales", sale_body(product["id"], 5))
    mh = t.members(1)[0]
    assert t.client.post(f"/api/v1/flash-sales/{sale['id']}/purchase", headers=mh, json={}).status_code == 201
    with t.db.unit_of_work() as s:  # move the start back after the purchase (as early access would have it)
        from linli.models import FlashSale
        row = s.get(FlashSale, sale["id"])
        row.starts_at = clock.now() + timedelta(hours=1)
        row.ends_at = clock.now() + timedelta(hours=2)
    r = t.client.patch(f"/api/v1/flash-sales/{sale['id']}", headers=t.op, json={"quantity": 2})
    assert r.status_code == 409 and r.json()["error"]["code"] == "flash_sale_started"


def test_a_process_holding_stale_terms_never_sells_on_them(make, path):
    """Another process read the terms before the edit; the final UPDATE's revision refuses its purchase and it
    reads the new terms for the next attempt."""
    t = make.tenant()
    product = t.product(stock=20, price_fen=2990)
    sale = t.post("/flash-sales", sale_body(product["id"], 5, limit=2, price_fen=990, **_later(1)))
    url = f"/api/v1/flash-sales/{sale['id']}"
    mh = t.members(1)[0]
    assert t.client.post(f"{url}/purchase", headers=mh, json={}).json()["error"]["code"] == "not_active"
    stale = service.known_terms(t.tenant_id, sale["id"])
    assert stale is not None and stale.price_fen == 990
    assert t.client.patch(url, headers=t.op, json={"price_fen": 1490, "per_member_limit": 1}).status_code == 200
    assert service.known_terms(t.tenant_id, sale["id"]) is None  # this process forgot them at the commit
    clock.set_process_time(clock.now() + timedelta(hours=1, minutes=1))
    try:
        terms_book().put(t.tenant_id, sale["id"], stale)  # as another process still holds them
        r = t.client.post(f"{url}/purchase", headers=mh, json={"quantity": 2})
        assert r.status_code == 409 and r.json()["error"]["code"] == "flash_sale_changed"
        assert t.client.get(url, headers=t.op).json()["sold"] == 0
        r = t.client.post(f"{url}/purchase", headers=mh, json={"quantity": 2})
        assert r.status_code == 409 and r.json()["error"]["code"] == "limit_exceeded"  # the new limit
        r = t.client.post(f"{url}/purchase", headers=mh, json={"quantity": 1})
        assert r.status_code == 201 and r.json()["payable_fen"] == 1490
    finally:
        clock.set_process_time(None)


def test_cached_terms_expire(make, monkeypatch):
    t = make.tenant()
    product = t.product(stock=5)
    sale = t.post("/flash-sales", sale_body(product["id"], 2, **_later(1)))
    mh = t.members(1)[0]
    t.client.post(f"/api/v1/flash-sales/{sale['id']}/purchase", headers=mh, json={})
    assert service.known_terms(t.tenant_id, sale["id"]) is not None
    import linli.flashsale.terms as terms_module
    real = terms_module.time.monotonic
    monkeypatch.setattr(terms_module.time, "monotonic", lambda: real() + terms_module.TERMS_SECONDS + 0.01)
    assert service.known_terms(t.tenant_id, sale["id"]) is None


def test_stop_closes_now_and_returns_unsold_units(make, path):
    t = make.tenant()
    product = t.product(stock=30)
    sale = t.post("/flash-sales", sale_body(product["id"], 10, limit=2))
    url = f"/api/v1/flash-sales/{sale['id']}"
    mh = t.members(2)
    bought = t.client.post(f"{url}/purchase", headers=mh[0], json={"quantity": 2})
    assert bought.status_code == 201
    assert _stock(t, product["id"]) == 20
    r = t.client.post(f"{url}/stop", headers={**t.op, "Idempotency-Key": "stop-1"})
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "ended" and r.json()["closed_at"] is not None
    assert _stock(t, product["id"]) == 28  # the 8 unsold units came back
    again = t.client.post(f"{url}/stop", headers={**t.op, "Idempotency-Key": "stop-1"})
    assert again.status_code == 200 and again.headers.get("Idempotent-Replayed") == "true"
    r = t.client.post(f"{url}/stop", headers=t.op)
    assert r.status_code == 409 and r.json()["error"]["code"] == "flash_sale_closed"
    r = t.client.post(f"{url}/purchase", headers=mh[1], json={})
    assert r.status_code == 409 and r.json()["error"]["code"] == "not_active"
    r = t.client.patch(url, headers=t.op, json={"quantity": 3})
    assert r.status_code == 409 and r.json()["error"]["code"] == "flash_sale_closed"
    # the sold order cancelled later: its units go to the product's stock, the sale stays closed
    order_id = bought.json()["order_id"]
    assert t.client.post(f"/api/v1/orders/{order_id}/cancel", headers=mh[0], json={}).status_code == 200
    from linli.core.jobs import run_due
    from linli.events import build_registry
    from linli.schedule import DUE_JOBS
    run_due(t.db, DUE_JOBS, build_registry(), clock.now())
    assert _stock(t, product["id"]) == 30 and _ledger_ok(t, product["id"])


def test_a_scheduled_sale_stopped_before_its_start_has_ended(make):
    t = make.tenant()
    product = t.product(stock=10)
    sale = t.post("/flash-sales", sale_body(product["id"], 4, **_later(3)))
    r = t.client.post(f"/api/v1/flash-sales/{sale['id']}/stop", headers=t.op)
    assert r.status_code == 200 and r.json()["status"] == "ended"
    assert _stock(t, product["id"]) == 10
    _, mh = t.member()
    assert t.client.post(f"/api/v1/flash-sales/{sale['id']}/stop", headers=mh).status_code == 403
