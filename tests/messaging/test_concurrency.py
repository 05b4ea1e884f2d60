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
