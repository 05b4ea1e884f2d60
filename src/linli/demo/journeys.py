"""The demo tenant's automated SOPs: the four seed templates, running from the load's instant (the new-member
coupon for the welcome, a 回归礼 coupon for the wake-up)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from linli.core.security import Principal
from linli.coupon import service as coupons
from linli.coupon.schemas import CouponIn
from linli.demo.writer import Ids
from linli.journey import service as journeys
from linli.journey.schemas import FromTemplateIn

WELCOME_COUPON = "新人专享 满20减8"  # made by demo.loyalty


def seed(s: Session, ids: Ids, slug: str, now: datetime) -> list[int]:
    operator = Principal(ids.admin_user, ids.tenant, slug, "operator")
    items, _ = coupons.search(s, operator, True, 200, None)
    welcome = next(c.id for c in items if c.name == WELCOME_COUPON)
    wakeup = coupons.create(s, operator, CouponIn(
        name="回归礼 满30减10", discount_fen=1000, min_spend_fen=3000, total=5000, valid_days=14,
        valid_from=now - timedelta(days=1), valid_to=now + timedelta(days=365))).id
    made = []
    for code, coupon_id in (("welcome_48h", welcome), ("fresh_recipe_3d", None), ("silent_wakeup_30d", wakeup),
                            ("idle_callback_3d", None)):
        j = journeys.from_template(s, operator, FromTemplateIn(template=code, coupon_template_id=coupon_id))
        journeys.set_status(s, operator, j.id, "active")
        made.append(j.id)
    return made
