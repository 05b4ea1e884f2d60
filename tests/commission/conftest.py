from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pytest

from linli.core import clock
from linli.core.jobs import run_due
from linli.events import build_registry
from linli.leader import service as leaders
from linli.schedule import DUE_JOBS
from tests.factories import Factory, TenantKit


@dataclass
class Shop:
    t: TenantKit
    leader_id: int
    point_id: int
    lh: dict[str, str]
    product_id: int
    rate_bp: int

    def buy(self, mh: dict[str, str], quantity: int = 1) -> dict[str, Any]:
        order = self.t.post("/orders", {"items": [{"product_id": self.product_id, "quantity": quantity}],
                                        "pickup_point_id": self.point_id}, mh)
        self.t.post(f"/orders/{order['id']}/pay", None, mh, expect=200)
        return self.t.client.get(f"/api/v1/orders/{order['id']}", headers=mh).json()

    def settled(self, mh: dict[str, str], quantity: int) -> dict[str, Any]:
        """An order bought, picked up and past its return window: its commission is available."""
        order = self.buy(mh, quantity)
        self.due()
        self.t.post(f"/orders/{order['id']}/pickup", {"code": order["pickup_code"]}, self.lh, expect=200)
        self.due()
        self.due(clock.now() + timedelta(days=31))
        return order

    def due(self, at: datetime | None = None) -> dict[str, int]:
        return run_due(self.t.db, DUE_JOBS, build_registry(), at)

    def get(self, path: str, headers: dict[str, str] | None = None) -> Any:
        r = self.t.client.get(f"/api/v1{path}", headers=headers or self.lh)
        assert r.status_code == 200, r.text
        return r.json()


@pytest.fixture
def shop(make: Factory) -> Shop:
    t = make.tenant()
    leader_id, point_id, lh = t.leader()
    product = t.product(stock=10_000, price_fen=1000)
    with t.db.unit_of_work() as s:
        rate = leaders.commission_rate_bp(s, t.tenant_id, leader_id)
    return Shop(t, leader_id, point_id, lh, product["id"], rate)
