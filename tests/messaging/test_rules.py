"""The rules a message passes: quiet hours, frequency caps, unsubscribe, and the deferred job."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from linli.core import clock
from linli.core.jobs import run_due
from linli.events import build_registry
from linli.messaging import inbox, service
from linli.messaging.schemas import SettingsIn
from linli.models import InboxMessage, MessageDelivery
from linli.schedule import DUE_JOBS
from tests.messaging.helpers import member_id, msg, send, shanghai


@pytest.mark.parametrize(("local", "status"), [
    ("2026-06-01 21:59", "sent"), ("2026-06-01 22:00", "deferred"),
    ("2026-06-02 07:59", "deferred"), ("2026-06-02 08:00", "sent")])
def test_quiet_hours_boundaries_in_shanghai(make, local, status):
    t = make.tenant()
    m = member_id(t)
    (d,) = send(t, m, msg("q"), shanghai(local))
    assert d.status == status and d.reason is None
    if status == "deferred":
        assert d.due_at == shanghai("2026-06-02 08:00")
    else:
        assert d.due_at == shanghai(local)


def test_service_messages_are_not_held_by_quiet_hours(make):
    t = make.tenant()
    m = member_id(t)
    (d,) = send(t, m, msg("pickup", category="service"), shanghai("2026-06-01 23:30"))
    assert d.status == "sent"


def test_a_deferred_message_is_sent_by_run_due_at_08_00(make):
    t = make.tenant()
    m = member_id(t)
    send(t, m, msg("night", channels=("inbox", "sms")), shanghai("2026-06-01 23:00"))
    with t.db.unit_of_work() as s:
        assert s.scalars(select(InboxMessage)).all() == []
    run_due(t.db, DUE_JOBS, build_registry(), shanghai("2026-06-02 07:59"))
    with t.db.unit_of_work() as s:
        assert {r.status for r in s.scalars(select(MessageDelivery))} == {"deferred"}
    done = run_due(t.db, DUE_JOBS, build_registry(), shanghai("2026-06-02 08:00"))
    assert done["messaging.send_deferred"] == 2
    with t.db.unit_of_work() as s:
        rows = s.scalars(select(MessageDelivery).order_by(MessageDelivery.id)).all()
        assert [(r.status, r.sent_at) for r in rows] == [("sent", shanghai("2026-06-02 08:00"))] * 2
        assert len(s.scalars(select(InboxMessage)).all()) == 1
    assert run_due(t.db, DUE_JOBS, build_registry(), shanghai("2026-06-02 09:00"))["messaging.send_deferred"] == 0


def test_a_member_who_unsubscribes_overnight_gets_no_deferred_message(make):
    t = make.tenant()
    m = member_id(t)
    send(t, m, msg("night"), shanghai("2026-06-01 23:00"))
    with t.db.unit_of_work() as s:
        token = inbox.by_token(s, _token(s, t.tenant_id, m)).unsubscribe_token
        inbox.unsubscribe_marketing(s, token)
    run_due(t.db, DUE_JOBS, build_registry(), shanghai("2026-06-02 08:00"))
    with t.db.unit_of_work() as s:
        d = s.scalars(select(MessageDelivery)).one()
    assert (d.status, d.reason) == ("skipped", "unsubscribed_marketing")


def _token(s, tenant_id, m):
    from linli.messaging import repository

    return repository.lock_preferences(s, tenant_id, m).unsubscribe_token


def _settings(t, **kw):
    values = {"quiet_hours_enabled": True, "quiet_start": "22:00", "quiet_end": "08:00",
              "marketing_daily_cap": 2, "marketing_weekly_cap": 5}
    values.update(kw)
    with t.db.unit_of_work() as s:
        service.save_settings(s, t.tenant_id, SettingsIn(**values))


def test_caps_default_to_2_a_day_and_5_a_week_per_channel(make):
    t = make.tenant()
    m = member_id(t)
    day = shanghai("2026-06-01 09:00")
    statuses = [send(t, m, msg(f"d{i}"), day + timedelta(hours=i))[0] for i in range(3)]
    assert [(d.status, d.reason) for d in statuses] == [("sent", None), ("sent", None), ("skipped", "frequency_cap")]
    # another channel has its own count; service messages are not counted or capped
    assert send(t, m, msg("sms", channels=("sms",)), day)[0].status == "sent"
    assert send(t, m, msg("svc", category="service"), day)[0].status == "sent"
    # the next days: 2 + 2 + 1 = 5 in the rolling week, then the week is full
    results = []
    for n, date in enumerate(["2026-06-02", "2026-06-02", "2026-06-03", "2026-06-03"]):
        results.append(send(t, m, msg(f"w{n}"), shanghai(f"{date} 10:00"))[0].reason)
    assert results == [None, None, None, "frequency_cap"]
    # a week after the first day that day's two leave the window
    assert send(t, m, msg("later"), shanghai("2026-06-08 10:00"))[0].status == "sent"


def test_skipped_and_failed_deliveries_do_not_use_up_the_cap(make):
    t = make.tenant()
    m = member_id(t)
    _settings(t, marketing_daily_cap=1, sandbox_sms_fail_pattern="*")
    day = shanghai("2026-06-01 09:00")
    assert send(t, m, msg("a", channels=("sms",)), day)[0].status == "failed"
    assert send(t, m, msg("b", channels=("sms",)), day)[0].status == "failed"
    _settings(t, marketing_daily_cap=1)
    assert send(t, m, msg("c", channels=("sms",)), day)[0].status == "sent"
    assert send(t, m, msg("d", channels=("sms",)), day)[0].reason == "frequency_cap"


def test_deferred_messages_count_in_the_day_they_will_be_sent(make):
    t = make.tenant()
    m = member_id(t)
    night = shanghai("2026-06-01 23:00")
    assert [send(t, m, msg(f"n{i}"), night)[0].status for i in range(3)] == ["deferred", "deferred", "skipped"]
    # the evening before still had room: the deferred two count on 2 June
    assert send(t, m, msg("eve"), shanghai("2026-06-01 21:00"))[0].status == "sent"
    assert send(t, m, msg("morning"), shanghai("2026-06-02 09:00"))[0].reason == "frequency_cap"


def test_per_tenant_quiet_hours_and_caps(make):
    t = make.tenant()
    m = member_id(t)
    _settings(t, quiet_start="21:00", quiet_end="09:30", marketing_daily_cap=1, marketing_weekly_cap=1)
    (d,) = send(t, m, msg("a"), shanghai("2026-06-01 21:00"))
    assert d.status == "deferred" and d.due_at == shanghai("2026-06-02 09:30")
    assert send(t, m, msg("b"), shanghai("2026-06-03 12:00"))[0].reason == "frequency_cap"
    _settings(t, quiet_hours_enabled=False, marketing_weekly_cap=5)
    assert send(t, m, msg("c"), shanghai("2026-06-05 23:00"))[0].status == "sent"


def test_unsubscribe_from_marketing_and_per_channel(make):
    from linli.messaging.schemas import PreferencesIn
    from tests.messaging.helpers import principal

    t = make.tenant()
    m = member_id(t)
    noon = shanghai("2026-06-01 12:00")
    with t.db.unit_of_work() as s:
        inbox.set_preferences(s, principal(t, m), PreferencesIn(marketing=False, sms=True, wechat=True))
    out = send(t, m, msg("mk", channels=("inbox", "sms")), noon)
    assert [(d.status, d.reason) for d in out] == [("skipped", "unsubscribed_marketing")] * 2
    out = send(t, m, msg("svc", category="service", channels=("inbox", "sms")), noon)
    assert [d.status for d in out] == ["sent", "sent"]
    with t.db.unit_of_work() as s:
        assert inbox.sms_reply(s, t.tenant_id, m, " t ") is True
        assert inbox.sms_reply(s, t.tenant_id, m, "谢谢") is False
    out = send(t, m, msg("svc2", category="service", channels=("inbox", "sms")), noon)
    assert [(d.status, d.reason) for d in out] == [("sent", None), ("skipped", "unsubscribed_channel")]


def test_deliveries_of_one_tenant_do_not_count_for_another(make):
    a, b = make.tenant(), make.tenant()
    ma, mb = member_id(a), member_id(b)
    day = shanghai("2026-06-01 10:00")
    for i in range(2):
        send(a, ma, msg(f"k{i}"), day)
    assert send(b, mb, msg("k0"), day)[0].status == "sent"  # same key, other tenant: a new delivery
    with a.db.unit_of_work() as s:
        assert {(r.tenant_id, r.member_id) for r in s.scalars(select(MessageDelivery))} == {
            (a.tenant_id, ma), (b.tenant_id, mb)}
        assert len(s.scalars(select(MessageDelivery).where(MessageDelivery.tenant_id == b.tenant_id)).all()) == 1


def test_clock_is_untouched(make):
    assert clock.now().year >= 2026
