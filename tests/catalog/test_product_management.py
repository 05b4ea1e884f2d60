"""Operators manage products: edit, 上架/下架, pictures checked by their bytes, categories, and stock
adjustments through the ledger (never negative, idempotent)."""

from __future__ import annotations

import base64

from sqlalchemy import func, select

from linli.catalog import stock
from linli.models import Product, StockMovement

# a 1×1 PNG and a 1×1 GIF
PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmM"
                       "IQAAAABJRU5ErkJggg==")
GIF = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00" \
      b"\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"


def _ledger_matches(t, product_id):
    with t.db.unit_of_work() as s:
        total = s.scalar(select(func.coalesce(func.sum(StockMovement.delta), 0))
                         .where(StockMovement.product_id == product_id))
        return total == s.scalar(select(Product.stock).where(Product.id == product_id))


def test_operator_edits_a_product_and_only_what_is_sent_changes(make):
    t = make.tenant()
    product = t.product(stock=5, price_fen=1200, description="旧描述")
    r = t.client.patch(f"/api/v1/products/{product['id']}", headers=t.op,
                       json={"name": "丹东草莓 500g", "price_fen": 1590, "category": "当季鲜果", "is_fresh": True})
    assert r.status_code == 200, r.text
    got = r.json()
    assert (got["name"], got["price_fen"], got["category"]) == ("丹东草莓 500g", 1590, "当季鲜果")
    assert got["is_fresh"] is True
    assert got["description"] == "旧描述" and got["stock"] == 5 and got["is_active"] is True
    cats = t.client.get("/api/v1/categories", headers=t.op).json()
    assert {c["name"] for c in cats} == {"新鲜水果", "当季鲜果"}
    # stock is not a field of a patch: it moves through adjustments only
    r = t.client.patch(f"/api/v1/products/{product['id']}", headers=t.op, json={"stock": 50})
    assert r.status_code == 422
    _, mh = t.member()
    assert t.client.patch(f"/api/v1/products/{product['id']}", headers=mh, json={"name": "x"}).status_code == 403
    other = make.tenant()
    r = other.client.patch(f"/api/v1/products/{product['id']}", headers=other.op, json={"name": "x"})
    assert r.status_code == 404 and r.json()["error"]["code"] == "product_not_found"


def test_off_shelf_products_are_hidden_from_members_and_cannot_be_ordered(make):
    t = make.tenant()
    product = t.product(stock=10)
    kept = t.product(stock=10)
    _, mh = t.member()
    r = t.client.patch(f"/api/v1/products/{product['id']}", headers=t.op, json={"is_active": False})
    assert r.status_code == 200 and r.json()["is_active"] is False
    member_ids = [p["id"] for p in t.client.get("/api/v1/products", headers=mh).json()["items"]]
    assert product["id"] not in member_ids and kept["id"] in member_ids
    operator_ids = [p["id"] for p in t.client.get("/api/v1/products", headers=t.op).json()["items"]]
    assert product["id"] in operator_ids
    r = t.client.post("/api/v1/orders", headers=mh, json={"items": [{"product_id": product["id"], "quantity": 1}]})
    assert r.status_code == 409 and r.json()["error"]["code"] == "product_off_shelf"
    assert t.client.get(f"/api/v1/products/{product['id']}", headers=t.op).json()["stock"] == 10
    # no new campaign of it either
    r = t.client.post("/api/v1/flash-sales", headers=t.op, json={
        "product_id": product["id"], "price_fen": 500, "quantity": 2, "per_member_limit": 1,
        "starts_at": "2030-01-01T10:00:00+08:00", "ends_at": "2030-01-01T12:00:00+08:00"})
    assert r.status_code == 409 and r.json()["error"]["code"] == "product_off_shelf"
    t.client.patch(f"/api/v1/products/{product['id']}", headers=t.op, json={"is_active": True})
    r = t.client.post("/api/v1/orders", headers=mh, json={"items": [{"product_id": product["id"], "quantity": 1}]})
    assert r.status_code == 201, r.text


