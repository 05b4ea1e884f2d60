"""Local services through the API: who sees which merchant, slots from a weekly schedule, booking with its
idempotency and no double-booking (also under concurrency on PostgreSQL), cancellation and its cutoff,
completion, reminders and ratings."""

from __future__ import annotations

from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from linli.core import clock
from linli.localservice.booking import REVIEW_TEXT
from linli.models import ServiceBooking, ServiceSlot
from tests.content.helpers import SUSPICIOUS
from tests.localservice.conftest import MORNING
from tests.localservice.helpers import API, book, booked, code, due, inbox, merchant, service, setup, slot


def test_members_see_only_merchants_serving_their_community_and_schedules_open_14_days(make):
    t = make.tenant()
    here, there = t.default_community(), t.community()["id"]
    m = merchant(t, [here], category="宠物托管", name="萌宠之家")
    merchant(t, [there], name="别处家政")
    svc = service(t, m["id"], capacity=3, price_fen=0)
    # Monday and Thursday 09:30: from Monday 09:00 that is 4 slots in the next 14 days
    t.post(f"/local-services/services/{svc['id']}/schedules", {"weekday": 0, "start_time": "09:30"})
    t.post(f"/local-services/services/{svc['id']}/schedules", {"weekday": 3, "start_time": "09:30"})
    assert due(t, MORNING)["localservice.slots"] == 0  # opened already; the job adds none twice
    [h] = t.members(1, community_id=here)
    [far] = t.members(1, community_id=there)

    mine = t.client.get(f"{API}/merchants", headers=h).json()["items"]
    assert [x["name"] for x in mine] == ["萌宠之家"]
    assert t.client.get(f"{API}/merchants/{m['id']}", headers=far).status_code == 404
    slots = t.client.get(f"{API}/services/{svc['id']}/slots", headers=h).json()
    starts = [clock.local(clock.as_utc(datetime.fromisoformat(x["starts_at"])))
              for x in slots]
    assert [(d.day, d.hour, d.minute) for d in starts] == [(12, 9, 30), (15, 9, 30), (19, 9, 30), (22, 9, 30)]
    assert {x["capacity"] for x in slots} == {3}
    r = t.client.get(f"{API}/services/{svc['id']}/slots", headers=far)
    assert (r.status_code, code(r)) == (404, "service_not_found")
    # a week later the job opens the next ones, none twice
    assert due(t, MORNING + timedelta(days=7))["localservice.slots"] == 2
    dup = t.client.post(f"{API}/services/{svc['id']}/slots", json={"starts_at": slots[1]["starts_at"]}, headers=t.op)
    assert (dup.status_code, code(dup)) == (409, "slot_exists")


def test_book_is_idempotent_one_live_booking_per_slot_and_a_full_slot_refuses(make):
    t = make.tenant()
    _, svc, sl = setup(t, capacity=2)
    a, b, c = t.members(3)
    first = book(t, a, sl["id"], key="k-1", note="请带吸尘器")
    assert first["status"] == "confirmed" and first["price_fen"] == 8000 and first["payment"] == "pay_at_service"
    again = book(t, a, sl["id"], key="k-1", note="请带吸尘器")  # the same request repeated: the first answer
    assert again["id"] == first["id"]
    r = t.client.post(f"{API}/bookings", json={"slot_id": sl["id"]}, headers={**a, "Idempotency-Key": "k-2"})
    assert (r.status_code, code(r)) == (409, "already_booked")
    book(t, b, sl["id"])
    r = t.client.post(f"{API}/bookings", json={"slot_id": sl["id"]}, headers=c)
    assert (r.status_code, code(r)) == (409, "slot_full")
    assert booked(t, sl["id"]) == 2
    assert inbox(t, first["member_id"]) == ["预约成功"]
    r = t.client.post(f"{API}/bookings", json={"slot_id": sl["id"]}, headers=t.op)
    assert r.status_code == 403


