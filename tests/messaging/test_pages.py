"""The messaging pages: the member's inbox, message, preferences and one-tap unsubscribe; the console's delivery
log with its send form, and the settings."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from linli.messaging import inbox
from linli.models import MessageDelivery
from tests.messaging.helpers import member_id, msg, principal, send


def _login(client: Any, name: str, path: str, headers: dict[str, str]) -> None:
    client.cookies.set(name, headers["Authorization"].split(" ", 1)[1], domain="testserver.local", path=path)


def test_console_sends_and_the_member_reads_in_the_inbox(client, make):
    t = make.tenant()
    m, h = t.member()
    _login(client, "linli_token", "/console", t.op)
    _login(client, "linli_member", "/m", h)
    r = client.post("/console/messages", data={"member_ids": f"{m['id']}", "category": "service", "title": "取货提醒",
                                               "body": "您的鸡蛋已到自提点。", "channel_inbox": "on"},
                    follow_redirects=False)
    assert r.status_code == 303, r.text
    log = client.get("/console/messages").text
    assert "取货提醒" in log and "已发送" in log and "站内信" in log
    me = client.get("/m/me").text
    assert 'id="unread-badge">1<' in me
    page = client.get("/m/inbox").text
    assert "1 条未读" in page and "取货提醒" in page
    with t.db.unit_of_work() as s:
        message_id = inbox.inbox(s, principal(t, m["id"]), 10, None).items[0].id
    detail = client.get(f"/m/inbox/{message_id}").text
    assert "您的鸡蛋已到自提点。" in detail and "已读" in detail
    assert "没有未读消息" in client.get("/m/inbox").text
    assert "unread-badge" not in client.get("/m/me").text


def test_the_send_form_refuses_bad_input_and_writes_nothing(client, make):
    t = make.tenant()
    _login(client, "linli_token", "/console", t.op)
    r = client.post("/console/messages", data={"member_ids": "12, abc", "title": "", "body": "", "category": "service"})
    assert r.status_code == 422 and "请填写会员ID" in r.text and "请至少选择一个渠道" in r.text
    r = client.post("/console/messages", data={"member_ids": "999999", "title": "标题", "body": "内容",
                                               "category": "service", "channel_inbox": "on"})
    assert r.status_code == 422 and "会员不存在" in r.text
    with t.db.unit_of_work() as s:
        assert s.scalars(select(MessageDelivery)).all() == []


def test_one_tap_unsubscribe_without_signing_in(client, make):
    t = make.tenant()
    m = member_id(t)
    send(t, m, msg("first"))
    with t.db.unit_of_work() as s:
        link = inbox.unsubscribe_link(s, t.tenant_id, m)
    assert link and link.startswith("/m/unsubscribe/")
    client.cookies.clear()
    page = client.get(link)
    assert page.status_code == 200 and "确认退订" in page.text
    done = client.post(link, follow_redirects=True)
    assert done.status_code == 200 and "您将不再收到营销消息" in done.text
    (d,) = send(t, m, msg("second"))
    assert (d.status, d.reason) == ("skipped", "unsubscribed_marketing")
    assert client.get("/m/unsubscribe/" + "0" * 32).status_code == 404
    assert client.get("/m/unsubscribe/nonsense").status_code == 404


def test_member_preferences_page_saves(client, make):
    t = make.tenant()
    m, h = t.member()
    _login(client, "linli_member", "/m", h)
    r = client.post("/m/inbox/preferences", data={"sms": "on"}, follow_redirects=True)
    assert r.status_code == 200 and "已保存" in r.text
    assert 'id="pref-marketing" checked' not in r.text and 'id="pref-sms" checked' in r.text
    (d,) = send(t, m["id"], msg("x"))
    assert d.reason == "unsubscribed_marketing"


def test_console_settings_page_saves_and_refuses(client, make):
    t = make.tenant()
    _login(client, "linli_token", "/console", t.op)
    page = client.get("/console/messaging/settings")
    assert page.status_code == 200 and 'value="22:00"' in page.text
    form = {"quiet_hours_enabled": "on", "quiet_start": "21:30", "quiet_end": "08:00", "timezone": "Asia/Shanghai",
            "marketing_daily_cap": "3", "marketing_weekly_cap": "2", "sms_signature": "邻里"}
    r = client.post("/console/messaging/settings", data=form)
    assert r.status_code == 422 and "每周上限不能小于每日上限" in r.text
    r = client.post("/console/messaging/settings", data={**form, "marketing_weekly_cap": "6"}, follow_redirects=True)
    assert r.status_code == 200 and "消息设置已保存" in r.text and 'value="21:30"' in r.text
