"""Racing sends (PostgreSQL is where they really race; SQLite serialises writers): one delivery per
(member, channel, dedupe_key), and the caps hold exactly."""

from __future__ import annotations

from collections import Counter
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func, select

from linli.models import InboxMessage, MessageDelivery, MessagePreference, SandboxMessage
from tests.messaging.helpers import member_id, msg, send, shanghai

NOON = shanghai("2026-06-01 12:00")


def test_16_concurrent_duplicate_sends_make_one_delivery_per_channel(make):
    t = make.tenant()
    m = member_id(t)

    def attempt(_i):
        return tuple((d.id, d.status) for d in send(t, m, msg("dup", channels=("inbox", "sms")), NOON))

    with ThreadPoolExecutor(max_workers=16) as pool:
        results = Counter(pool.map(attempt, range(16)))
    assert len(results) == 1 and sum(results.values()) == 16
    with t.db.unit_of_work() as s:
        assert s.scalar(select(func.count()).select_from(MessageDelivery)) == 2
        assert s.scalar(select(func.count()).select_from(InboxMessage)) == 1
        assert s.scalar(select(func.count()).select_from(SandboxMessage)) == 1
        assert s.scalar(select(func.count()).select_from(MessagePreference)) == 1


def test_12_different_marketing_messages_at_once_respect_the_daily_cap(make):
    t = make.tenant()
    m = member_id(t)

    def attempt(i):
        (d,) = send(t, m, msg(f"k{i}"), NOON)
        return d.status, d.reason

    with ThreadPoolExecutor(max_workers=12) as pool:
        results = Counter(pool.map(attempt, range(12)))
    assert results == {("sent", None): 2, ("skipped", "frequency_cap"): 10}
    with t.db.unit_of_work() as s:
        assert s.scalar(select(func.count()).select_from(InboxMessage)) == 2


def test_two_due_runs_at_once_send_each_deferred_message_once(make):
    from linli.messaging.jobs import send_deferred_due

    t = make.tenant()
    members = [member_id(t) for _ in range(6)]
    for m in members:
        send(t, m, msg("night", channels=("inbox", "sms")), shanghai("2026-06-01 23:00"))
    morning = shanghai("2026-06-02 08:00")
    with ThreadPoolExecutor(max_workers=4) as pool:
        sent = list(pool.map(lambda _i: send_deferred_due(t.db, morning), range(4)))
    assert sum(sent) == 12
    with t.db.unit_of_work() as s:
        assert {d.status for d in s.scalars(select(MessageDelivery))} == {"sent"}
        assert s.scalar(select(func.count()).select_from(InboxMessage)) == 6
        assert s.scalar(select(func.count()).select_from(SandboxMessage)) == 6
