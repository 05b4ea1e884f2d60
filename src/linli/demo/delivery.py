"""Demo: every micro-warehouse (前置仓) gets one or two riders, and the latest paid orders at it from members
living within its radius become 送货上门 (promised 30 minutes from payment): batches of three planned and walked
by a rider — most on time, one batch late, one door with nobody home — and the newest left waiting for dispatch."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from linli.core import clock
from linli.core.errors import LinliError
from linli.core.security import Principal
from linli.delivery import dispatch, service
from linli.delivery.schemas import BatchIn, RiderIn
from linli.demo.writer import Ids, draw_pickup_codes
from linli.models import Delivery
from linli.order import service as orders
from linli.order.schemas import LineIn, OrderIn

RIDERS = [("王师傅", "13905710001"), ("陈小哥", "13905710002"), ("刘师傅", "13905710003"), ("周小哥", "13905710004")]
MEMBERS_LOOKED_AT = 300
# hours before the load each delivery order was paid: two batches of three, then one waiting for a rider
PAID_HOURS_AGO = [50, 50, 50, 26, 26, 26, 0.2]
BATCH = 3
LATE_BATCH = 1  # the second batch of each warehouse: the rider is held up on the way


def seed(s: Session, ids: Ids, slug: str, now: datetime) -> int:
    admin = Principal(ids.admin_user, ids.tenant, slug, "operator")
    users = dict(zip(ids.members, ids.member_users, strict=True))
    made = 0
    for k, w in enumerate(service.warehouses(s, admin)):
        with clock.frozen_at(now - timedelta(days=20)):
            riders = [service.add_rider(s, admin, w.id, RiderIn(name=n, phone=ph))
                      for n, ph in RIDERS[k % 2 * 2:k % 2 * 2 + 1 + k % 2]]
        found = _deliveries(s, ids, slug, users, w.id, now)
        draw_pickup_codes(s, [f.order_id for f in found], random.Random(f"delivery:{k}"))  # same seed, same demo
        made += len(found)
        walked = found[:-1]  # the newest waits for a rider: the dispatcher sees it on the console and workbench
        for b, start in enumerate(range(0, len(walked), BATCH)):
            _batch(s, admin, w.id, riders[b % len(riders)].id, walked[start:start + BATCH], late=b == LATE_BATCH,
                   fail_one=b == 0, now=now)
    return made


def _deliveries(s: Session, ids: Ids, slug: str, users: dict[int, int], warehouse_id: int,
                now: datetime) -> list[Delivery]:
    """Members within the warehouse's reach order with 送货上门 and pay: two past batches' worth over the last
    days, and one order paid minutes ago."""
    wanted = [now - timedelta(hours=hours, minutes=2 * (BATCH - j % BATCH)) for j, hours in enumerate(PAID_HOURS_AGO)]
    out: list[Delivery] = []
    admin = Principal(ids.admin_user, ids.tenant, slug, "operator")
    reach = service.quotes(s, admin, ids.members[:MEMBERS_LOOKED_AT])
    for member_id in ids.members[:MEMBERS_LOOKED_AT]:
        if len(out) == len(wanted):
            break
        if reach[member_id].warehouse_id != warehouse_id:
            continue
        member = Principal(users[member_id], ids.tenant, slug, "member", member_id=member_id)
        paid_at = wanted[len(out)]
        for product_id in ids.products[len(out)::7][:5]:  # one in stock, in turn
            try:
                with clock.frozen_at(paid_at - timedelta(minutes=2)):
                    order = orders.place(s, member, OrderIn(items=[LineIn(product_id=product_id, quantity=1)],
                                                            pickup_point_id=warehouse_id))
                    d = service.request(s, member, order.id)
                with clock.frozen_at(paid_at):
                    orders.pay(s, member, order.id)
                    service.on_order_paid(s, ids.tenant, order.id, paid_at)  # as the order.paid handler will
            except LinliError:
                continue
            s.refresh(d)
            out.append(d)
            break
    return out


def _batch(s: Session, staff: Principal, warehouse_id: int, rider_id: int, stops: list[Delivery], late: bool,
           fail_one: bool, now: datetime) -> None:
    if not stops:
        return
    made_at = max(d.promised_at or now for d in stops) - timedelta(minutes=28)
    if made_at > now - timedelta(hours=1):
        return  # too recent to have been walked: they stay waiting
    with clock.frozen_at(made_at):
        batch = dispatch.make_batch(s, staff, BatchIn(warehouse_id=warehouse_id, rider_id=rider_id,
                                                      delivery_ids=[d.id for d in stops]))
    departed = made_at + timedelta(minutes=2)
    with clock.frozen_at(departed):
        dispatch.depart(s, staff, batch.id)
    for i, d in enumerate(sorted(stops, key=lambda x: x.stop_seq or 0)):
        at = departed + timedelta(seconds=d.eta_offset_s or 0, minutes=20 + 3 * i if late else 0)
        with clock.frozen_at(at):
            if fail_one and i == len(stops) - 1:
                dispatch.failed(s, staff, d.id, "家中无人，电话未接通")
            else:
                dispatch.delivered(s, staff, d.id)
