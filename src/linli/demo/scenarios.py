"""The demo tenant's scenario campaigns (场景活动), through the services as of their own instants:
- 中秋团圆季 with an A/B test of its title, launched 10 days before the load and sent then; members' paid
  orders of the history since convert their exposures (what the order.paid handler would have done live);
- 国庆邻里节, piloted in two communities from 12 days before the load (sent there only), not yet reviewed:
  the review page compares those communities with the rest over the history;
- 开学季 and 停水通知 drafts ahead of the load, for the calendar."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from linli.audience import service as audience
from linli.audience.schemas import SegmentIn, TagIn
from linli.campaign import experiments, pilots
from linli.campaign import service as campaigns
from linli.campaign.schemas import CampaignIn, ExperimentIn, PilotIn, Scenario, VariantIn
from linli.core import clock
from linli.core.security import Principal
from linli.demo.writer import Ids
from linli.order import service as orders

ENOUGH = 20  # members a segment needs to be chosen (else the largest are)


def _segments(s: Session, operator: Principal, now: datetime) -> list[int]:
    """The two smallest segments of the demo (demo.audience) with ENOUGH members, else two made here: every
    member of them is sent to, so small ones keep the load quick."""
    def found() -> list[int]:
        live = sorted((g.members, g.id) for g in audience.list_segments(s, operator) if not g.archived and g.members)
        big = [x for x in live if x[0] >= ENOUGH]  # enough members for both arms of the A/B test
        return [i for _, i in (big[:2] if len(big) >= 2 else live[-2:])]

    if len(found()) == 2:
        return found()
    audience.create_tag(s, operator, TagIn(code="demo_frequent", name="高频复购", rule="orders_30d >= 4"))
    audience.create_tag(s, operator, TagIn(code="demo_fresh", name="生鲜常客",
                                           rule="fresh_share >= 0.6 and orders_90d >= 3"))
    for name, code in (("高频复购会员", "demo_frequent"), ("生鲜常客", "demo_fresh")):
        audience.create_segment(s, operator, SegmentIn(name=name, definition={"tag": code}))
    audience.refresh(s, operator.tenant_id, now)
    return found()


def _send_all(s: Session, tenant_id: int, campaign_id: int) -> None:
    while campaigns.send_batch(s, tenant_id, campaign_id):
        pass


def _campaign(s: Session, operator: Principal, name: str, scenario: Scenario, segment_id: int, start: datetime,
              days: int, title: str, body: str, community_ids: list[int] | None = None) -> int:
    return campaigns.create(s, operator, CampaignIn(
        name=name, scenario=scenario, segment_id=segment_id, starts_at=start, ends_at=start + timedelta(days=days),
        title=title, body=body, community_ids=community_ids)).id


def _convert_history(s: Session, operator: Principal, member_ids: list[int], since: datetime) -> None:
    """Orders paid since the launch by exposed members, oldest first, through the conversion the order.paid
    handler runs live. Orders are read newest first a page at a time, until a page lies wholly before it."""
    exposed = set(member_ids)
    paid: list[tuple[datetime, int, int]] = []
    cursor: str | None = None
    while True:
        page, cursor = orders.search(s, operator, None, None, None, 200, cursor)
        paid += [(o.paid_at, o.member_id, o.id) for o in page
                 if o.paid_at is not None and o.paid_at >= since and o.member_id in exposed]
        if cursor is None or all(o.created_at < since for o in page):
            break
    for paid_at, member_id, order_id in sorted(paid):
        experiments.order_converts(s, operator.tenant_id, member_id, paid_at, order_id)


def seed(s: Session, ids: Ids, slug: str, now: datetime) -> dict[str, int]:
    operator = Principal(ids.admin_user, ids.tenant, slug, "operator")
    segments = _segments(s, operator, now)
    if len(segments) < 2:  # a tiny tenant where nobody is in a segment: nothing to aim at
        return {}
    launched = now - timedelta(days=10)
    with clock.frozen_at(launched):
        mid = _campaign(s, operator, "中秋团圆季", "mid_autumn", segments[0], launched - timedelta(hours=1), 14,
                        "中秋月饼到货啦", "邻里中秋团购：月饼礼盒、时令水果限时优惠，到自提点就能取。")
        ab = experiments.create(s, operator, ExperimentIn(name="中秋标题实验", campaign_id=mid, conversion_days=7,
                                                          variants=[
            VariantIn(code="A", name="原标题", weight=50, is_control=True),
            VariantIn(code="B", name="优惠标题", weight=50, title="中秋月饼买二送一，邻里拼单更划算")])).id
        campaigns.launch(s, operator, mid)
        _send_all(s, ids.tenant, mid)
    _convert_history(s, operator, audience.segment_member_ids(s, ids.tenant, segments[0]), launched)

    piloted = now - timedelta(days=12)
    with clock.frozen_at(piloted):
        national = _campaign(s, operator, "国庆邻里节", "national_day", segments[1], piloted - timedelta(hours=1),
                             16, "国庆邻里节开团", "国庆假期邻里团购，生鲜蔬果每日上新。")
        pilot = pilots.create(s, operator, PilotIn(name="国庆邻里节试点", campaign_id=national,
                                                   community_ids=ids.communities[:2])).id
        campaigns.launch(s, operator, national)
        _send_all(s, ids.tenant, national)

    ahead = clock.as_utc(clock.local(now).replace(hour=9, minute=0, second=0, microsecond=0)) + timedelta(days=20)
    _campaign(s, operator, "开学季文具团", "back_to_school", segments[0], ahead, 7, "开学季文具团购",
              "书包、文具、护眼台灯，邻里拼单更便宜。")
    _campaign(s, operator, "停水通知", "water_outage", segments[1], ahead + timedelta(days=2), 1, "明日停水通知",
              "明天 9:00-17:00 小区检修管道停水，请提前储水；桶装水可在自提点下单。")
    return {"campaign": mid, "experiment": ab, "pilot": pilot}
