"""Who reacts to which event: the one place handlers are registered (no import-time magic)."""

from __future__ import annotations

from linli.core.outbox import HandlerRegistry
from linli.flashsale import handlers as flashsale
from linli.groupbuy import handlers as groupbuy
from linli.presale import handlers as presale
from linli.referral import handlers as referral


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
    return registry
