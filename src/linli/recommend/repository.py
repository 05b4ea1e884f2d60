"""The only place that reads and writes for this domain; every query tenant-scoped. It writes its own tables
only. The tenant-wide loads for the ranking model and the purchase backfill read other domains' tables
(members, products, categories, orders) read-only, like the other analytics reads: one columnar read per
tenant, which per-row service calls could not give."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Integer, and_, case, func, insert, literal, select
from sqlalchemy.orm import Session, aliased

from linli.core.db import table
from linli.models import BehaviourEvent, Category, Member, Order, OrderItem, Product, RecommendSettings

_EVENTS = table(BehaviourEvent)
_INSERT = insert(_EVENTS)  # prebuilt: recording is on the page path and must stay one cheap statement

EventRow = tuple[int, int, str, int | None, datetime]  # member id, item id, action, dwell ms, at


def add_event(s: Session, tenant_id: int, member_id: int, item_kind: str, item_id: int, action: str,
              dwell_ms: int | None, community_id: int | None, at: datetime, order_id: int | None = None) -> None:
    s.execute(_INSERT, {"tenant_id": tenant_id, "member_id": member_id, "item_kind": item_kind,
                        "item_id": item_id, "action": action, "dwell_ms": dwell_ms, "community_id": community_id,
                        "order_id": order_id, "at": at})


def add_events(s: Session, rows: list[dict[str, Any]]) -> None:
    if rows:
        s.execute(_INSERT, rows)


def purchased_items(s: Session, tenant_id: int, order_id: int) -> set[int]:
    rows = s.execute(select(BehaviourEvent.item_id).where(BehaviourEvent.tenant_id == tenant_id,
                                                          BehaviourEvent.order_id == order_id))
    return {i for (i,) in rows}


def settings(s: Session, tenant_id: int) -> RecommendSettings | None:
    return s.scalar(select(RecommendSettings).where(RecommendSettings.tenant_id == tenant_id))


def events(s: Session, tenant_id: int, item_kind: str, since: datetime, until: datetime) -> list[EventRow]:
    """Every event on this kind of item in [since, until), in time order."""
    c = _EVENTS.c  # Core on the connection: no ORM row bookkeeping on a bulk read
    rows = s.connection().execute(select(c.member_id, c.item_id, c.action, c.dwell_ms, c.at)
                                  .where(c.tenant_id == tenant_id, c.at >= since, c.at < until,
                                         c.item_kind == item_kind)
                                  .order_by(c.at, c.id))
    return [(m, i, a, d, at) for m, i, a, d, at in rows]


def member_events(s: Session, tenant_id: int, member_id: int, since: datetime, until: datetime,
                  limit: int = 2000) -> list[tuple[str, int, str, int | None, datetime]]:
    """(item kind, item id, action, dwell ms, at) of one member's newest events in [since, until)."""
    rows = s.execute(select(BehaviourEvent.item_kind, BehaviourEvent.item_id, BehaviourEvent.action,
                            BehaviourEvent.dwell_ms, BehaviourEvent.at)
                     .where(BehaviourEvent.tenant_id == tenant_id, BehaviourEvent.member_id == member_id,
                            BehaviourEvent.at >= since, BehaviourEvent.at < until)
                     .order_by(BehaviourEvent.at.desc(), BehaviourEvent.id.desc()).limit(limit))
    return [(k, i, a, d, at) for k, i, a, d, at in rows]


def member_communities(s: Session, tenant_id: int) -> dict[int, int]:
    rows = s.execute(select(Member.id, Member.community_id).where(Member.tenant_id == tenant_id))
    return {m: c for m, c in rows}


def products(s: Session, tenant_id: int) -> list[tuple[int, int, str]]:
    """(id, category id, name) of every product, by id."""
    rows = s.execute(select(Product.id, Product.category_id, Product.name)
                     .where(Product.tenant_id == tenant_id).order_by(Product.id))
    return [(p, c, n) for p, c, n in rows]


def category_names(s: Session, tenant_id: int) -> dict[int, str]:
    return {c: n for c, n in s.execute(select(Category.id, Category.name).where(Category.tenant_id == tenant_id))}


