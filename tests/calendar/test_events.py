"""Events on the community calendar: who adds, changes and sees which, and the month view merging them with
the year's marks."""

from __future__ import annotations

from typing import Any

from tests.api.conftest import assert_error

API = "/api/v1"


def event(title: str, day: str = "2026-10-03", community_id: int | None = None, **kw: Any) -> dict[str, Any]:
    body = {"title": title, "starts_at": f"{day}T09:00:00+08:00", "ends_at": f"{day}T11:30:00+08:00",
            "place": "小区广场", "description": "欢迎邻居参加", "community_id": community_id}
    body.update(kw)
    return body


def _titles(cal: dict[str, Any], day: str) -> list[str]:
    return [e["title"] for d in cal["days"] if d["date"] == day for e in d["events"]]


def test_who_adds_changes_and_sees_which_events(make):
    t = make.tenant()
    a, b = t.community()["id"], t.community()["id"]
    _, _, leader_h = t.leader(a)
    member_h, = t.members(1, a)
    other_member_h, = t.members(1, b)
    t.post("/calendar/events", event("全小区国庆游园"))
    ours = t.post("/calendar/events", event("A区义诊", community_id=a))
    theirs = t.post("/calendar/events", event("B区跳蚤市场", community_id=b))
    mine = t.post("/calendar/events", event("团长品鉴会", community_id=None), leader_h)
    assert (mine["community_id"], mine["added_by"]) == (a, "leader")  # a leader's event: their community
    assert_error(t.client.post(f"{API}/calendar/events", json=event("越界", community_id=b), headers=leader_h),
                 403, "not_your_community")

    def seen(headers: dict[str, str], **params: Any) -> list[str]:
        r = t.client.get(f"{API}/calendar", params={"month": "2026-10", **params}, headers=headers)
        assert r.status_code == 200, r.text
        return sorted(_titles(r.json(), "2026-10-03"))

    assert seen(t.op) == sorted(["全小区国庆游园", "A区义诊", "B区跳蚤市场", "团长品鉴会"])
    assert seen(t.op, community_id=b) == seen(other_member_h) == sorted(["全小区国庆游园", "B区跳蚤市场"])
    assert seen(leader_h) == seen(member_h) == sorted(["全小区国庆游园", "A区义诊", "团长品鉴会"])
    assert seen(other_member_h) == sorted(["全小区国庆游园", "B区跳蚤市场"])
    for h in (leader_h, member_h):
        assert_error(t.client.get(f"{API}/calendar", params={"month": "2026-10", "community_id": b}, headers=h),
                     404, "community_not_found")
        assert_error(t.client.get(f"{API}/calendar/events/{theirs['id']}", headers=h), 404, "event_not_found")
    # a leader changes their communities' events (the operator's too), not another's nor a tenant-wide one
    r = t.client.put(f"{API}/calendar/events/{ours['id']}", json=event("A区义诊(改到周日)", "2026-10-04"),
                     headers=leader_h)
    assert r.status_code == 200 and r.json()["community_id"] == a, r.text
    assert_error(t.client.put(f"{API}/calendar/events/{theirs['id']}", json=event("改"), headers=leader_h),
                 404, "event_not_found")
    wide = seen(t.op)
    wide_id = [e["id"] for d in t.client.get(f"{API}/calendar", params={"month": "2026-10"}, headers=t.op)
               .json()["days"] for e in d["events"] if e["community_id"] is None][0]
    assert_error(t.client.delete(f"{API}/calendar/events/{wide_id}", headers=leader_h), 403, "not_your_community")
    assert_error(t.client.put(f"{API}/calendar/events/{mine['id']}", json=event("改", community_id=b),
                              headers=leader_h), 403, "not_your_community")
    assert "A区义诊(改到周日)" not in wide and seen(member_h) == sorted(["全小区国庆游园", "团长品鉴会"])
    # deleting twice changes nothing more; a deleted event is gone from the calendar and cannot be changed
    for _ in range(2):
        assert t.client.delete(f"{API}/calendar/events/{mine['id']}", headers=leader_h).status_code == 204
    assert seen(member_h) == ["全小区国庆游园"]
    assert_error(t.client.put(f"{API}/calendar/events/{mine['id']}", json=event("复活"), headers=leader_h),
                 409, "event_cancelled")
    assert t.client.get(f"{API}/calendar/events/{mine['id']}", headers=t.op).json()["cancelled"] is True


def test_the_month_view_merges_terms_holidays_workdays_and_events(make):
    t = make.tenant()
    t.post("/calendar/events", event("国庆三日游", "2026-10-02", ends_at="2026-10-04T18:00:00+08:00"))
    cal = t.client.get(f"{API}/calendar", params={"month": "2026-10"}, headers=t.op).json()
    assert cal["holidays_announced"] is True and cal["notice"] is None
    days = {d["date"]: d for d in cal["days"]}
    assert cal["days"][0]["date"] == "2026-09-28" and cal["days"][-1]["date"] == "2026-11-01"  # Monday..Sunday
    assert len(cal["days"]) % 7 == 0 and not days["2026-09-28"]["in_month"] and days["2026-10-01"]["in_month"]
    assert days["2026-10-01"]["day_off"] is True and days["2026-10-10"]["day_off"] is False
    assert days["2026-10-12"]["day_off"] is None
    assert [m["label"] for m in days["2026-10-10"]["marks"]] == ["调休上班(国庆节)"]
    term = [m for m in days["2026-10-08"]["marks"] if m["kind"] == "term"][0]
    assert term["name"] == "寒露" and "蟹" in term["suggestion"] and term["at"].startswith("2026-10-08T")
    assert [d for d in days if _titles(cal, d)] == ["2026-10-02", "2026-10-03", "2026-10-04"]
    unknown = t.client.get(f"{API}/calendar", params={"month": "2031-02"}, headers=t.op).json()
    assert unknown["holidays_announced"] is False and unknown["notice"] == "节假日安排未公布"
    assert {m["kind"] for d in unknown["days"] for m in d["marks"]} == {"term", "festival"}


def test_bad_input_is_refused_and_writes_nothing(make):
    t = make.tenant()
    c = t.community()["id"]
    bad = [(event("倒着", ends_at="2026-10-03T08:00:00+08:00"), 422, "invalid_window"),
           (event("太长", ends_at="2026-12-03T08:00:00+08:00"), 422, "invalid_window"),
           (event("无此小区", community_id=c + 999), 422, "unknown_community"),
           (event(""), 422, None)]
    for body, status, code in bad:
        r = t.client.post(f"{API}/calendar/events", json=body, headers=t.op)
        assert r.status_code == status, r.text
        if code:
            assert r.json()["error"]["code"] == code
    for month in ("2026-13", "26-01", "0000-01"):
        assert t.client.get(f"{API}/calendar", params={"month": month}, headers=t.op).status_code == 422
    cal = t.client.get(f"{API}/calendar", params={"month": "2026-10"}, headers=t.op).json()
    assert not any(d["events"] for d in cal["days"])


def test_the_member_upcoming_section(make):
    t = make.tenant()
    member_h, = t.members(1)
    t.post("/calendar/events", event("中秋游园会", "2026-09-24"))
    up = t.client.get(f"{API}/calendar/upcoming", headers=member_h).json()
    assert (up["next_term"]["name"], up["next_term_date"]) == ("秋分", "2026-09-23")
    assert (up["next_festival"]["name"], up["next_festival_date"]) == ("中秋节", "2026-09-25")
    assert "月饼" in up["next_festival"]["suggestion"]
    assert [e["title"] for e in up["events"]] == ["中秋游园会"]
