"""Shared steps of the campaign tests: segments written as the audience job would, campaigns through the API."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from linli.core import clock
from linli.models import CampaignRecipient, MessageDelivery, Segment, SegmentMember
from tests.lifecycle.helpers import due  # noqa: F401  (re-exported for the tests)


def segment(t, member_ids: list[int], name: str = "测试人群") -> int:
    """A segment whose computed members are these (what the audience job leaves behind)."""
    now = clock.now()
    with t.db.unit_of_work() as s:
        seg = Segment(tenant_id=t.tenant_id, name=f"{name}{len(member_ids)}-{now.timestamp()}"[:40],
                      description="", definition={"tag": "any"}, created_at=now, updated_at=now)
        s.add(seg)
        s.flush()
        s.add_all(SegmentMember(tenant_id=t.tenant_id, segment_id=seg.id, member_id=m, since=now)
                  for m in member_ids)
        return seg.id


def member_ids(t, headers: list[dict[str, str]]) -> list[int]:
    return [t.client.get("/api/v1/me", headers=h).json()["member_id"] for h in headers]


def campaign_body(segment_id: int, start: datetime | None = None, days: int = 7, **kw: Any) -> dict[str, Any]:
    start = start or clock.now() - timedelta(hours=1)
    body = {"name": "中秋团圆季", "scenario": "mid_autumn", "segment_id": segment_id,
            "starts_at": start.isoformat(), "ends_at": (start + timedelta(days=days)).isoformat(),
            "title": "中秋月饼到货啦", "body": "邻里中秋团购，月饼礼盒限时优惠。"}
    body.update(kw)
    return body


def campaign(t, segment_id: int, **kw: Any) -> dict[str, Any]:
    return t.post("/scenario-campaigns", campaign_body(segment_id, **kw))


def launch(t, campaign_id: int, expect: int = 200) -> dict[str, Any]:
    return t.post(f"/scenario-campaigns/{campaign_id}/launch", None, expect=expect)


def deliveries(t, campaign_id: int) -> list[tuple[int, str, str]]:
    """(member id, channel, status) of the campaign's deliveries, by member."""
    with t.db.unit_of_work() as s:
        rows = s.execute(select(MessageDelivery.member_id, MessageDelivery.channel, MessageDelivery.status).where(
            MessageDelivery.tenant_id == t.tenant_id, MessageDelivery.source == f"campaign:{campaign_id}")
            .order_by(MessageDelivery.member_id))
        return [(m, c, st) for m, c, st in rows]


def recipients(t, campaign_id: int) -> dict[str, int]:
    with t.db.unit_of_work() as s:
        rows = s.execute(select(CampaignRecipient.status, func.count()).where(
            CampaignRecipient.tenant_id == t.tenant_id, CampaignRecipient.campaign_id == campaign_id)
            .group_by(CampaignRecipient.status))
        return {st: int(n) for st, n in rows}


def buy_and_pay(t, h, product_id: int, at: datetime) -> int:
    """An order placed and paid as of `at`; the pinned clock goes back to where it was."""
    before = clock.now()
    clock.set_process_time(at)
    try:
        order = t.post("/orders", {"items": [{"product_id": product_id, "quantity": 1}]}, h)
        t.post(f"/orders/{order['id']}/pay", None, h, expect=200)
    finally:
        clock.set_process_time(before)
    return int(order["id"])
