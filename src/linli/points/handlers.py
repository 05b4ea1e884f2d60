"""Points reactions to other domains' events: purchases earn points, interactions earn the review /
share / content rules, referral rewards are granted and reversed. Each is idempotent on a key derived
from the order, the action or the event."""

from __future__ import annotations

from sqlalchemy.orm import Session

from linli.core.outbox import Event
from linli.order import service as orders
from linli.points import service

LIVE = ("paid", "awaiting_group", "picked_up")
# interaction kind -> the earning rule it credits; check-ins earn in their own domain, logins nothing
EARNING = {"review": "review", "share": "share", "post": "content", "comment": "content", "vote": "content"}


def on_order_paid(s: Session, ev: Event) -> None:
    """1 point per yuan paid (the tenant's order_paid rule). An order already cancelled or fully refunded
    when the event is handled earns nothing; one partly refunded earns, then at once gives back the
    share refunded before (a zero share settles only what earlier refunds owe)."""
    order_id, member_id = ev.payload["order_id"], ev.payload["member_id"]
    order = orders.state_of(s, ev.tenant_id, order_id)
    if order is None or order.status not in LIVE:
        return
    earned = service.earn(s, ev.tenant_id, member_id, "order_paid", f"order:{order_id}:earn",
                          units=order.payable_fen // 100, reference=str(order_id))
    if earned and order.refunded_fen:
        service.settle_refund(s, ev.tenant_id, member_id, order_id, 0, 1, f"order:{order_id}:earn:settle")


def on_referral_rewarded(s: Session, ev: Event) -> None:
    # a rung can be granted, reversed and granted again: the event id keeps each grant distinct
    member_id, rung = ev.payload["member_id"], ev.payload["rung"]
    service.grant(s, ev.tenant_id, member_id, ev.payload["points"], f"邀请奖励（邀请满{rung}人）",
                  f"event:{ev.id}", kind="invite")


def on_referral_reward_reversed(s: Session, ev: Event) -> None:
    member_id, rung = ev.payload["member_id"], ev.payload["rung"]
    service.take_back(s, ev.tenant_id, member_id, ev.payload["points"], f"邀请奖励撤回（邀请满{rung}人）",
                      f"event:{ev.id}")


def on_member_interacted(s: Session, ev: Event) -> None:
    """A review, share or piece of content earns its rule once per action: the key is the member, the
    kind and the action's own ref (an interaction without a ref earns no points), so the event
    delivered twice, or the same action recorded again, credits once; the rule's daily cap clips it."""
    kind, ref = str(ev.payload.get("kind", "")), ev.payload.get("ref")
    action = EARNING.get(kind)
    if action is None or not isinstance(ref, str):
        return
    member_id = ev.payload["member_id"]
    service.earn(s, ev.tenant_id, member_id, action, f"action:{member_id}:{kind}:{ref}", reference=ref)
