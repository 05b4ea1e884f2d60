from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import func, select

from linli.core import clock
from linli.models import CrisisRecipient, MemberCoupon, MessageDelivery
from tests.alert.helpers import YESTERDAY, add_orders, point_of
from tests.factories import TenantKit


def world(kit: TenantKit, buyers: int = 3) -> dict[str, Any]:
    """A community with `buyers` members who bought the product yesterday, one who bought it 10 days ago, one
    who bought another product, and a coupon template on offer."""
    c = kit.community()
    point = point_of(kit, c["id"])
    product = kit.product()["id"]
    other = kit.product()["id"]
    ids = [kit.member(c["id"])[0]["id"] for _ in range(buyers + 2)]
    for m in ids[:buyers]:
        add_orders(kit.db, kit.tenant_id, m, point, 1, at=YESTERDAY, product_id=product)
    add_orders(kit.db, kit.tenant_id, ids[buyers], point, 1, at=YESTERDAY - timedelta(days=10), product_id=product)
    add_orders(kit.db, kit.tenant_id, ids[buyers + 1], point, 1, at=YESTERDAY, product_id=other)
    coupon = kit.post("/coupons", {"name": "补偿券", "discount_fen": 500, "min_spend_fen": 0, "total": 100,
                                   "per_member_limit": 5, "valid_from": (clock.now() - timedelta(days=1)).isoformat(),
                                   "valid_to": (clock.now() + timedelta(days=30)).isoformat()})["id"]
    return {"community_id": c["id"], "product_id": product, "buyers": ids[:buyers], "coupon_id": coupon}


def criteria(w: dict[str, Any], **kw: Any) -> dict[str, Any]:
    body = {"product_id": w["product_id"], "since": (YESTERDAY - timedelta(days=2)).isoformat(),
            "until": clock.now().isoformat(), "kind": "coupon", "coupon_template_id": w["coupon_id"],
            "message": "很抱歉,送您一张补偿券"}
    body.update(kw)
    return body


def counts(kit: TenantKit, case_id: int, coupon_id: int) -> tuple[int, int, int]:
    """(recipients, coupons of the template held, crisis messages)."""
    with kit.db.unit_of_work() as s:
        rec = s.scalar(select(func.count()).select_from(CrisisRecipient).where(CrisisRecipient.case_id == case_id))
        held = s.scalar(select(func.count()).select_from(MemberCoupon).where(MemberCoupon.template_id == coupon_id))
        msgs = s.scalar(select(func.count()).select_from(MessageDelivery).where(MessageDelivery.source == "crisis"))
    return int(rec or 0), int(held or 0), int(msgs or 0)
