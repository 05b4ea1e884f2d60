"""send_to_member: channels, idempotency and the delivery log."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from linli.core.errors import Invalid, NotFound
from linli.models import InboxMessage, MessageDelivery, SandboxMessage
from tests.messaging.helpers import member_id, msg, send, shanghai

NOON = shanghai("2026-06-01 12:00")


def test_a_service_message_lands_in_the_inbox_as_sent(make):
    t = make.tenant()
    m = member_id(t)
    (d,) = send(t, m, msg("k1", category="service"), NOON)
    assert (d.channel, d.status, d.reason) == ("inbox", "sent", None)
    assert d.provider_message_id and d.provider_message_id.startswith("inbox-")
    with t.db.unit_of_work() as s:
        inbox = s.scalars(select(InboxMessage)).all()
        assert [(i.member_id, i.title, i.delivery_id) for i in inbox] == [(m, "周末水果特价", d.id)]


def test_the_same_dedupe_key_twice_sends_once(make):
    t = make.tenant()
    m = member_id(t)
    first = send(t, m, msg("same", channels=("inbox", "sms")), NOON)
    again = send(t, m, msg("same", channels=("inbox", "sms"), title="别的标题"), NOON)
    assert [d.id for d in first] == [d.id for d in again]
    with t.db.unit_of_work() as s:
        assert s.scalar(select(func.count()).select_from(MessageDelivery)) == 2
        assert s.scalar(select(func.count()).select_from(InboxMessage)) == 1
        assert s.scalar(select(func.count()).select_from(SandboxMessage)) == 1


def test_sms_renders_signature_and_the_unsubscribe_footer_on_marketing(make):
    t = make.tenant()
    m = member_id(t)
    (d,) = send(t, m, msg("sms1", channels=("sms",), link="https://example.com/x"), NOON)
    assert d.status == "sent" and d.provider_message_id.startswith("SMS")
    with t.db.unit_of_work() as s:
        sb = s.scalars(select(SandboxMessage)).one()
    assert sb.content == "【邻里】周末水果特价：本周六草莓买一送一，欢迎下单。 https://example.com/x 回T退订"
    assert sb.recipient.startswith("1380000") and sb.segments == 1
    (svc,) = send(t, m, msg("sms2", category="service", channels=("sms",)), NOON)
    with t.db.unit_of_work() as s:
        row = s.scalars(select(SandboxMessage).where(SandboxMessage.delivery_id == svc.id)).one()
    assert "回T退订" not in row.content


def test_an_sms_over_the_provider_limit_fails_with_a_reason(make):
    t = make.tenant()
    m = member_id(t)
    (d,) = send(t, m, msg("long", channels=("sms",), body="长" * 600), NOON)
    assert (d.status, d.reason) == ("failed", "sms_too_long")
    (d,) = send(t, m, msg("parts", category="service", channels=("sms",), body="字" * 100), NOON)
    with t.db.unit_of_work() as s:
        assert s.scalars(select(SandboxMessage)).one().segments == 2


def test_wechat_without_an_openid_is_skipped_and_with_one_renders_the_template(make):
    from linli.messaging import inbox

    t = make.tenant()
    m = member_id(t)
    (d,) = send(t, m, msg("wx1", channels=("wechat",)), NOON)
    assert (d.status, d.reason) == ("skipped", "no_openid")
    with t.db.unit_of_work() as s:
        inbox.bind_wechat(s, t.tenant_id, m, "oOPENID0001")
    (d,) = send(t, m, msg("wx2", channels=("wechat",)), NOON)
    assert d.status == "sent" and d.provider_message_id.startswith("WX")
    with t.db.unit_of_work() as s:
        sb = s.scalars(select(SandboxMessage)).one()
    assert sb.recipient == "oOPENID0001" and sb.template_code == "LINLI_NOTICE"
    assert sb.fields == {"thing1": "周末水果特价", "thing2": "本周六草莓买一送一，欢迎下单。",
                         "time3": "2026-06-01 12:00", "page": "/m/inbox"}
    (d,) = send(t, m, msg("wx3", channels=("wechat",), title="标" * 21), NOON)
    assert (d.status, d.reason) == ("failed", "template_field_too_long")


def test_the_sandbox_fails_for_a_phone_pattern_and_writes_nothing_to_its_book(make):
    from linli.messaging import service
    from linli.messaging.schemas import SettingsIn

    t = make.tenant()
    m = member_id(t)
    with t.db.unit_of_work() as s:
        service.save_settings(s, t.tenant_id, SettingsIn(
            quiet_hours_enabled=True, quiet_start="22:00", quiet_end="08:00", marketing_daily_cap=2,
            marketing_weekly_cap=5, sandbox_sms_fail_pattern="1380000*"))
    inbox_d, sms_d = send(t, m, msg("f1", channels=("inbox", "sms")), NOON)
    assert (inbox_d.status, sms_d.status, sms_d.reason) == ("sent", "failed", "provider_rejected")
    with t.db.unit_of_work() as s:
        assert s.scalar(select(func.count()).select_from(SandboxMessage)) == 0


@pytest.mark.parametrize(("kw", "code"), [
    ({"category": "spam"}, "unknown_category"),
    ({"channels": ("fax",)}, "unknown_channel"),
    ({"channels": ()}, "unknown_channel"),
    ({"title": " "}, "invalid_message"),
    ({"body": "x" * 1001}, "invalid_message"),
    ({"link": "javascript:alert(1)"}, "invalid_link"),
])
def test_bad_messages_are_refused_before_anything_is_written(make, kw, code):
    t = make.tenant()
    m = member_id(t)
    with pytest.raises(Invalid) as exc:
        send(t, m, msg("bad", **kw), NOON)
    assert exc.value.code == code
    with t.db.unit_of_work() as s:
        assert s.scalar(select(func.count()).select_from(MessageDelivery)) == 0


def test_a_member_of_another_tenant_is_not_found(make):
    a, b = make.tenant(), make.tenant()
    other = member_id(b)
    with pytest.raises(NotFound):
        send(a, other, msg("x"), NOON)
