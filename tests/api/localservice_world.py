"""The walkers' local-service rows: a merchant serving the world's community, a 3-seat service, a slot two days
ahead and the member's booking of it (confirmed)."""

from __future__ import annotations

from datetime import timedelta

from linli.core import clock
from tests.factories import TenantKit


def localservice_world(t: TenantKit, community_id: int, member_h: dict[str, str]) -> dict[str, int]:
    merchant = t.post("/local-services/merchants", {"name": "安心家政", "category": "家政维修",
                                                    "phone": "0571-88886666", "community_ids": [community_id]})
    service = t.post(f"/local-services/merchants/{merchant['id']}/services",
                     {"name": "日常保洁", "price_fen": 8000, "duration_minutes": 120, "capacity": 3})
    starts = (clock.now() + timedelta(days=2)).replace(microsecond=0)
    slot = t.post(f"/local-services/services/{service['id']}/slots", {"starts_at": starts.isoformat()})
    booking = t.post("/local-services/bookings", {"slot_id": slot["id"]}, member_h)
    return {"merchant_id": merchant["id"], "service_id": service["id"], "slot_id": slot["id"],
            "booking_id": booking["id"]}
