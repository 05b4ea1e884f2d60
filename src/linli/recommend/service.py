"""Recommendation: record what members do with products and posts, rank products and posts per member with
reasons, and the tenant's ranking settings. Recording is one insert; ranking is in `ranking.py`."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from linli.core import clock
from linli.core.errors import Invalid
from linli.models.recommend import ACTIONS, ITEM_KINDS
from linli.recommend import repository as repo

MAX_DWELL_MS = 6 * 3600 * 1000  # longer is a tab left open, not attention


def record_behaviour(s: Session, tenant_id: int, member_id: int, *, item_kind: str, item_id: int, action: str,
                     dwell_ms: int | None = None, community_id: int | None = None) -> None:
    """Append one behaviour event (cheap: validation in memory, then one insert). A dwell needs its dwell_ms."""
    _check(item_kind, item_id, action, dwell_ms)
    if dwell_ms is not None:
        dwell_ms = min(dwell_ms, MAX_DWELL_MS)
    repo.add_event(s, tenant_id, member_id, item_kind, item_id, action, dwell_ms, community_id, clock.now())


def _check(item_kind: str, item_id: int, action: str, dwell_ms: int | None) -> None:
    if item_kind not in ITEM_KINDS:
        raise Invalid(f"item_kind must be one of {', '.join(ITEM_KINDS)}", code="invalid_item_kind")
    if action not in ACTIONS:
        raise Invalid(f"action must be one of {', '.join(ACTIONS)}", code="invalid_action")
    if not isinstance(item_id, int) or isinstance(item_id, bool) or item_id <= 0:
        raise Invalid("item_id must be a positive integer", code="invalid_item_id")
    if dwell_ms is not None and (not isinstance(dwell_ms, int) or dwell_ms < 0):
        raise Invalid("dwell_ms must be a non-negative integer", code="invalid_dwell_ms")
    if action == "dwell" and dwell_ms is None:
        raise Invalid("a dwell needs dwell_ms", code="dwell_ms_required")


def record_purchase(s: Session, tenant_id: int, member_id: int, order_id: int, product_ids: list[int],
                    at: datetime, community_id: int | None = None) -> int:
    """The products of a paid order, once per order and product (a redelivery adds nothing); answers how many
    were new. The unique (tenant, order, item) key backs this up under concurrency."""
    seen = repo.purchased_items(s, tenant_id, order_id)
    rows = [{"tenant_id": tenant_id, "member_id": member_id, "item_kind": "product", "item_id": pid,
             "action": "purchase", "dwell_ms": None, "community_id": community_id, "order_id": order_id, "at": at}
            for pid in sorted(set(product_ids)) if pid not in seen]
    repo.add_events(s, rows)
    return len(rows)
