"""The locker routes in the API walkers' tables (tests/api): bodies that pass validation, and the bad-input cases
(see tests/api/bad_bodies.Spec)."""

from __future__ import annotations

from typing import Any

from tests.api.bad_bodies import NOWHERE, Spec, changed

ROUTES = "/api/v1/lockers"


def deposit_body(w: Any) -> dict[str, Any]:
    """The world's paid order at the leader's home point: valid, though not for a locker (409)."""
    return {"order_id": w.order_id, "size": "S"}


def locker_specs(w: Any) -> list[Spec]:
    box = {"small": 1}
    hours = {"hold_hours": 48, "remind_hours": 12}
    deposit = deposit_body(w)
    return [
        Spec("POST /api/v1/lockers/{locker_id}/compartments", f"/lockers/{w.locker_id}/compartments", "operator",
             box, [("negative", {"small": -1}, 422, "validation_error"),
                   ("too many at once", {"large": 201}, 422, "validation_error"),
                   ("none at all", {"small": 0}, 422, "no_compartments"),
                   ("past the capacity", {"medium": 3}, 422, "over_capacity")], ok=(201,)),
        Spec("POST /api/v1/lockers/{locker_id}/deposits", f"/lockers/{w.locker_id}/deposits", "leader", deposit,
             [("unknown size", changed(deposit, "size", "XL"), 422, "validation_error"),
              ("no such order", changed(deposit, "order_id", NOWHERE), 404, "order_not_found"),
              ("order id zero", changed(deposit, "order_id", 0), 422, "validation_error")], ok=(409,)),
        Spec("POST /api/v1/lockers/{locker_id}/collect", f"/lockers/{w.locker_id}/collect", "member",
             {"code": "000000"}, [("empty code", {"code": ""}, 422, "validation_error"),
                                  ("a number", {"code": 123456}, 422, "validation_error"),
                                  ("too long", {"code": "1" * 13}, 422, "validation_error")], ok=(200, 409)),
        Spec("POST /api/v1/lockers/compartments/{compartment_id}/status",
             f"/lockers/compartments/{w.compartment_id}/status", "operator", {"status": "free"},
             [("occupied is set by deposits", {"status": "occupied"}, 422, "validation_error")], ok=(200, 409)),
        Spec("PUT /api/v1/lockers/settings", "/lockers/settings", "operator", hours,
             [("zero hours", changed(hours, "hold_hours", 0), 422, "validation_error"),
              ("reminder after expiry", {"hold_hours": 12, "remind_hours": 24}, 422, "invalid_locker_hours"),
              ("text", changed(hours, "hold_hours", "两天"), 422, "validation_error")]),
    ]


# tests/api/test_bad_input.py test_unknown_ids_in_the_path_are_404: by a route's last segment, and by route where
# the segment is shared with another domain's ("status")
PATH_BODIES = {"taken-back": None, "compartments": {"small": 1}, "deposits": {"order_id": 1, "size": "S"},
               "collect": {"code": "123456"}}
BY_ROUTE = {"POST /api/v1/lockers/compartments/{compartment_id}/status": {"status": "free"}}