def test_stock_adjustments_are_signed_never_negative_and_idempotent(make):
    t = make.tenant()
    product = t.product(stock=10)
    url = f"/api/v1/products/{product['id']}/stock-adjustments"
    r = t.client.post(url, headers={**t.op, "Idempotency-Key": "restock-1"},
                      json={"delta": 20, "reason": "restock", "note": "早班到货"})
    assert r.status_code == 201 and r.json()["stock"] == 30
    again = t.client.post(url, headers={**t.op, "Idempotency-Key": "restock-1"},
                          json={"delta": 20, "reason": "restock", "note": "早班到货"})
    assert again.status_code == 201 and again.json()["stock"] == 30 and again.headers["Idempotent-Replayed"] == "true"
    r = t.client.post(url, headers=t.op, json={"delta": -5, "reason": "damage", "note": "运输压坏"})
    assert r.status_code == 201 and r.json()["stock"] == 25
    r = t.client.post(url, headers=t.op, json={"delta": -26, "reason": "adjust"})
    assert r.status_code == 409 and r.json()["error"]["code"] == "insufficient_stock"
    r = t.client.post(url, headers=t.op, json={"delta": 0, "reason": "adjust"})
    assert r.status_code == 422 and r.json()["error"]["code"] == "invalid_delta"
    assert t.client.get(f"/api/v1/products/{product['id']}", headers=t.op).json()["stock"] == 25
    assert _ledger_matches(t, product["id"])
    moves = t.client.get(f"/api/v1/products/{product['id']}/stock-movements", headers=t.op).json()["items"]
    assert [(m["delta"], m["reason"], m["note"]) for m in moves] == [
        (-5, "damage", "运输压坏"), (20, "restock", "早班到货"), (10, "initial", "")]
    _, mh = t.member()
    assert t.client.get(f"/api/v1/products/{product['id']}/stock-movements", headers=mh).status_code == 403


def test_image_upload_checks_the_bytes_stores_by_content_and_serves_publicly(make):
    t = make.tenant()
    product = t.product()
    url = f"/api/v1/products/{product['id']}/images"
    r = t.client.post(url, headers=t.op, files={"file": ("p.png", PNG, "image/png")})
    assert r.status_code == 200, r.text
    image_url = r.json()["image_url"]
    assert image_url.startswith("/api/v1/product-images/") and image_url.endswith(".png")
    served = t.client.get(image_url)  # no token: an <img> in any page can show it
    assert served.status_code == 200 and served.content == PNG
    assert served.headers["content-type"] == "image/png" and "immutable" in served.headers["cache-control"]
    # the member app sees it in lists and on the product
    _, mh = t.member()
    listed = t.client.get("/api/v1/products", headers=mh).json()["items"]
    assert [p["image_url"] for p in listed if p["id"] == product["id"]] == [image_url]
    # the declared type is not trusted: a script named .png and sent as image/png is refused
    r = t.client.post(url, headers=t.op, files={"file": ("x.png", b"<script>alert(1)</script>", "image/png")})
    assert r.status_code == 422 and r.json()["error"]["code"] == "unsupported_file_type"
    r = t.client.post(url, headers=t.op, files={"file": ("x.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>",
                                                         "image/svg+xml")})
    assert r.status_code == 422
    r = t.client.post(url, headers=t.op, files={"file": ("e.png", b"", "image/png")})
    assert r.status_code == 422 and r.json()["error"]["code"] == "empty_file"
    r = t.client.post(url, headers=t.op, files={"file": ("big.png", PNG + b"\0" * (5 * 1024 * 1024), "image/png")})
    assert r.status_code == 422 and r.json()["error"]["code"] == "file_too_large"
    assert t.client.get(f"/api/v1/products/{product['id']}", headers=t.op).json()["image_url"] == image_url
    # a GIF replaces it; a name that is not a stored image is 404
    r = t.client.post(url, headers=t.op, files={"file": ("p.gif", GIF, "application/octet-stream")})
    assert r.status_code == 200 and r.json()["image_url"].endswith(".gif")
    for bad in ("..%2F..%2Fsecret.key", "0" * 64 + ".png", "abc.exe"):
        assert t.client.get(f"/api/v1/product-images/{bad}").status_code == 404
    _, mh = t.member()
    r = t.client.post(url, headers=mh, files={"file": ("p.png", PNG, "image/png")})
    assert r.status_code == 403


def test_off_shelf_refusal_is_told_apart_from_a_shortage(make):
    t = make.tenant()
    product = t.product(stock=1)
    _, mh = t.member()
    r = t.client.post("/api/v1/orders", headers=mh, json={"items": [{"product_id": product["id"], "quantity": 2}]})
    assert r.status_code == 409 and r.json()["error"]["code"] == "insufficient_stock"
    with t.db.unit_of_work() as s:
        assert stock.ledger_sum(s, t.tenant_id, product["id"]) == 1
