"""How groups end. A group succeeds the moment it is full and every seat is paid. At its deadline a
group short of that fails: unpaid seats are cancelled and every paid seat is refunded — each refund a
separate outbox event handled in its own transaction, retried with back-off until it is done, so one
failing refund never undoes or blocks the others."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from linli.catalog import stock
from linli.core import clock, outbox
from linli.core.db import Database
from linli.groupbuy import repository as repo
from linli.models import Group
from linli.order import cancellation, refunds
from linli.order import service as orders


def seat_paid(s: Session, tenant_id: int, order_id: int) -> None:
    seat = repo.seat_of_order(s, tenant_id, order_id)
    if seat is None or seat.status != "held":
        return  # handled already (at-least-once delivery)
    group = repo.group(s, tenant_id, seat.group_id, lock=True)  # serialises the last payers
    assert group is not None
    seat.status = "paid"
    repo.add_event(s, tenant_id, group.id, "paid", seat.member_id, clock.now(), order_id=order_id)
    if group.status != "open":
        if group.status == "failed":  # paid after the group failed: give the money back
            outbox.emit(s, tenant_id, "group.refund_seat", {"group_id": group.id, "order_id": order_id})
        return
    s.flush()
    if group.seats_taken == group.size and repo.paid_counts(s, [group.id]).get(group.id, 0) == group.size:
        _succeed(s, group)


def seat_returned(s: Session, tenant_id: int, order_id: int) -> None:
    """The seat's order was cancelled or refunded: the member leaves and the unit goes back."""
    seat = repo.seat_of_order(s, tenant_id, order_id)
    if seat is None or seat.status in ("released", "refunded"):
        return
    group = repo.group(s, tenant_id, seat.group_id, lock=True)
    assert group is not None
    seat.status = "released" if seat.status == "held" else "refunded"
    repo.free_seat(s, group.id)  # only while the group is open
    campaign = repo.campaign(s, tenant_id, group.group_buy_id, lock=True)
    assert campaign is not None
    if campaign.closed_at is None:
        repo.release_unit(s, campaign.id)
    else:  # the campaign is over: the unit goes back to the product's stock
        campaign.held -= 1
        campaign.stock -= 1
        stock.put_back(s, tenant_id, [(campaign.product_id, 1)], order_id, "group_buy", None)
    repo.add_event(s, tenant_id, group.id, "left", seat.member_id, clock.now(), order_id=order_id,
                   reason=seat.status)


def expire(db: Database, at: datetime) -> int:
    """Due job: settle every open group whose deadline has passed, each in its own transaction."""
    done = 0
    while True:
        with db.unit_of_work() as s:
            due = repo.due_groups(s, at, 200)
        if not due:
            return done
        for tenant_id, group_id in due:
            with db.unit_of_work() as s:
                done += _settle_at_deadline(s, tenant_id, group_id, at)


def refund_seat(s: Session, tenant_id: int, order_id: int) -> None:
    """One paid member of a failed group gets their money back (idempotent)."""
    refunds.refund_in_full_by_system(s, tenant_id, order_id, "group_failed")


def _settle_at_deadline(s: Session, tenant_id: int, group_id: int, at: datetime) -> int:
    group = repo.group(s, tenant_id, group_id, lock=True)
    if group is None or group.status != "open" or group.expires_at > at:
        return 0
    campaign = repo.campaign(s, tenant_id, group.group_buy_id)
    assert campaign is not None
    paid = repo.paid_counts(s, [group.id]).get(group.id, 0)
    fill = campaign.virtual_fill_percent
    if paid and fill is not None and paid * 100 >= fill * group.size:
        _cancel_unpaid(s, group, "group_closed")
        _succeed(s, group, virtual=True)
        return 1
    group.status, group.closed_at = "failed", clock.now()
    repo.add_event(s, tenant_id, group.id, "failed", None, clock.now(), paid=paid, size=group.size)
    _cancel_unpaid(s, group, "group_failed")
    for seat in repo.seats(s, group.id):
        if seat.status == "paid":
            outbox.emit(s, tenant_id, "group.refund_seat", {"group_id": group.id, "order_id": seat.order_id})
    outbox.emit(s, tenant_id, "group.failed", {"group_id": group.id, "paid": paid})
    return 1


def _cancel_unpaid(s: Session, group: Group, reason: str) -> None:
    for seat in repo.seats(s, group.id):
        if seat.status == "held":
            cancellation.cancel_by_system(s, group.tenant_id, seat.order_id, reason)


def _succeed(s: Session, group: Group, virtual: bool = False) -> None:
    group.status, group.closed_at = "succeeded", clock.now()
    paid = [seat for seat in repo.seats(s, group.id) if seat.status == "paid"]
    for seat in paid:
        seat.status = "fulfilled"
    orders.release_from_group(s, group.tenant_id, [seat.order_id for seat in paid])
    repo.add_event(s, group.tenant_id, group.id, "succeeded", None, clock.now(), members=len(paid),
                   virtual_fill=virtual)
    outbox.emit(s, group.tenant_id, "group.succeeded", {"group_id": group.id, "members": len(paid)})
