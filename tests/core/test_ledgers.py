"""Ledger rows cannot be changed or removed, whatever the database."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError


@pytest.mark.parametrize("statement", ["UPDATE stock_movements SET delta = 100", "DELETE FROM stock_movements",
                                       "DELETE FROM order_events", "UPDATE order_events SET action = 'x'"])
def test_ledgers_are_append_only(make, statement):
    t = make.tenant()
    product = t.product(stock=5)
    _, mh = t.member()
    t.post("/orders", {"items": [{"product_id": product["id"], "quantity": 1}]}, mh)
    with pytest.raises(DBAPIError, match="append-only"), t.db.engine.begin() as conn:
        conn.execute(text(statement))
    assert t.client.get(f"/api/v1/products/{product['id']}", headers=t.op).json()["stock"] == 4
