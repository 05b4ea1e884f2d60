"""Bad-input cases of the alert centre and crisis cases (see bad_bodies.Spec)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from linli.core import clock
from tests.api.bad_bodies import NOWHERE, Spec, changed
from tests.api.conftest import Populated


def compensation(product_id: int) -> dict[str, Any]:
    return {"product_id": product_id, "since": (clock.now() - timedelta(days=30)).isoformat(),
            "until": (clock.now() + timedelta(days=1)).isoformat(), "kind": "points", "points": 10}


def alert_specs(w: Populated) -> list[Spec]:
    threshold = {"metric": "cancel_rate", "threshold": 20, "min_base": 10, "enabled": True}
    case = {"title": "菜品变质投诉", "severity": 1}
    comp = compensation(w.product_id)
    bad_comp = [
        ("until before since", changed(comp, "until", comp["since"]), 422, "invalid_window"),
        ("unknown product", changed(comp, "product_id", NOWHERE), 422, "unknown_product"),
        ("unknown community", {**comp, "community_id": NOWHERE}, 422, "unknown_community"),
        ("unknown batch", {**comp, "batch_id": NOWHERE}, 422, "unknown_batch"),
        ("no window", {k: v for k, v in comp.items() if k not in ("since", "until")}, 422, "window_required"),
        ("coupon without a coupon", changed(comp, "kind", "coupon"), 422, "validation_error"),
        ("unknown coupon", {**changed(comp, "kind", "coupon"), "coupon_template_id": NOWHERE}, 422,
         "unknown_coupon_template"),
        ("negative points", changed(comp, "points", -1), 422, "validation_error"),
        ("not a time", changed(comp, "since", "上周"), 422, "validation_error"),
    ]
    crisis = f"/crises/{w.crisis_id}"
    return [
        Spec("PUT /api/v1/alerts/thresholds", "/alerts/thresholds", "operator", threshold, [
            ("unknown metric", changed(threshold, "metric", "moon_phase"), 404, "metric_not_found"),
            ("negative threshold", changed(threshold, "threshold", -1), 422, "validation_error"),
            ("a rate over 100 %", changed(threshold, "threshold", 150), 422, "invalid_threshold"),
            ("string threshold", changed(threshold, "threshold", "20"), 422, "validation_error"),
            ("negative min_base", changed(threshold, "min_base", -5), 422, "validation_error"),
        ]),
        Spec("POST /api/v1/alerts/{alert_id}/acknowledge", f"/alerts/{w.alert_id}/acknowledge", "operator",
             {"note": "已知悉"}, [("note too long", {"note": "长" * 501}, 422, "validation_error")], ok=(200, 409)),
        Spec("POST /api/v1/alerts/{alert_id}/resolve", f"/alerts/{w.alert_id}/resolve", "operator",
             {"note": "已处理"}, [("number for note", {"note": 5}, 422, "validation_error")], ok=(200, 409)),
        Spec("POST /api/v1/crises", "/crises", "operator", case, [
            ("severity 4", changed(case, "severity", 4), 422, "validation_error"),
            ("empty title", changed(case, "title", ""), 422, "validation_error"),
            ("title too long", changed(case, "title", "长" * 101), 422, "validation_error"),
            ("unknown alert", {**case, "alert_id": NOWHERE}, 422, "unknown_alert"),
        ]),
        Spec("PATCH /api/v1/crises/{crisis_id}/steps/{step_id}", f"{crisis}/steps/{w.crisis_step_id}", "operator",
             {"done": True}, [
                 ("unknown owner", {"owner_user_id": NOWHERE}, 422, "unknown_owner"),
                 ("string for done", {"done": "yes"}, 422, "validation_error"),
             ]),
        Spec("POST /api/v1/crises/{crisis_id}/compensations/preview", f"{crisis}/compensations/preview", "operator",
             comp, bad_comp),
        Spec("POST /api/v1/crises/{crisis_id}/compensations", f"{crisis}/compensations", "operator", comp, bad_comp,
             ok=(201, 409)),
        Spec("POST /api/v1/crises/{crisis_id}/close", f"{crisis}/close", "operator", {"note": "已复盘"},
             [("note too long", {"note": "长" * 501}, 422, "validation_error")], ok=(200, 409)),
    ]