ShelfRow = tuple[int, str, int, str | None, int, int]  # id, name, price fen, image, category id, stock


def shelf(s: Session, tenant_id: int) -> list[ShelfRow]:
    """Products members can order now: on shelf, with stock."""
    rows = s.execute(select(Product.id, Product.name, Product.price_fen, Product.image, Product.category_id,
                            Product.stock)
                     .where(Product.tenant_id == tenant_id, Product.is_active.is_(True), Product.stock > 0)
                     .order_by(Product.id))
    return [(p, n, f, i, c, st) for p, n, f, i, c, st in rows]


def backfill_purchases(s: Session, tenant_id: int, since: datetime | None = None) -> int:
    """One purchase event per line of every paid order not recorded yet (at = paid at, community = the
    member's): one INSERT … SELECT, so a history of any size takes one statement."""
    recorded = select(BehaviourEvent.id).where(
        BehaviourEvent.tenant_id == tenant_id, BehaviourEvent.order_id == OrderItem.order_id,
        BehaviourEvent.item_id == OrderItem.product_id)
    lines = (select(literal(tenant_id), Order.member_id, literal("product"), OrderItem.product_id,
                    literal("purchase"), Member.community_id, Order.id, Order.paid_at)
             .join(Order, and_(Order.id == OrderItem.order_id, Order.tenant_id == tenant_id))
             .join(Member, and_(Member.id == Order.member_id, Member.tenant_id == tenant_id))
             .where(OrderItem.tenant_id == tenant_id, Order.paid_at.is_not(None), ~recorded.exists())
             .group_by(Order.member_id, OrderItem.product_id, Member.community_id, Order.id, Order.paid_at))
    if since is not None:
        lines = lines.where(Order.paid_at >= since)
    cols = ["tenant_id", "member_id", "item_kind", "item_id", "action", "community_id", "order_id", "at"]
    result = s.execute(insert(_EVENTS).from_select(cols, lines))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def synthesise_browsing(s: Session, tenant_id: int) -> int:
    """Demo and benchmark data only: browsing around the recorded purchases, chosen by fixed hashes of the purchase
    row id (deterministic, no randomness source): views, dwells, a few likes / favourites / comments, and views of
    the next product in the same category. Four INSERT … SELECT statements: no rows pass through Python."""
    e = _EVENTS.c
    h1, h2, h3 = (e.id * 2654435761) % 100, (e.id * 40503) % 100, (e.id * 9973) % 100
    bought = and_(e.tenant_id == tenant_id, e.action == "purchase", e.item_kind == "product")
    cols = ["tenant_id", "member_id", "item_kind", "item_id", "action", "dwell_ms", "community_id", "at"]

    def copy(action: Any, dwell: Any, where: Any, item: Any = e.item_id) -> int:
        rows = select(literal(tenant_id), e.member_id, literal("product"), item, action, dwell, e.community_id, e.at
                      ).where(bought, where)
        return int(s.execute(insert(_EVENTS).from_select(cols, rows)).rowcount or 0)  # type: ignore[attr-defined]

    none = literal(None, Integer)
    added = copy(literal("view"), none, h1 < 40)
    added += copy(literal("dwell"), 4000 + (e.id * 7919) % 86000, h1 < 25)
    added += copy(case((h2 < 3, "like"), (h2 < 5, "favourite"), else_="comment"), none, h2 < 6)
    item, other = aliased(Product), aliased(Product)
    sibling = (select(func.min(other.id)).where(other.tenant_id == tenant_id, other.category_id == item.category_id,
                                                 other.id > item.id)
               .correlate(item).scalar_subquery())
    rows = (select(literal(tenant_id), e.member_id, literal("product"), sibling, literal("view"), none, e.community_id,
                   e.at)
            .join(item, and_(item.id == e.item_id, item.tenant_id == tenant_id))
            .where(bought, h3 < 30, sibling.is_not(None)))
    added += int(s.execute(insert(_EVENTS).from_select(cols, rows)).rowcount or 0)  # type: ignore[attr-defined]
    return added
