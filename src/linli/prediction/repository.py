"""The only place that reads for this domain; every query tenant-scoped. Prediction is an analytics read
model: it reads other domains' tables (members, orders, campaigns, tiers, check-ins) and never writes them.
Each function answers plain tuples, in a fixed order, so the arrays built from them are deterministic."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from linli.models import (
    Checkin,
    FlashSale,
    GroupBuy,
    GrowthEntry,
    Leader,
    Member,
    MemberTierHistory,
    Order,
    OrderItem,
    Presale,
    Product,
)

CAMPAIGN_SOURCES = ("group_buy", "flash_sale", "presale")  # orders.source of a campaign's orders


def members(s: Session, tenant_id: int) -> list[tuple[int, int, datetime]]:
    """(member id, community id, joined at), by id."""
    rows = s.execute(select(Member.id, Member.community_id, Member.joined_at)
                     .where(Member.tenant_id == tenant_id).order_by(Member.id))
    return [(m, c, j) for m, c, j in rows]


def member_names(s: Session, tenant_id: int, member_ids: list[int]) -> dict[int, str]:
    if not member_ids:
        return {}
    rows = s.execute(select(Member.id, Member.name).where(Member.tenant_id == tenant_id,
                                                          Member.id.in_(member_ids)))
    return {m: n for m, n in rows}


def leaders(s: Session, tenant_id: int) -> list[tuple[int, datetime]]:
    """(member id, leader since) of leaders who are members."""
    rows = s.execute(select(Leader.member_id, Leader.since)
                     .where(Leader.tenant_id == tenant_id, Leader.member_id.is_not(None)).order_by(Leader.id))
    return [(m, at) for m, at in rows if m is not None]


PaidOrder = tuple[int, int, datetime, int, str, int | None, int | None]


def paid_orders(s: Session, tenant_id: int) -> list[PaidOrder]:
    """(order id, member id, paid at, payable fen, source, source id, pickup point id) of every order that was
    paid — later refunds included: paying is what shows the member's engagement at that time."""
    rows = s.execute(select(Order.id, Order.member_id, Order.paid_at, Order.payable_fen, Order.source,
                            Order.source_id, Order.pickup_point_id)
                     .where(Order.tenant_id == tenant_id, Order.paid_at.is_not(None)).order_by(Order.id))
    return [(o, m, at, fen, src, sid, pt) for o, m, at, fen, src, sid, pt in rows if at is not None]


def paid_lines(s: Session, tenant_id: int) -> list[tuple[int, int, int]]:
    """(order id, category id, amount fen) of every line of a paid order."""
    rows = s.execute(select(OrderItem.order_id, Product.category_id, OrderItem.amount_fen)
                     .join(Order, Order.id == OrderItem.order_id)
                     .join(Product, Product.id == OrderItem.product_id)
                     .where(OrderItem.tenant_id == tenant_id, Order.tenant_id == tenant_id,
                            Product.tenant_id == tenant_id, Order.paid_at.is_not(None))
                     .order_by(OrderItem.id))
    return [(o, c, fen) for o, c, fen in rows]


def campaigns(s: Session, tenant_id: int) -> list[tuple[str, int, int, datetime, datetime | None]]:
    """(kind, id, category id, starts at, ends at or None) of every group-buy, flash sale and presale. A
    group-buy starts when it is created and runs until it is closed (None: still open)."""
    out: list[tuple[str, int, int, datetime, datetime | None]] = []
    gb = s.execute(select(GroupBuy.id, Product.category_id, GroupBuy.created_at, GroupBuy.closed_at)
                   .join(Product, Product.id == GroupBuy.product_id)
                   .where(GroupBuy.tenant_id == tenant_id, Product.tenant_id == tenant_id).order_by(GroupBuy.id))
    out += [("group_buy", i, c, a, b) for i, c, a, b in gb]
    fs = s.execute(select(FlashSale.id, Product.category_id, FlashSale.starts_at, FlashSale.ends_at,
                          FlashSale.closed_at)
                   .join(Product, Product.id == FlashSale.product_id)
                   .where(FlashSale.tenant_id == tenant_id, Product.tenant_id == tenant_id).order_by(FlashSale.id))
    out += [("flash_sale", i, c, a, min(b, closed) if closed is not None else b) for i, c, a, b, closed in fs]
    ps = s.execute(select(Presale.id, Product.category_id, Presale.starts_at, Presale.ends_at)
                   .join(Product, Product.id == Presale.product_id)
                   .where(Presale.tenant_id == tenant_id, Product.tenant_id == tenant_id).order_by(Presale.id))
    out += [("presale", i, c, a, b) for i, c, a, b in ps]
    return out


def tier_changes(s: Session, tenant_id: int) -> list[tuple[int, str, datetime]]:
    """(member id, tier entered, when), oldest first."""
    rows = s.execute(select(MemberTierHistory.member_id, MemberTierHistory.to_tier, MemberTierHistory.at)
                     .where(MemberTierHistory.tenant_id == tenant_id)
                     .order_by(MemberTierHistory.at, MemberTierHistory.id))
    return [(m, tier, at) for m, tier, at in rows]


def checkins(s: Session, tenant_id: int) -> list[tuple[int, date]]:
    rows = s.execute(select(Checkin.member_id, Checkin.day).where(Checkin.tenant_id == tenant_id)
                     .order_by(Checkin.id))
    return [(m, d) for m, d in rows]


def interactions(s: Session, tenant_id: int) -> list[tuple[int, datetime]]:
    """(member id, when) of each interaction that earned growth (reviews, shares, votes, geo check-ins…)."""
    rows = s.execute(select(GrowthEntry.member_id, GrowthEntry.at)
                     .where(GrowthEntry.tenant_id == tenant_id, GrowthEntry.kind.like("action:%"))
                     .order_by(GrowthEntry.id))
    return [(m, at) for m, at in rows]


def campaign_products(s: Session, tenant_id: int) -> dict[tuple[str, int], str]:
    """(kind, campaign id) -> the product's name, for the console's campaign picker."""
    out: dict[tuple[str, int], str] = {}
    for kind, model in (("group_buy", GroupBuy), ("flash_sale", FlashSale), ("presale", Presale)):
        rows = s.execute(select(model.id, Product.name).join(Product, Product.id == model.product_id)
                         .where(model.tenant_id == tenant_id, Product.tenant_id == tenant_id))
        out.update({(kind, i): name for i, name in rows})
    return out
