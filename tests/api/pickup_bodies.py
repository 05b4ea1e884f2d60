"""Bad-input cases of the pickup network (see bad_bodies.Spec): status changes, closures, capacity, hours,
settings and assignment runs."""

from __future__ import annotations

from typing import Any

from tests.api.bad_bodies import Spec

REASON = {"reason": "团长外出"}


def closure_body() -> dict[str, Any]:
    from datetime import timedelta

    from linli.core import clock

    start = clock.now() + timedelta(days=3)
    return {"starts_at": start.isoformat(), "ends_at": (start + timedelta(days=1)).isoformat(), "reason": "装修"}


def pickup_specs(w: Any) -> list[Spec]:
    point = f"/pickup/points/{w.point_id}"
    return [
        Spec("POST /api/v1/pickup/points/{point_id}/pause", f"{point}/pause", "operator", REASON, [
            ("no reason", {}, 422, "validation_error"),
            ("blank reason", {"reason": "  "}, 422, "validation_error"),
            ("reassign not a bool", {"reason": "外出", "reassign": "yes"}, 422, "validation_error"),
        ], ok=(200, 409)),
        Spec("POST /api/v1/pickup/points/{point_id}/close", f"{point}/close", "operator", REASON, [
            ("reason too long", {"reason": "久" * 201}, 422, "validation_error"),
        ], ok=(200, 409)),
        Spec("POST /api/v1/pickup/points/{point_id}/reopen", f"{point}/reopen", "operator", REASON, [
            ("reason a number", {"reason": 1}, 422, "validation_error"),
        ], ok=(200, 409)),
        Spec("POST /api/v1/pickup/points/{point_id}/closures", f"{point}/closures", "operator", closure_body(), [
            ("ends before it starts", {**closure_body(), "ends_at": "2020-01-01T00:00:00+08:00"}, 422,
             "validation_error"),
            ("not a time", {**closure_body(), "starts_at": "明天"}, 422, "validation_error"),
            ("over already", {"starts_at": "2020-01-01T00:00:00+08:00", "ends_at": "2020-01-02T00:00:00+08:00",
                              "reason": "过去"}, 422, "closure_in_past"),
        ]),
        Spec("PUT /api/v1/pickup/points/{point_id}/capacity", f"{point}/capacity", "operator",
             {"daily_capacity": 80}, [
                 ("zero", {"daily_capacity": 0}, 422, "validation_error"),
                 ("text", {"daily_capacity": "80"}, 422, "validation_error"),
             ]),
        Spec("PUT /api/v1/pickup/points/{point_id}/hours", f"{point}/hours", "operator",
             {"days": [{"weekday": 0, "hours": "08:00-21:00"}, {"weekday": 5, "hours": "09:00-18:00"}]}, [
                 ("closes before it opens", {"days": [{"weekday": 0, "hours": "21:00-08:00"}]}, 422, "invalid_hours"),
                 ("not HH:MM", {"days": [{"weekday": 0, "hours": "8点-21点"}]}, 422, "invalid_hours"),
                 ("weekday 7", {"days": [{"weekday": 7, "hours": "08:00-21:00"}]}, 422, "validation_error"),
                 ("a day twice", {"days": [{"weekday": 1, "hours": "08:00-21:00"},
                                           {"weekday": 1, "hours": "09:00-21:00"}]}, 422, "duplicate_weekday"),
                 ("no day", {"days": []}, 422, "invalid_hours"),
             ]),
        Spec("PUT /api/v1/pickup/settings", "/pickup/settings", "operator",
             {"max_distance_m": 1500, "preference_penalty_m": 300}, [
                 ("too near", {"max_distance_m": 10, "preference_penalty_m": 300}, 422, "validation_error"),
                 ("negative penalty", {"max_distance_m": 1500, "preference_penalty_m": -1}, 422, "validation_error"),
             ]),
        Spec("POST /api/v1/pickup/assignment-runs", "/pickup/assignment-runs", "operator", {"key": "walker"}, [
            ("point ids not a list", {"point_ids": 1}, 422, "validation_error"),
            ("unknown point", {"point_ids": [2**61]}, 404, "pickup_point_not_found"),
            ("paid_from not a time", {"paid_from": "昨天"}, 422, "validation_error"),
        ]),
    ]


# test_unknown_ids_in_the_path_are_404: a valid body per last path segment, and per route where a segment is shared
PATH_BODIES: dict[str, Any] = {"capacity": {"daily_capacity": 5},
                               "hours": {"days": [{"weekday": 0, "hours": "08:00-21:00"}]},
                               "reopen": REASON, "closures": {"starts_at": "2030-01-01T08:00:00+08:00",
                                                              "reason": "装修"}}
BY_ROUTE: dict[str, Any] = {f"{m} /api/v1/pickup/points/{{point_id}}/{segment}": body for m, segment, body in (
    ("POST", "pause", REASON), ("POST", "close", REASON), ("POST", "reopen", REASON),
    ("POST", "closures", PATH_BODIES["closures"]), ("PUT", "capacity", PATH_BODIES["capacity"]),
    ("PUT", "hours", PATH_BODIES["hours"]))}
