"""The API walkers' locker rows (tests/api/conftest.py populate): a locker run by the world's leader with two small
compartments, and a parcel in one of them (a paid order of the member at the locker)."""

from __future__ import annotations

from typing import Any

from tests.factories import TenantKit


def locker_world(t: TenantKit, community_id: int, leader_id: int, leader_h: dict[str, str],
                 member_h: dict[str, str], product_id: int) -> dict[str, Any]:
    point = t.post("/pickup-points", {"community_id": community_id, "name": "东门智能柜", "kind": "locker",
                                      "lat": 30.28, "lng": 120.12, "capacity": 4, "leader_id": leader_id})
    boxes = t.post(f"/lockers/{point['id']}/compartments", {"small": 2})
    order = t.post("/orders", {"items": [{"product_id": product_id, "quantity": 1}],
                               "pickup_point_id": point["id"]}, member_h)
    t.post(f"/orders/{order['id']}/pay", None, member_h, expect=200)
    parcel = t.post(f"/lockers/{point['id']}/deposits", {"order_id": order["id"], "size": "S"}, leader_h)
    return {"locker_id": point["id"], "compartment_id": boxes[0]["id"], "parcel_id": parcel["id"],
            "locker_order_id": order["id"]}
