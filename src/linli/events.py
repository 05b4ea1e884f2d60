"""Who reacts to which event: the one place handlers are registered (no import-time magic)."""

from __future__ import annotations

from linli.core.outbox import HandlerRegistry


def build_registry() -> HandlerRegistry:
    registry = HandlerRegistry()
    # Later domains subscribe here, e.g. registry.on("order.paid", "points.earn", points.handlers.on_paid)
    return registry
