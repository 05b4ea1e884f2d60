"""Bad-input cases of the community calendar's events and the traceability batches (see bad_bodies.Spec)."""

from __future__ import annotations

from typing import Any

from linli.core import clock
from tests.api.bad_bodies import NOWHERE, Spec, changed
from tests.api.conftest import Populated


def event_body(community_id: int | None) -> dict[str, Any]:
    return {"title": "社区义诊", "starts_at": "2026-10-03T09:00:00+08:00", "ends_at": "2026-10-03T11:00:00+08:00",
            "place": "小区广场", "description": "免费量血压", "community_id": community_id}


def batch_body(product_id: int, code: str) -> dict[str, Any]:
    return {"code": code, "product_id": product_id, "origin": "山东烟台", "producer": "栖霞果园",
            "produced_on": "2026-09-01", "quantity": 100, "unit": "箱", "inspection_no": "QJ-1"}


def entry_body() -> dict[str, Any]:
    return {"stage": "transport", "occurred_at": clock.now().isoformat(), "place": "冷链车", "operator": "李师傅"}


def trace_calendar_specs(w: Populated) -> list[Spec]:
    ev, batch, entry = event_body(w.community_id), batch_body(w.product_id, "SPEC-1"), entry_body()
    return [
        Spec("POST /api/v1/calendar/events", "/calendar/events", "operator", ev, [
            ("ends before it starts", changed(ev, "ends_at", "2026-10-03T08:00:00+08:00"), 422, "invalid_window"),
            ("longer than a month", changed(ev, "ends_at", "2026-12-03T08:00:00+08:00"), 422, "invalid_window"),
            ("unknown community", changed(ev, "community_id", NOWHERE), 422, "unknown_community"),
            ("empty title", changed(ev, "title", " "), 422, "validation_error"),
            ("not a time", changed(ev, "starts_at", "明天"), 422, "validation_error"),
        ]),
        Spec("PUT /api/v1/calendar/events/{event_id}", f"/calendar/events/{w.calendar_event_id}", "leader", ev, [
            ("another community", changed(ev, "community_id", NOWHERE), 403, "not_your_community"),
            ("title too long", changed(ev, "title", "长" * 101), 422, "validation_error"),
        ]),
        Spec("POST /api/v1/batches", "/batches", "operator", batch, [
            ("code taken", changed(batch, "code", "POP-1"), 409, "batch_code_taken"),
            ("unknown product", changed(batch, "product_id", NOWHERE), 422, "unknown_product"),
            ("code with spaces", changed(batch, "code", "A B"), 422, "validation_error"),
            ("negative quantity", changed(batch, "quantity", -1), 422, "validation_error"),
            ("not a date", changed(batch, "produced_on", "去年"), 422, "validation_error"),
        ]),
        Spec("POST /api/v1/batches/{batch_id}/entries", f"/batches/{w.batch_id}/entries", "operator", entry, [
            ("unknown stage", changed(entry, "stage", "teleport"), 422, "validation_error"),
            ("before the last entry", changed(entry, "occurred_at", "2020-01-01T00:00:00+08:00"), 422,
             "entry_before_previous"),
            ("in the future", changed(entry, "occurred_at", "2099-01-01T00:00:00+08:00"), 422, "entry_in_future"),
        ]),
    ]