def test_cancel_frees_the_seat_until_two_hours_before_and_the_operator_cancels_with_a_reason(make):
    t = make.tenant()
    _, svc, sl = setup(t)  # tomorrow 10:00
    a, b = t.members(2)
    mine = book(t, a, sl["id"])
    done = t.post(f"/local-services/bookings/{mine['id']}/cancel", {}, a, expect=200)
    assert done["status"] == "cancelled" and done["cancelled_by"] == "member" and booked(t, sl["id"]) == 0
    r = t.client.post(f"{API}/bookings/{mine['id']}/cancel", json={}, headers=a)
    assert (r.status_code, code(r)) == (409, "not_cancellable")
    again = book(t, a, sl["id"])  # a cancelled member may book again
    r = t.client.post(f"{API}/bookings/{again['id']}/cancel", json={}, headers=b)  # not b's booking
    assert r.status_code == 404
    with clock.frozen_at(MORNING + timedelta(hours=23, minutes=1)):  # 1 h 59 min before the start
        r = t.client.post(f"{API}/bookings/{again['id']}/cancel", json={}, headers=a)
        assert (r.status_code, code(r)) == (409, "too_late_to_cancel")
        assert booked(t, sl["id"]) == 1
        out = t.post(f"/local-services/bookings/{again['id']}/cancel", {"reason": "师傅临时生病"}, t.op, expect=200)
    assert out["cancelled_by"] == "operator" and out["cancel_reason"] == "师傅临时生病"
    assert booked(t, sl["id"]) == 0
    assert inbox(t, mine["member_id"]) == ["预约成功", "预约成功", "预约已被取消"]


def test_reminder_once_completion_after_the_end_and_one_rating_per_booking(make):
    t = make.tenant()
    _, svc, sl = setup(t)
    [a] = t.members(1)
    mine = book(t, a, sl["id"])
    r = t.client.post(f"{API}/bookings/{mine['id']}/rating", json={"stars": 5}, headers=a)
    assert (r.status_code, code(r)) == (409, "not_completed")
    start = clock.as_utc(datetime(2026, 10, 13, 10, 0))
    assert due(t, start - timedelta(hours=3))["localservice.reminders"] == 0
    assert due(t, start - timedelta(hours=2))["localservice.reminders"] == 1
    assert due(t, start - timedelta(hours=1))["localservice.reminders"] == 0  # once
    assert inbox(t, mine["member_id"]) == ["预约成功", "服务即将开始"]
    assert due(t, start + timedelta(hours=2))["localservice.complete"] == 1
    rating = t.post(f"/local-services/bookings/{mine['id']}/rating", {"stars": 4, "comment": "打扫得很干净"}, a)
    assert rating["stars"] == 4 and rating["comment_visible"] is True
    r = t.client.post(f"{API}/bookings/{mine['id']}/rating", json={"stars": 1}, headers=a)
    assert (r.status_code, code(r)) == (409, "already_rated")
    due(t, start + timedelta(hours=3))  # the outbox delivers the review: points once
    assert t.client.get("/api/v1/me/points", headers=a).json()["balance"] == 10
    m = t.client.get(f"{API}/merchants/{svc['merchant_id']}", headers=a).json()
    assert (m["rating_count"], m["rating_avg"]) == (1, 4.0)
    listed = t.client.get(f"{API}/merchants/{svc['merchant_id']}/ratings", headers=a).json()
    assert [x["comment"] for x in listed] == ["打扫得很干净"]


def test_operator_completes_a_started_booking_and_a_blocked_comment_is_refused(make):
    t = make.tenant()
    t.post("/moderation/words", {"word": "骗子", "level": "block"}, expect=201)
    _, svc, sl = setup(t)
    [a] = t.members(1)
    mine = book(t, a, sl["id"])
    r = t.client.post(f"{API}/bookings/{mine['id']}/complete", headers=t.op)
    assert (r.status_code, code(r)) == (409, "not_started")
    with clock.frozen_at(clock.as_utc(datetime(2026, 10, 13, 10, 30))):
        assert t.post(f"/local-services/bookings/{mine['id']}/complete", None, t.op, expect=200)["status"] \
            == "completed"
        r = t.client.post(f"{API}/bookings/{mine['id']}/rating", json={"stars": 1, "comment": "就是骗子"}, headers=a)
        assert (r.status_code, code(r)) == (422, "sensitive_content")
    m = t.client.get(f"{API}/merchants/{svc['merchant_id']}", headers=t.op).json()
    assert m["rating_count"] == 0  # nothing half-written


