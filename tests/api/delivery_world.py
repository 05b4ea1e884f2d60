"""The walkers' delivery rows: a micro-warehouse run by the world's leader with a rider, and 送货上门 for the
member's paid order (written directly: the world's member has no household to quote from), planned into a batch."""

from __future__ import annotations

from linli.core import clock
from linli.models import Delivery
from tests.factories import TenantKit


def delivery_world(t: TenantKit, community_id: int, leader_id: int, leader_h: dict[str, str], member_id: int,
                   order_id: int, building_id: int) -> dict[str, int]:
    wh = t.post("/pickup-points", {"community_id": community_id, "name": "前置仓", "kind": "warehouse",
                                   "lat": 30.28, "lng": 120.12, "leader_id": leader_id})
    rider = t.post(f"/delivery/warehouses/{wh['id']}/riders", {"name": "李骑手", "phone": "13800002222"}, leader_h)
    with t.db.unit_of_work() as s:
        d = Delivery(tenant_id=t.tenant_id, order_id=order_id, member_id=member_id, warehouse_id=wh["id"],
                     building_id=building_id, address="1幢2单元301", lat=30.283, lng=120.121, distance_m=340,
                     status="pending", promise_minutes=30, promised_at=clock.now(), attempts=0)
        s.add(d)
        s.flush()
        delivery_id = d.id
    batch = t.post("/delivery/batches", {"warehouse_id": wh["id"], "rider_id": rider["id"],
                                         "delivery_ids": [delivery_id]}, leader_h)
    return {"warehouse_id": wh["id"], "rider_id": rider["id"], "home_delivery_id": delivery_id,
            "delivery_batch_id": batch["id"]}
