"""Daily check-ins: one credit per Asia/Shanghai day whatever the burst, streaks, the calendar."""

from __future__ import annotations

from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

import pytest
from sqlalchemy import func, select

from linli.core import clock
from linli.models import Checkin, PointsTransaction
from linli.points import service as points


def _at(day: int, hour: int = 9, minute: int = 0, month: int = 12, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=clock.SHANGHAI)


def _check_in(t, h, at: datetime, key: str | None = None):
    headers = h | ({"Idempotency-Key": key} if key else {})
    with clock.frozen_at(at):
        return t.client.post("/api/v1/checkins", headers=headers)


def _balance(t, member_id: int) -> int:
    with t.db.unit_of_work() as s:
        return points.balance(s, t.tenant_id, member_id)


def test_once_a_day_and_a_repeat_is_refused(make):
    t = make.tenant()
    m, h = t.member()
    first = _check_in(t, h, _at(1))
    assert first.status_code == 201, first.text
    assert first.json() == {"day": "2026-12-01", "streak": 1, "points": 5}  # default rule: 5 a day
    again = _check_in(t, h, _at(1, 22))
    assert again.status_code == 409 and again.json()["error"]["code"] == "already_checked_in"
    assert _balance(t, m["id"]) == 5


def test_idempotency_key_replays_the_first_answer(make):
    t = make.tenant()
    m, h = t.member()
    first = _check_in(t, h, _at(2), key="tap-1")
    replay = _check_in(t, h, _at(2, 10), key="tap-1")
    assert first.status_code == replay.status_code == 201
    assert replay.json() == first.json() and replay.headers.get("Idempotent-Replayed") == "true"
    assert _check_in(t, h, _at(2, 11), key="tap-2").status_code == 409
    assert _balance(t, m["id"]) == 5


def test_streaks_follow_the_shanghai_calendar(make):
    t = make.tenant()
    m, h = t.member()
    # 23:59 and 00:01 +08:00 are the same UTC day but two local days
    late, early = _at(1, 23, 59), _at(2, 0, 1)
    assert clock.as_utc(late).date() == clock.as_utc(early).date()
    assert _check_in(t, h, late).json()["streak"] == 1
    assert _check_in(t, h, early).json()["streak"] == 2
    # 3 December missed: the streak starts again
    assert _check_in(t, h, _at(4)).json() == {"day": "2026-12-04", "streak": 1, "points": 5}
    answers = [_check_in(t, h, _at(d)).json() for d in range(5, 11)]
    assert [a["streak"] for a in answers] == [2, 3, 4, 5, 6, 7]
    assert [a["points"] for a in answers] == [5, 5, 5, 5, 5, 5 + 10]  # the 7th day earns the streak bonus
    assert _balance(t, m["id"]) == 5 * 9 + 10
    with t.db.unit_of_work() as s:
        kinds = Counter(s.scalars(select(PointsTransaction.kind).where(PointsTransaction.tenant_id == t.tenant_id)))
    assert kinds == {"checkin": 9, "checkin_streak": 1}


def test_calendar_of_a_month(make):
    t = make.tenant()
    m, h = t.member()
    for day in (1, 2, 4, 5, 6, 7, 8, 9, 10, 30):
        assert _check_in(t, h, _at(day)).status_code == 201
    with clock.frozen_at(_at(31, 20)):
        cal = t.client.get("/api/v1/me/checkins", headers=h, params={"month": "2026-12"}).json()
        assert t.client.get("/api/v1/me/checkins", headers=h).json() == cal  # default: this month
    assert cal["month"] == "2026-12" and len(cal["days"]) == 31
    assert cal["days"][0]["day"] == "2026-12-01" and cal["days"][-1]["day"] == "2026-12-31"
    marked = {d["day"][-2:]: d["points"] for d in cal["days"] if d["checked_in"]}
    assert marked == {"01": 5, "02": 5, "04": 5, "05": 5, "06": 5, "07": 5, "08": 5, "09": 5, "10": 15, "30": 5}
    assert all(d["points"] == 0 for d in cal["days"] if not d["checked_in"])
    # as of 31 December: yesterday's streak is still alive, today not yet checked in
    assert (cal["streak"], cal["checked_in_today"]) == (1, False)

    assert _check_in(t, h, _at(1, 8, month=1, year=2027)).json()["streak"] == 1  # 31 December missed
    with clock.frozen_at(_at(1, 9, month=1, year=2027)):
        jan = t.client.get("/api/v1/me/checkins", headers=h, params={"month": "2027-01"}).json()
        bad = t.client.get("/api/v1/me/checkins", headers=h, params={"month": "2026-13"})
    assert [d["day"] for d in jan["days"] if d["checked_in"]] == ["2027-01-01"]
    assert (jan["streak"], jan["checked_in_today"]) == (1, True)
    assert bad.status_code == 422
    with clock.frozen_at(_at(3, 9, month=1, year=2027)):  # two days later the streak is broken
        assert t.client.get("/api/v1/me/checkins", headers=h).json()["streak"] == 0


def test_only_members_check_in(make):
    t = make.tenant()
    r = t.client.post("/api/v1/checkins", headers=t.op)
    assert r.status_code == 403


def test_a_burst_of_20_check_ins_credits_once(make, db):
    if db.dialect != "postgresql":
        pytest.skip("concurrency is proven on PostgreSQL (SQLite serialises writers)")
    t = make.tenant()
    m, h = t.member()

    def tap(_: int) -> tuple[int, str | None]:
        r = t.client.post("/api/v1/checkins", headers=h)
        return r.status_code, (r.json().get("error") or {}).get("code")

    clock.set_process_time(_at(15, 12))  # every thread on one day, far from midnight
    try:
        with ThreadPoolExecutor(max_workers=20) as pool:
            results = Counter(pool.map(tap, range(20)))
        assert _balance(t, m["id"]) == 5
    finally:
        clock.set_process_time(None)
    assert results == {(201, None): 1, (409, "already_checked_in"): 19}
    with t.db.unit_of_work() as s:
        assert s.scalar(select(func.count()).select_from(Checkin)) == 1
        credits = s.scalar(select(func.count()).select_from(PointsTransaction)
                           .where(PointsTransaction.kind == "checkin"))
    assert credits == 1
