"""Racing recomputations of the same members (redelivered events on several workers, and the bulk job at once):
each member enters a segment once — one row, one segment.entered event."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func, select

from linli.audience import service
from linli.core.outbox import OutboxEvent
from linli.models import MemberTag, SegmentMember
from tests.lifecycle.helpers import buy_and_pay


def test_racing_refreshes_enter_each_member_once(make) -> None:
    t = make.tenant()
    t.community(name="阳光小区")
    product = t.product(stock=1000)
    t.post("/tags", {"code": "buyer", "name": "买家", "rule": "orders_30d >= 1"})
    seg = t.post("/segments", {"name": "买家人群", "definition": {"tag": "buyer"}})
    heads = t.members(6)
    ids = []
    for h in heads:
        buy_and_pay(t, h, product["id"])
        ids.append(t.client.get("/api/v1/me", headers=h).json()["member_id"])

    def work(i: int) -> None:
        if i == 0:
            with t.db.unit_of_work() as s:
                service.refresh(s, t.tenant_id)
            return
        for member_id in ids:  # the handlers' path, the same members on every worker
            with t.db.unit_of_work() as s:
                service.refresh_member(s, t.tenant_id, member_id)

    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(work, range(4)))
    with t.db.unit_of_work() as s:
        rows = s.scalar(select(func.count()).select_from(SegmentMember).where(SegmentMember.tenant_id == t.tenant_id))
        tags = s.scalar(select(func.count()).select_from(MemberTag).where(MemberTag.tenant_id == t.tenant_id))
        entered = [e.payload for e in s.scalars(select(OutboxEvent).where(OutboxEvent.tenant_id == t.tenant_id,
                                                                         OutboxEvent.topic == "segment.entered"))]
    assert rows == 6 and tags == 6
    assert sorted(e["member_id"] for e in entered) == sorted(ids)
    assert {e["segment_id"] for e in entered} == {seg["id"]}
