"""Journeys over the audience domain: entering a segment starts one, in-segment and tag conditions branch it,
a schedule reaches a segment's members once per slot, and an unknown segment is a 422."""

from __future__ import annotations

from datetime import datetime, timedelta

from linli.core import clock
from tests.api.conftest import API, assert_error
from tests.journey.helpers import due, journey, points_grants, runs
from tests.lifecycle.helpers import buy_and_pay


def _buyers_segment(t) -> int:
    t.post("/tags", {"code": "buyer", "name": "有消费", "rule": "orders_365d >= 1"})
    return int(t.post("/segments", {"name": "下过单的邻居", "definition": {"tag": "buyer"}})["id"])


def test_entering_a_segment_starts_a_journey_and_conditions_read_segments_and_tags(make):
    t = make.tenant()
    seg = _buyers_segment(t)
    journey(t, {"trigger": {"kind": "event", "topic": "segment.entered", "filter": {"segment_id": seg}},
                "steps": [
                    {"id": "in", "type": "condition", "check": {"kind": "in_segment", "segment_id": seg},
                     "if_true": "tagged", "if_false": None},
                    {"id": "tagged", "type": "condition", "check": {"kind": "has_tag", "tag": "buyer"},
                     "if_true": "gift", "if_false": None},
                    {"id": "gift", "type": "action", "action": "grant_points", "amount": 20, "next": None}]})
    product = t.product()
    (m, h), (other, _) = t.member(), t.member()
    at = clock.now() + timedelta(minutes=1)
    buy_and_pay(t, h, product["id"], at=at)
    due(t, at + timedelta(minutes=1))
    assert [r[:3] for r in runs(t, m["id"])] == [("in", "done", "true"), ("tagged", "done", "true"),
                                                 ("gift", "done", "granted")]
    assert points_grants(t, m["id"]) == 1 and runs(t, other["id"]) == []


def test_a_schedule_reaches_the_segment_once_per_slot(make):
    t = make.tenant()
    seg = _buyers_segment(t)
    j = journey(t, {"trigger": {"kind": "schedule", "every_days": 1, "at": "10:00", "segment_id": seg},
                    "reentry": "every_trigger",
                    "steps": [{"id": "gift", "type": "action", "action": "grant_points", "amount": 5,
                               "next": None}]})
    product = t.product()
    m, h = t.member()
    start = clock.now()
    buy_and_pay(t, h, product["id"], at=start + timedelta(minutes=1))
    due(t, start + timedelta(minutes=2))
    # the first 10:00 (Shanghai) after those runs: today's before 10:00 local time, else tomorrow's
    after = clock.local(start + timedelta(minutes=3))
    day = after.date() + timedelta(days=0 if after.hour < 10 else 1)
    ten = clock.as_utc(datetime(day.year, day.month, day.day, 10, 0, tzinfo=clock.SHANGHAI))
    due(t, ten - timedelta(minutes=1))
    assert points_grants(t, m["id"]) == 0
    for minutes in (1, 5, 60):  # the 10:00 slot, reached by three runs: once
        due(t, ten + timedelta(minutes=minutes))
    assert points_grants(t, m["id"]) == 1
    due(t, ten + timedelta(days=1, minutes=1))  # the next day's slot
    assert points_grants(t, m["id"]) == 2
    f = t.client.get(f"{API}/journeys/{j['id']}/funnel", headers=t.op).json()
    assert f["enrolled"] == 2 and f["steps"][0]["outcomes"] == {"granted": 2}


def test_an_unknown_segment_is_422(make):
    t = make.tenant()
    r = t.client.post(f"{API}/journeys", headers=t.op, json={"name": "人群", "definition": {
        "trigger": {"kind": "event", "topic": "segment.entered", "filter": {"segment_id": 2**40}},
        "steps": [{"id": "gift", "type": "action", "action": "grant_points", "amount": 5, "next": None}]}})
    assert_error(r, 422, "unknown_segment")
