"""Who reacts to which event: the one place handlers are registered (no import-time magic)."""

from __future__ import annotations

from linli.core.outbox import HandlerRegistry
from linli.flashsale import handlers as flashsale


def build_registry() -> HandlerRegistry:
    registry = HandlerRegistry()
    registry.on("order.cancelled", "flashsale.release", flashsale.on_order_returned)
    registry.on("order.refunded", "flashsale.release", flashsale.on_order_returned)
    return registry
