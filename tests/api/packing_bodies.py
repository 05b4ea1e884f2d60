"""Bad-input cases of packing: the cut-off setting and the leader's QR scan (see bad_bodies.Spec)."""

from __future__ import annotations

from linli.packing import qr
from tests.api.bad_bodies import Spec
from tests.api.conftest import Populated


def picked_order_token(w: Populated) -> str:
    """A valid QR token of the world's order already picked up: scanning it changes nothing (409)."""
    if not isinstance(w, Populated):  # the coverage check builds the specs without a database
        return "LLQ1.e30.x"
    return qr.issue(w.t.tenant_id, w.picked_order_id, w.pickup_code(w.picked_order_id))[0]


def packing_specs(w: Populated) -> list[Spec]:
    scan = {"token": picked_order_token(w)}
    return [
        Spec("PUT /api/v1/packing/settings", "/packing/settings", "operator", {"cutoff": "22:30"}, [
            ("25 o'clock", {"cutoff": "25:00"}, 422, "validation_error"),
            ("no colon", {"cutoff": "2300"}, 422, "validation_error"),
            ("midnight as 00:00", {"cutoff": "00:00"}, 422, "cutoff_invalid"),
            ("a number", {"cutoff": 1380}, 422, "validation_error"),
        ]),
        Spec("POST /api/v1/packing/scan", "/packing/scan", "leader", scan, [
            ("not a pickup code", {"token": "hello"}, 422, "qr_invalid"),
            ("tampered", {"token": scan["token"][:-2] + ("AA" if not scan["token"].endswith("AA") else "BB")},
             422, "qr_invalid"),
            ("empty", {"token": ""}, 422, "validation_error"),
            ("a number", {"token": 5}, 422, "validation_error"),
        ], ok=(409,)),
    ]
