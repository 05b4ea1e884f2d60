"""Bad-input cases of local services: merchants, services, schedules, slots, bookings and ratings
(see bad_bodies.Spec)."""

from __future__ import annotations

from datetime import date, timedelta

from tests.api.bad_bodies import NOWHERE, Spec, changed
from tests.api.conftest import Populated

# slots may be added at most a year ahead: two days about three months from the run
SLOT_AT = f"{date.today() + timedelta(days=90)}T10:00:00+08:00"
OTHER_SLOT_AT = f"{date.today() + timedelta(days=91)}T10:00:00+08:00"

# the last path segments of these routes -> a body test_unknown_ids_in_the_path_are_404 sends
PATH_BODIES = {"{merchant_id}": {"active": False}, "services": {"name": "x", "duration_minutes": 60},
               "schedules": {"weekday": 1, "start_time": "09:00"},
               "slots": {"starts_at": SLOT_AT}, "complete": None}


def localservice_specs(w: Populated) -> list[Spec]:
    merchant = {"name": "萌宠之家", "category": "宠物托管", "phone": "0571-1234567",
                "community_ids": [w.community_id]}
    service = {"name": "宠物寄养一天", "price_fen": 6000, "duration_minutes": 60, "capacity": 2}
    m, s, b = (f"/local-services/merchants/{w.merchant_id}", f"/local-services/services/{w.service_id}",
               f"/local-services/bookings/{w.booking_id}")
    return [
        Spec("POST /api/v1/local-services/merchants", "/local-services/merchants", "operator", merchant, [
            ("unknown category", changed(merchant, "category", "美食"), 422, "validation_error"),
            ("letters for a phone", changed(merchant, "phone", "call me"), 422, "validation_error"),
            ("no community", changed(merchant, "community_ids", []), 422, "validation_error"),
            ("unknown community", changed(merchant, "community_ids", [NOWHERE]), 422, "unknown_community"),
        ]),
        Spec("PATCH /api/v1/local-services/merchants/{merchant_id}", m, "operator", {"phone": "0571-7654321"}, [
            ("blank name", {"name": " "}, 422, "validation_error"),
            ("string for active", {"active": "no"}, 422, "validation_error"),
        ]),
        Spec("POST /api/v1/local-services/merchants/{merchant_id}/services", f"{m}/services", "operator", service, [
            ("negative price", changed(service, "price_fen", -1), 422, "validation_error"),
            ("no seats", changed(service, "capacity", 0), 422, "validation_error"),
            ("string duration", changed(service, "duration_minutes", "60"), 422, "validation_error"),
        ]),
        Spec("POST /api/v1/local-services/services/{service_id}/schedules", f"{s}/schedules", "operator",
             {"weekday": 2, "start_time": "14:30"}, [
                 ("weekday 7", {"weekday": 7, "start_time": "14:30"}, 422, "validation_error"),
                 ("25 o'clock", {"weekday": 2, "start_time": "25:00"}, 422, "validation_error"),
             ], ok=(201, 409)),
        Spec("POST /api/v1/local-services/services/{service_id}/slots", f"{s}/slots", "operator",
             {"starts_at": OTHER_SLOT_AT}, [
                 ("in the past", {"starts_at": "2020-01-01T10:00:00+08:00"}, 422, "slot_in_past"),
                 ("not a time", {"starts_at": "tomorrow"}, 422, "validation_error"),
                 ("no seats", {"starts_at": OTHER_SLOT_AT, "capacity": 0}, 422, "validation_error"),
             ], ok=(201, 409)),
        Spec("POST /api/v1/local-services/bookings", "/local-services/bookings", "member", {"slot_id": w.slot_id}, [
            ("unknown slot", {"slot_id": NOWHERE}, 404, "slot_not_found"),
            ("zero seats", {"slot_id": w.slot_id, "seats": 0}, 422, "validation_error"),
            ("string id", {"slot_id": str(w.slot_id)}, 422, "validation_error"),
        ], ok=(201, 409)),
        Spec("POST /api/v1/local-services/bookings/{booking_id}/cancel", f"{b}/cancel", "member",
             {"reason": "临时有事"}, [
                 ("too long a reason", {"reason": "长" * 201}, 422, "validation_error"),
             ], ok=(200, 409)),
        Spec("POST /api/v1/local-services/bookings/{booking_id}/rating", f"{b}/rating", "member", {"stars": 5}, [
            ("six stars", {"stars": 6}, 422, "validation_error"),
            ("zero stars", {"stars": 0}, 422, "validation_error"),
            ("too long a comment", {"stars": 5, "comment": "长" * 501}, 422, "validation_error"),
        ], ok=(201, 409)),
    ]
