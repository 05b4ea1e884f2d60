"""The definition check and the time rules, without a database."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from linli.core.errors import Invalid
from linli.journey import definition
from linli.journey.engine import wait_until
from linli.journey.templates import TEMPLATES, fill
from linli.journey.triggers import last_slot


def _wait(hours: int | None, until: str | None) -> dict:
    return {"id": "w", "type": "wait", "hours": hours, "until": until, "next": None}


def test_wait_for_hours_then_until_a_time_of_day_in_shanghai():
    start = datetime(2026, 12, 3, 13, 30, tzinfo=UTC)  # 21:30 in Shanghai
    assert wait_until(start, _wait(72, None)) == datetime(2026, 12, 6, 13, 30, tzinfo=UTC)
    assert wait_until(start, _wait(None, "10:00")) == datetime(2026, 12, 4, 2, 0, tzinfo=UTC)  # next morning
    assert wait_until(start, _wait(None, "22:00")) == datetime(2026, 12, 3, 14, 0, tzinfo=UTC)  # later today
    assert wait_until(start, _wait(24, "10:00")) == datetime(2026, 12, 5, 2, 0, tzinfo=UTC)


def test_the_schedule_takes_only_the_latest_slot():
    trig = {"every_days": 1, "at": "10:00"}
    since = datetime(2026, 12, 1, 0, 0, tzinfo=UTC)
    at = datetime(2026, 12, 4, 3, 0, tzinfo=UTC)  # 11:00 Shanghai on the 4th
    assert last_slot(trig, since, at) == datetime(2026, 12, 4, 2, 0, tzinfo=UTC)
    assert last_slot(trig, datetime(2026, 12, 4, 2, 0, tzinfo=UTC), at) is None  # already taken


def test_every_template_passes_the_check_once_filled():
    for t in TEMPLATES:
        parsed = definition.parse(fill(t.definition, {"coupon_template_id": 1}))
        assert parsed["start"] == t.definition["start"]


@pytest.mark.parametrize("raw", [None, [], "x", {"trigger": {"kind": ["event"]}, "steps": []},
                                 {"trigger": {"kind": "event", "topic": {"a": 1}}, "steps": [{}]},
                                 {"trigger": {"kind": "idle", "days": True}, "steps": [{"id": "a"}]},
                                 {"trigger": {"kind": "idle", "days": 3},
                                  "steps": [{"id": "a", "type": "action", "action": ["x"]}]},
                                 {"trigger": {"kind": "idle", "days": 3},
                                  "steps": [{"id": "a", "type": "condition", "check": {"kind": {}}}]}])
def test_malformed_definitions_are_invalid_never_a_crash(raw):
    with pytest.raises(Invalid) as exc:
        definition.parse(raw)
    assert exc.value.code.startswith("journey_")
