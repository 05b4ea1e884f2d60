"""Under contention (meaningful on PostgreSQL; SQLite serialises writers): two launches at once launch once,
and several senders at once send each member exactly one message and one coupon."""

from __future__ import annotations

from collections import Counter
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func, select

from linli.campaign import jobs, sending
from linli.core import clock
from linli.core.outbox import drain
from linli.events import build_registry
from linli.models import MemberCoupon, OutboxEvent
from tests.campaign.helpers import campaign, deliveries, member_ids, recipients, segment
from tests.journey.helpers import coupon


def test_two_launches_at_once_launch_once_and_send_once(make, monkeypatch):
    monkeypatch.setattr(sending, "BATCH", 4)
    t = make.tenant()
    ids = member_ids(t, t.members(30))
    c_id = coupon(t, "并发券")
    c = campaign(t, segment(t, ids), coupon_template_id=c_id)

    def launch(_i: int) -> int:
        return t.client.post(f"/api/v1/scenario-campaigns/{c['id']}/launch", headers=t.op).status_code

    with ThreadPoolExecutor(max_workers=2) as pool:
        assert Counter(pool.map(launch, range(2))) == {200: 1, 409: 1}
    with t.db.unit_of_work() as s:
        assert s.scalar(select(func.count()).select_from(OutboxEvent).where(OutboxEvent.topic == "campaign.send")) == 1

    registry = build_registry()

    def work(i: int) -> int:  # the due job and outbox dispatchers, all at once
        return jobs._send_all(t.db, t.tenant_id, c["id"]) if i % 2 else drain(t.db, registry)

    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(work, range(4)))
    jobs.run_due(t.db, clock.now())
    got = deliveries(t, c["id"])
    assert Counter(m for m, _, _ in got) == Counter(ids)  # each member exactly once
    assert recipients(t, c["id"]) == {"sent": 30}
    with t.db.unit_of_work() as s:
        held = Counter(s.scalars(select(MemberCoupon.member_id).where(MemberCoupon.template_id == c_id)))
    assert held == Counter(ids)
