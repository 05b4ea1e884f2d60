"""Who reacts to which event: the one place handlers are registered (no import-time magic)."""

from __future__ import annotations

from linli.core.outbox import HandlerRegistry
from linli.flashsale import handlers as flashsale
from linli.groupbuy import handlers as groupbuy


def build_registry() -> HandlerRegistry:
    registry = HandlerRegistry()
    registry.on("order.cancelled", "flashsale.release", flashsale.on_order_returned)
    registry.on("order.refunded", "flashsale.release", flashsale.on_order_returned)
    registry.on("order.paid", "groupbuy.seat_paid", groupbuy.on_order_paid)
    registry.on("order.cancelled", "groupbuy.seat_returned", groupbuy.on_order_returned)
    registry.on("order.refunded", "groupbuy.seat_returned", groupbuy.on_order_returned)
    registry.on("group.refund_seat", "groupbuy.refund_seat", groupbuy.on_refund_seat)
    return registry
