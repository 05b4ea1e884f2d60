"""Spending points: goods from the redemption catalogue (积分商城), property-fee offsets (抵物业费) and
charity donations (公益捐赠) with a public running total per community."""

from __future__ import annotations

import uuid

from sqlalchemy.orm import Session

from linli.community import service as community
from linli.core.errors import Conflict, Invalid, NotFound
from linli.core.pagination import fetch_page
from linli.core.security import Principal
from linli.member import service as members
from linli.models import PointsCatalogItem, PointsRedemption
from linli.points import ledger
from linli.points import repository as repo
from linli.points import rules as rules_of
from linli.points.ledger import REDEEMED, Leg
from linli.points.schemas import (
    CatalogItemIn,
    CatalogItemOut,
    CatalogItemPatch,
    CharityOut,
    RedemptionIn,
    RedemptionOut,
)

LABELS = {"goods": "积分兑换商品", "property_fee": "积分抵物业费", "charity": "积分公益捐赠"}


def redeem(s: Session, p: Principal, data: RedemptionIn, idem_key: str | None) -> RedemptionOut:
    """goods: `amount` must equal the item's points_cost × quantity — the price the member was shown —
    so a price change between looking and redeeming is refused (422 amount_mismatch), never guessed."""
    assert p.member_id is not None
    tenant_id, member_id = p.tenant_id, p.member_id
    quantity = value_fen = community_id = None
    if data.kind == "goods":
        assert data.item_id is not None
        item = repo.catalog_item(s, tenant_id, data.item_id)
        if item is None:
            raise Invalid("item_id: no such catalogue item", code="unknown_item")
        if not item.active:
            raise Conflict("this item can no longer be redeemed", code="item_unavailable")
        quantity = data.quantity or 1
        if data.amount != item.points_cost * quantity:
            raise Invalid(f"amount must be {item.points_cost} × {quantity} points", code="amount_mismatch")
    elif data.kind == "property_fee":
        value_fen, rest = rules_of.fen_for(rules_of.current(s, tenant_id), data.amount)
        if rest:
            raise Invalid("points must make whole fen at the deduction rate", code="points_not_whole_fen")
    else:
        community_id = members.communities_of(s, tenant_id, [member_id]).get(member_id)
    acc = ledger.lock(s, tenant_id, member_id)  # first the member, then the item: one lock order
    if acc.balance < data.amount:
        raise ledger.insufficient()
    if data.item_id is not None and quantity is not None and not repo.take_stock(s, tenant_id, data.item_id,
                                                                                   quantity):
        raise Conflict("this item is out of stock", code="out_of_stock")
    key = f"redeem:{p.user_id}:{idem_key}" if idem_key else f"redeem:{uuid.uuid4().hex}"
    tx = ledger.post(s, acc, f"redeem_{data.kind}", key, [Leg(-data.amount, REDEEMED[data.kind])],
                     reason=data.note or LABELS[data.kind],
                     reference=f"item:{data.item_id}" if data.item_id else None)
    if tx is None:
        raise Conflict("this request is being processed", code="duplicate_request")
    row = PointsRedemption(tenant_id=tenant_id, member_id=member_id, kind=data.kind, amount=data.amount,
                           item_id=data.item_id, quantity=quantity, value_fen=value_fen, community_id=community_id,
                           note=data.note, transaction_id=tx.id, created_at=tx.created_at)
    s.add(row)
    s.flush()
    return RedemptionOut(id=row.id, kind=row.kind, amount=row.amount, balance=acc.balance, item_id=row.item_id,
                         quantity=row.quantity, value_fen=row.value_fen, community_id=row.community_id,
                         note=row.note, created_at=row.created_at)


def charity(s: Session, p: Principal, community_id: int) -> CharityOut:
    community.require_community(s, p.tenant_id, community_id)
    total, donors = repo.charity_total(s, p.tenant_id, community_id)
    return CharityOut(community_id=community_id, total_points=total, donors=donors)


def create_item(s: Session, p: Principal, data: CatalogItemIn) -> CatalogItemOut:
    item = PointsCatalogItem(tenant_id=p.tenant_id, **data.model_dump())
    s.add(item)
    s.flush()
    return CatalogItemOut.model_validate(item)


def _item(s: Session, p: Principal, item_id: int) -> PointsCatalogItem:
    item = repo.catalog_item(s, p.tenant_id, item_id)
    if item is None or (p.role != "operator" and not item.active):
        raise NotFound("catalogue item not found", code="item_not_found")
    return item


def get_item(s: Session, p: Principal, item_id: int) -> CatalogItemOut:
    return CatalogItemOut.model_validate(_item(s, p, item_id))


def update_item(s: Session, p: Principal, item_id: int, data: CatalogItemPatch) -> CatalogItemOut:
    item = _item(s, p, item_id)
    for k, v in data.model_dump(exclude_unset=True).items():
        if v is None and k != "description":
            raise Invalid(f"{k} cannot be null", code="validation_error")
        setattr(item, k, v)
    s.flush()
    return CatalogItemOut.model_validate(item)


def list_items(s: Session, p: Principal, limit: int, cursor: str | None) -> tuple[list[CatalogItemOut], str | None]:
    """Operators see every item; members only the active ones."""
    stmt = repo.catalog_listing(p.tenant_id, active_only=p.role != "operator")
    rows, nxt = fetch_page(s, stmt, PointsCatalogItem.id, limit, cursor)
    return [CatalogItemOut.model_validate(r) for r in rows], nxt
