"""Alerts and a crisis case on the demo: the alert job's evaluation once as of the load, so the centre shows
what the history really breaches; one crisis case opened from the first alert (or by hand), its first steps
done, a points compensation 4 days ago to a few dozen buyers of one product in one community, and the
3-day follow-up sent since."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from linli.alert import service as alerts
from linli.community import service as communities
from linli.core import clock
from linli.core.security import Principal
from linli.crisis import compensation, followups
from linli.crisis import service as crises
from linli.crisis.schemas import CaseIn, CompensationIn, StepPatch
from linli.demo.writer import Ids
from linli.order import service as orders

WINDOW = timedelta(days=14)
MOST = 40  # a few dozen members: the compensation stays cheap on the full demo


def _affected(s: Session, ids: Ids, since: datetime, until: datetime) -> tuple[int, int]:
    """The first (product, community) whose buyers in the window number 1 to MOST."""
    for community_id in ids.communities:
        points = communities.point_ids(s, ids.tenant, community_id, None)
        for product_id in ids.products[:20]:
            if 0 < len(orders.buyers_of_product(s, ids.tenant, product_id, since, until, points)) <= MOST:
                return product_id, community_id
    return ids.products[0], ids.communities[0]


def seed(s: Session, ids: Ids, slug: str, now: datetime) -> int:
    op = Principal(ids.admin_user, ids.tenant, slug, "operator")
    with clock.frozen_at(now):
        raised = alerts.evaluate(s, ids.tenant, now)
        found, _ = alerts.search(s, op, "open", None, None, 1, None)
    opened_at = now - timedelta(days=4)
    with clock.frozen_at(opened_at):
        case = crises.open_case(s, op, CaseIn(
            title="草莓批次变质投诉", severity=2, alert_id=found[0].id if found else None,
            description="居民在邻里圈反映上周草莓部分变质，相关帖子阅读量上升。"))
        for step in case.steps[:4]:
            crises.update_step(s, op, case.id, step.id, StepPatch(done=True))
        product_id, community_id = _affected(s, ids, opened_at - WINDOW, opened_at)
        compensation.issue(s, op, case.id, CompensationIn(
            product_id=product_id, community_id=community_id, since=opened_at - WINDOW, until=opened_at,
            kind="points", points=50, message="商品品质问题给您添麻烦了，50积分已到账，敬请谅解。"))
    with clock.frozen_at(now):
        followups.send_batch(s, ids.tenant, 3, now)
    return raised
