"""The messaging API: the member's inbox and preferences, the operator's sends, log and settings."""

from __future__ import annotations

from typing import Any

from linli.core import clock
from tests.api.conftest import API, assert_error, row_counts
from tests.messaging.helpers import shanghai


def _send(t: Any, member_ids: list[int], key: str | None = None, **kw: Any) -> Any:
    body = {"member_ids": member_ids, "category": "service", "title": "取货提醒", "body": "您的订单已到自提点。", **kw}
    headers = t.op | ({"Idempotency-Key": key} if key else {})
    return t.client.post(f"{API}/messages", json=body, headers=headers)


def test_operator_sends_member_reads(make):
    t = make.tenant()
    m, h = t.member()
    other, other_h = t.member()
    with clock.frozen_at(shanghai("2026-06-01 12:00")):
        r = _send(t, [m["id"], other["id"]], channels=["inbox", "sms", "wechat"])
        assert r.status_code == 201, r.text
        sent = r.json()
        assert sent["counts"] == {"sent": 4, "skipped": 2}  # no WeChat openid bound
        assert {(d["member_id"], d["channel"], d["status"], d["reason"]) for d in sent["deliveries"]} >= {
            (m["id"], "wechat", "skipped", "no_openid"), (m["id"], "inbox", "sent", None)}
        inbox = t.client.get(f"{API}/me/messages", headers=h).json()
        assert inbox["unread"] == 1 and [i["title"] for i in inbox["items"]] == ["取货提醒"]
        msg_id = inbox["items"][0]["id"]
        read = t.client.post(f"{API}/me/messages/{msg_id}/read", headers=h)
        assert read.status_code == 200 and read.json()["read_at"].startswith("2026-06-01T12:00:00+08:00")
        again = t.client.post(f"{API}/me/messages/{msg_id}/read", headers=h).json()
        assert again["read_at"] == read.json()["read_at"]  # the first read stays
        assert t.client.get(f"{API}/me/messages", headers=h).json()["unread"] == 0
        # the other member cannot read it
        assert_error(t.client.post(f"{API}/me/messages/{msg_id}/read", headers=other_h), 404, "message_not_found")
        assert t.client.get(f"{API}/me/messages", headers=other_h).json()["unread"] == 1


def test_a_repeated_send_with_the_same_key_sends_once(make):
    t = make.tenant()
    m, h = t.member()
    first = _send(t, [m["id"]], key="send-1")
    again = _send(t, [m["id"]], key="send-1")
    assert (again.status_code, again.json()) == (first.status_code, first.json())
    assert again.headers["idempotent-replayed"] == "true"
    assert len(t.client.get(f"{API}/me/messages", headers=h).json()["items"]) == 1
    _send(t, [m["id"]])  # no key: a new message
    assert len(t.client.get(f"{API}/me/messages", headers=h).json()["items"]) == 2


def test_an_unknown_member_sends_nothing(make, db):
    t = make.tenant()
    m, _ = t.member()
    counts = row_counts(db)
    assert_error(_send(t, [m["id"], 999999]), 422, "unknown_member")
    assert row_counts(db) == counts


def test_the_delivery_log_filters_and_pages(make):
    t = make.tenant()
    m, _ = t.member()
    other, _ = t.member()
    with clock.frozen_at(shanghai("2026-06-01 12:00")):
        _send(t, [m["id"], other["id"]], channels=["inbox", "sms"])
    with clock.frozen_at(shanghai("2026-06-02 23:00")):
        _send(t, [m["id"]], category="marketing", title="周末特价")

    def log(**params: Any) -> list[dict[str, Any]]:
        r = t.client.get(f"{API}/message-deliveries", headers=t.op, params=params)
        assert r.status_code == 200, r.text
        return r.json()["items"]

    assert len(log()) == 5
    assert {d["member_id"] for d in log(member_id=other["id"])} == {other["id"]}
    assert {d["channel"] for d in log(channel="sms")} == {"sms"}
    (deferred,) = log(status="deferred")
    assert deferred["title"] == "周末特价" and deferred["due_at"] == "2026-06-03T08:00:00+08:00"
    assert len(log(source="operator")) == 5 and log(source="journey") == []
    assert len(log(since="2026-06-02T00:00:00+08:00")) == 1
    assert len(log(until="2026-06-02T00:00:00+08:00")) == 4
    page = t.client.get(f"{API}/message-deliveries", headers=t.op, params={"limit": 2}).json()
    rest = t.client.get(f"{API}/message-deliveries", headers=t.op,
                        params={"limit": 10, "cursor": page["next_cursor"]}).json()
    assert len(page["items"]) == 2 and len(rest["items"]) == 3 and rest["next_cursor"] is None
    one = t.client.get(f"{API}/message-deliveries/{deferred['id']}", headers=t.op).json()
    assert one == deferred
    assert_error(t.client.get(f"{API}/message-deliveries", headers=t.op, params={"status": "lost"}), 422)


def test_settings_round_trip_and_defaults(make):
    t = make.tenant()
    got = t.client.get(f"{API}/messaging/settings", headers=t.op).json()
    assert got == {"quiet_hours_enabled": True, "quiet_start": "22:00", "quiet_end": "08:00",
                   "timezone": "Asia/Shanghai", "marketing_daily_cap": 2, "marketing_weekly_cap": 5,
                   "sms_signature": "邻里", "sandbox_sms_fail_pattern": None, "sandbox_wechat_fail_pattern": None}
    body = {**got, "quiet_start": "21:30", "marketing_daily_cap": 3, "sandbox_sms_fail_pattern": "1380000*"}
    r = t.client.put(f"{API}/messaging/settings", headers=t.op, json=body)
    assert r.status_code == 200 and r.json() == body
    assert t.client.get(f"{API}/messaging/settings", headers=t.op).json() == body


def test_preferences_round_trip(make):
    t = make.tenant()
    m, h = t.member()
    assert t.client.get(f"{API}/me/message-preferences", headers=h).json() == {
        "marketing": True, "sms": True, "wechat": True, "wechat_bound": False}
    prefs = {"marketing": False, "sms": True, "wechat": False}
    r = t.client.put(f"{API}/me/message-preferences", headers=h, json=prefs)
    assert r.status_code == 200 and r.json()["marketing"] is False
    with clock.frozen_at(shanghai("2026-06-01 12:00")):
        sent = _send(t, [m["id"]], category="marketing", channels=["inbox", "wechat"]).json()
    assert [(d["status"], d["reason"]) for d in sent["deliveries"]] == [("skipped", "unsubscribed_marketing")] * 2
