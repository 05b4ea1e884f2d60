"""Who reacts to which event: the one place handlers are registered (no import-time magic)."""

from __future__ import annotations

from linli.audience import handlers as audience
from linli.campaign import handlers as campaign
from linli.commission import handlers as commission
from linli.content import handlers as content
from linli.core.outbox import HandlerRegistry
from linli.delivery import handlers as delivery
from linli.feedback import handlers as feedback
from linli.flashsale import handlers as flashsale
from linli.groupbuy import handlers as groupbuy
from linli.journey import handlers as journey
from linli.leader import handlers as leader
from linli.lifecycle import handlers as lifecycle
from linli.localservice import handlers as localservice
from linli.locker import handlers as locker
from linli.points import handlers as points
from linli.presale import handlers as presale
from linli.recommend import handlers as recommend
from linli.referral import handlers as referral
from linli.tier import handlers as tier


def build_registry() -> HandlerRegistry:
    registry = HandlerRegistry()
    registry.on("order.cancelled", "flashsale.release", flashsale.on_order_returned)
    registry.on("order.refunded", "flashsale.release", flashsale.on_order_returned)
    registry.on("order.paid", "groupbuy.seat_paid", groupbuy.on_order_paid)
    registry.on("order.cancelled", "groupbuy.seat_returned", groupbuy.on_order_returned)
    registry.on("order.refunded", "groupbuy.seat_returned", groupbuy.on_order_returned)
    registry.on("group.refund_seat", "groupbuy.refund_seat", groupbuy.on_refund_seat)
    registry.on("order.cancelled", "presale.release", presale.on_order_returned)
    registry.on("order.refunded", "presale.release", presale.on_order_returned)
    registry.on("order.paid", "referral.first_order", referral.on_order_paid)
    registry.on("order.refunded", "referral.refunded", referral.on_order_refunded)
    registry.on("order.cancelled", "referral.refunded", referral.on_order_refunded)
    registry.on("order.paid", "points.order_earn", points.on_order_paid)
    registry.on("referral.rewarded", "points.referral_grant", points.on_referral_rewarded)
    registry.on("referral.reward_reversed", "points.referral_take_back", points.on_referral_reward_reversed)
    registry.on("member.joined", "lifecycle.joined", lifecycle.on_member_joined)
    registry.on("order.paid", "lifecycle.order_paid", lifecycle.on_order_paid)
    registry.on("order.refunded", "lifecycle.order_returned", lifecycle.on_order_returned)
    registry.on("order.cancelled", "lifecycle.order_returned", lifecycle.on_order_returned)
    registry.on("member.interacted", "lifecycle.interacted", lifecycle.on_member_interacted)
    registry.on("order.paid", "tier.order_growth", tier.on_order_paid)
    registry.on("order.refunded", "tier.refund_growth", tier.on_order_refunded)
    registry.on("order.cancelled", "tier.refund_growth", tier.on_order_cancelled)
    registry.on("member.interacted", "tier.action_growth", tier.on_member_interacted)
    registry.on("member.interacted", "points.action_earn", points.on_member_interacted)
    for topic in ("order.paid", "order.refunded", "order.cancelled", "order.picked_up"):
        registry.on(topic, "commission.order_changed", commission.on_order_changed)
    registry.on("order.paid", "leader.promote", leader.on_order_at_point)
    registry.on("order.picked_up", "leader.promote", leader.on_order_at_point)
    registry.on("leader.assessed", "commission.subsidy", commission.on_leader_assessed)
    for topic in journey.TRIGGER_TOPICS:
        registry.on(topic, "journey.enrol", journey.on_trigger)
    registry.on("journey.step_due", "journey.run_step", journey.on_step_due)
    registry.on("order.paid", "journey.converted", journey.on_order_paid)
    registry.on("campaign.send", "campaign.send_batch", campaign.on_send)
    registry.on("order.paid", "campaign.experiment_converted", campaign.on_order_paid)
    for topic in audience.TOPICS:
        registry.on(topic, "audience.member_changed", audience.on_member_changed)
    registry.on("member.interacted", "audience.interacted", audience.on_member_interacted)
    registry.on("moderation.decided", "content.moderation_decided", content.on_moderation_decided)
    registry.on("moderation.decided", "feedback.review_decided", feedback.on_moderation_decided)
    registry.on("moderation.decided", "localservice.rating_decided", localservice.on_moderation_decided)
    registry.on("order.paid", "recommend.purchased", recommend.on_order_paid)
    registry.on("order.paid", "delivery.promise", delivery.on_order_paid)
    registry.on("order.cancelled", "delivery.call_off", delivery.on_order_closed)
    registry.on("order.refunded", "delivery.call_off", delivery.on_order_closed)
    registry.on("order.cancelled", "locker.withdraw", locker.on_order_closed)
    registry.on("order.refunded", "locker.withdraw", locker.on_order_closed)
    return registry