def test_a_suspicious_comment_waits_in_the_moderation_queue_until_a_reviewer_decides(make):
    """Held comments are cases of kind "rating": hidden from others (the stars count at once) until approved;
    a rejected one stays hidden."""
    t = make.tenant()
    _, svc, first = setup(t)
    second = slot(t, svc["id"], "2026-10-14T10:00:00+08:00")
    [a, b, neighbour] = t.members(3)
    bookings = [book(t, a, first["id"]), book(t, b, second["id"])]
    due(t, clock.as_utc(datetime(2026, 10, 14, 12, 0)))  # both slots have ended: completed
    held = [t.post(f"/local-services/bookings/{x['id']}/rating", {"stars": 3, "comment": f"{n}号{SUSPICIOUS}"}, h)
            for n, (x, h) in enumerate(zip(bookings, [a, b], strict=True))]
    assert [r["comment_visible"] for r in held] == [False, False]
    cases = t.client.get("/api/v1/moderation/cases?subject_kind=rating", headers=t.op).json()["items"]
    assert sorted((c["subject_id"], c["text"]) for c in cases) == [(r["id"], r["comment"]) for r in held]
    by_subject = {c["subject_id"]: c["id"] for c in cases}
    m = t.client.get(f"{API}/merchants/{svc['merchant_id']}", headers=a).json()
    assert (m["rating_count"], m["rating_avg"]) == (2, 3.0)

    def shown() -> list[str]:
        return [x["comment"] for x in t.client.get(f"{API}/merchants/{svc['merchant_id']}/ratings",
                                                     headers=neighbour).json()]
    assert shown() == [REVIEW_TEXT, REVIEW_TEXT]
    t.post(f"/moderation/cases/{by_subject[held[0]['id']]}/decision", {"decision": "approve"}, expect=200)
    t.post(f"/moderation/cases/{by_subject[held[1]['id']]}/decision", {"decision": "reject"}, expect=200)
    due(t, clock.as_utc(datetime(2026, 10, 14, 12, 5)))  # the outbox delivers the decisions
    assert sorted(shown()) == sorted([held[0]["comment"], REVIEW_TEXT])


def test_ten_members_race_for_one_seat_and_one_member_repeats_itself(make, db):
    if db.dialect != "postgresql":
        pytest.skip("concurrency is proven on PostgreSQL (SQLite serialises writers)")
    t = make.tenant()
    _, svc, one_seat = setup(t)
    roomy = slot(t, svc["id"], "2026-10-14T10:00:00+08:00", capacity=5)
    racers = t.members(10)

    def race(h) -> tuple[int, str | None]:
        r = t.client.post(f"{API}/bookings", json={"slot_id": one_seat["id"]}, headers=h)
        return r.status_code, code(r) if r.status_code != 201 else None

    def repeat(i: int) -> int:
        r = t.client.post(f"{API}/bookings", json={"slot_id": roomy["id"]},
                          headers={**racers[0], "Idempotency-Key": f"dup-{i % 2}"})
        return r.status_code

    with ThreadPoolExecutor(max_workers=10) as pool:
        results = Counter(pool.map(race, racers))
        repeats = Counter(pool.map(repeat, range(6)))
    assert results == {(201, None): 1, (409, "slot_full"): 9}
    assert booked(t, one_seat["id"]) == 1
    assert set(repeats) <= {201, 409} and repeats[201] >= 1
    with t.db.unit_of_work() as s:
        live = s.scalar(select(func.count()).select_from(ServiceBooking).where(
            ServiceBooking.slot_id == roomy["id"], ServiceBooking.status == "confirmed"))
        seats = s.scalar(select(ServiceSlot.booked).where(ServiceSlot.id == roomy["id"]))
    assert (live, seats) == (1, 1)
