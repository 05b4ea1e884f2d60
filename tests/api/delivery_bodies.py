"""Bad-input cases of delivery (即时配送): settings, riders, batches and a failed stop (see bad_bodies.Spec)."""

from __future__ import annotations

from tests.api.bad_bodies import NOWHERE, Spec, changed
from tests.api.conftest import Populated

# the last path segment -> a body that passes validation (test_unknown_ids_in_the_path_are_404)
PATH_BODIES = {"{warehouse_id}": {"radius_m": 3000}, "riders": {"name": "骑手", "phone": "13800005555"},
               "{rider_id}": {"name": "骑手"}, "{order_id}": None, "depart": None, "delivered": None,
               "failed": {"reason": "家中无人"}, "redispatch": None}


def delivery_specs(w: Populated) -> list[Spec]:
    settings = {"radius_m": 3000, "promise_minutes": 30, "max_batch": 10, "active": True}
    rider = {"name": "赵骑手", "phone": "13800006666"}
    batch = {"warehouse_id": w.warehouse_id, "rider_id": w.rider_id, "delivery_ids": [w.home_delivery_id]}
    return [
        Spec("PUT /api/v1/delivery/warehouses/{warehouse_id}", f"/delivery/warehouses/{w.warehouse_id}", "operator",
             settings, [
                 ("no radius", changed(settings, "radius_m", 0), 422, "validation_error"),
                 ("radius past 20 km", changed(settings, "radius_m", 20001), 422, "validation_error"),
                 ("a 5-minute promise", changed(settings, "promise_minutes", 5), 422, "validation_error"),
                 ("31 orders a batch", changed(settings, "max_batch", 31), 422, "validation_error"),
                 ("string for radius", changed(settings, "radius_m", "3000"), 422, "validation_error"),
             ], ok=(200,)),
        Spec("POST /api/v1/delivery/warehouses/{warehouse_id}/riders", f"/delivery/warehouses/{w.warehouse_id}/riders",
             "leader", rider, [
                 ("blank name", changed(rider, "name", "  "), 422, "validation_error"),
                 ("a landline", changed(rider, "phone", "0571-8888666"), 422, "validation_error"),
                 ("name too long", changed(rider, "name", "长" * 41), 422, "validation_error"),
             ], ok=(201,)),
        Spec("PATCH /api/v1/delivery/riders/{rider_id}", f"/delivery/riders/{w.rider_id}", "leader",
             {"name": "李师傅"}, [
                 ("string for active", {"active": "maybe"}, 422, "validation_error"),
                 ("short phone", {"phone": "1380000"}, 422, "validation_error"),
             ], ok=(200,)),
        Spec("POST /api/v1/delivery/batches", "/delivery/batches", "leader", batch, [
            ("no deliveries", changed(batch, "delivery_ids", []), 422, "validation_error"),
            ("31 deliveries", changed(batch, "delivery_ids", list(range(1, 32))), 422, "validation_error"),
            ("a delivery twice", changed(batch, "delivery_ids", [w.home_delivery_id] * 2), 422,
             "duplicate_delivery"),
            ("unknown warehouse", changed(batch, "warehouse_id", NOWHERE), 422, "unknown_warehouse"),
            ("unknown rider", changed(batch, "rider_id", NOWHERE), 422, "unknown_rider"),
            ("unknown delivery", changed(batch, "delivery_ids", [NOWHERE]), 422, "unknown_delivery"),
        ], ok=(201, 409)),
        Spec("POST /api/v1/delivery/deliveries/{home_delivery_id}/failed",
             f"/delivery/deliveries/{w.home_delivery_id}/failed", "leader", {"reason": "家中无人"}, [
                 ("blank reason", {"reason": " "}, 422, "validation_error"),
                 ("reason too long", {"reason": "长" * 201}, 422, "validation_error"),
             ], ok=(200, 409)),
    ]
