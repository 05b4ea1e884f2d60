"""The only place that reads and writes this domain's tables; every query tenant-scoped. The export_* queries read
the members, orders and catalogue tables the features come from (read-only, as an analytics export)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Select, delete, func, literal, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from linli.core.db import table
from linli.models import (
    AudienceRun,
    Building,
    Category,
    Checkin,
    Community,
    Household,
    Member,
    MemberInteraction,
    MemberRfm,
    MemberTag,
    Order,
    OrderItem,
    OrderRating,
    Product,
    Segment,
    SegmentMember,
    Tag,
)

_INSERT: dict[str, Any] = {"postgresql": pg_insert, "sqlite": sqlite_insert}
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
CHUNK = 500


def us(at: datetime) -> int:
    return (at - EPOCH) // timedelta(microseconds=1)


def _us_or_none(at: datetime | None) -> int | None:
    return None if at is None else us(at)


# --- tags and segments ----------------------------------------------------------------------------

def tag(s: Session, tenant_id: int, tag_id: int) -> Tag | None:
    return s.scalar(select(Tag).where(Tag.tenant_id == tenant_id, Tag.id == tag_id))


def tag_by(s: Session, tenant_id: int, *, code: str | None = None, name: str | None = None) -> Tag | None:
    stmt = select(Tag).where(Tag.tenant_id == tenant_id)
    stmt = stmt.where(Tag.code == code) if code is not None else stmt.where(Tag.name == name)
    return s.scalar(stmt)


def tags(s: Session, tenant_id: int) -> Sequence[Tag]:
    return s.scalars(select(Tag).where(Tag.tenant_id == tenant_id).order_by(Tag.id)).all()


def tag_codes(s: Session, tenant_id: int) -> dict[str, int]:
    return {c: i for c, i in s.execute(select(Tag.code, Tag.id).where(Tag.tenant_id == tenant_id))}


def tag_counts(s: Session, tenant_id: int) -> dict[int, int]:
    return {t: n for t, n in s.execute(select(MemberTag.tag_id, func.count()).where(MemberTag.tenant_id == tenant_id)
                                       .group_by(MemberTag.tag_id))}


def segment(s: Session, tenant_id: int, segment_id: int) -> Segment | None:
    return s.scalar(select(Segment).where(Segment.tenant_id == tenant_id, Segment.id == segment_id))


def segment_by_name(s: Session, tenant_id: int, name: str) -> Segment | None:
    return s.scalar(select(Segment).where(Segment.tenant_id == tenant_id, Segment.name == name))


def segments(s: Session, tenant_id: int, archived: bool = False) -> Sequence[Segment]:
    """The live segments (with archived=True: every one, archived too)."""
    stmt = select(Segment).where(Segment.tenant_id == tenant_id)
    if not archived:
        stmt = stmt.where(Segment.archived_at.is_(None))
    return s.scalars(stmt.order_by(Segment.id)).all()


def segment_counts(s: Session, tenant_id: int) -> dict[int, int]:
    return {g: n for g, n in s.execute(select(SegmentMember.segment_id, func.count())
                                       .where(SegmentMember.tenant_id == tenant_id).group_by(SegmentMember.segment_id))}


def segment_member_ids(s: Session, tenant_id: int, segment_id: int) -> list[int]:
    return list(s.scalars(select(SegmentMember.member_id).where(
        SegmentMember.tenant_id == tenant_id, SegmentMember.segment_id == segment_id)
        .order_by(SegmentMember.member_id)))


def in_segment(s: Session, tenant_id: int, segment_id: int, member_id: int) -> bool:
    return s.scalar(select(SegmentMember.id).where(
        SegmentMember.tenant_id == tenant_id, SegmentMember.segment_id == segment_id,
        SegmentMember.member_id == member_id)) is not None


def member_tag_codes(s: Session, tenant_id: int, member_id: int) -> set[str]:
    return set(s.scalars(select(Tag.code).join(MemberTag, MemberTag.tag_id == Tag.id)
                         .where(MemberTag.tenant_id == tenant_id, MemberTag.member_id == member_id,
                                Tag.tenant_id == tenant_id)))


def member_tags(s: Session, tenant_id: int, member_id: int) -> list[tuple[Tag, datetime]]:
    rows = s.execute(select(Tag, MemberTag.since).join(MemberTag, MemberTag.tag_id == Tag.id)
                     .where(MemberTag.tenant_id == tenant_id, MemberTag.member_id == member_id,
                            Tag.tenant_id == tenant_id).order_by(Tag.id))
    return [(t, since) for t, since in rows]


def member_segment_ids(s: Session, tenant_id: int, member_id: int) -> set[int]:
    return set(s.scalars(select(SegmentMember.segment_id).where(SegmentMember.tenant_id == tenant_id,
                                                                SegmentMember.member_id == member_id)))


def members_rows(s: Session, tenant_id: int, *, tag_id: int | None = None, segment_id: int | None = None,
                 after: int = 0, limit: int = 1000) -> Sequence[Any]:
    """Members (id, name, phone, community, since) carrying a tag or in a segment, after a member id, in id order."""
    link: Any = MemberTag if tag_id is not None else SegmentMember
    key = link.tag_id == tag_id if tag_id is not None else link.segment_id == segment_id
    stmt: Select[Any] = (select(Member.id, Member.name, Member.phone, Community.name.label("community"), link.since)
                         .join(link, (link.member_id == Member.id) & (link.tenant_id == tenant_id) & key)
                         .join(Community, Community.id == Member.community_id)
                         .where(Member.tenant_id == tenant_id, Member.id > after).order_by(Member.id).limit(limit))
    return s.execute(stmt).all()


def delete_tag_rows(s: Session, tenant_id: int, tag_id: int) -> None:
    s.execute(delete(MemberTag).where(MemberTag.tenant_id == tenant_id, MemberTag.tag_id == tag_id))


def delete_segment_rows(s: Session, tenant_id: int, segment_id: int) -> None:
    s.execute(delete(SegmentMember).where(SegmentMember.tenant_id == tenant_id, SegmentMember.segment_id == segment_id))


def category_names(s: Session, tenant_id: int) -> set[str]:
    return set(s.scalars(select(Category.name).where(Category.tenant_id == tenant_id)))


def member_exists(s: Session, tenant_id: int, member_id: int) -> bool:
    return s.scalar(select(Member.id).where(Member.tenant_id == tenant_id, Member.id == member_id)) is not None


def member_ids(s: Session, tenant_id: int) -> list[int]:
    return list(s.scalars(select(Member.id).where(Member.tenant_id == tenant_id).order_by(Member.id)))


# --- the export the features come from --------------------------------------------------------------

def export_members(s: Session, tenant_id: int, member_id: int | None = None) -> Iterator[tuple[Any, ...]]:
    stmt = (select(Member.id, Member.joined_at, Community.name, func.coalesce(Building.name, ""),
                   func.coalesce(Household.family_structure, ""), func.coalesce(Household.unit_type, ""))
            .join(Community, Community.id == Member.community_id)
            .outerjoin(Household, Household.id == Member.household_id)
            .outerjoin(Building, Building.id == Household.building_id)
            .where(Member.tenant_id == tenant_id))
    if member_id is not None:
        stmt = stmt.where(Member.id == member_id)
    for mid, joined, community, building, household_type, unit_type in s.execute(stmt.order_by(Member.id)):
        yield mid, us(joined), community, building, household_type, unit_type


def export_orders(s: Session, tenant_id: int, member_id: int | None = None) -> Iterator[tuple[Any, ...]]:
    stmt = (select(Order.id, Order.member_id, Order.status, Order.total_fen, Order.discount_fen, Order.payable_fen,
                   Order.refunded_fen, Order.source, Order.paid_at, Order.deliverable_from, Order.picked_up_at)
            .where(Order.tenant_id == tenant_id, Order.paid_at.is_not(None)))
    if member_id is not None:
        stmt = stmt.where(Order.member_id == member_id)
    for oid, mid, status, total, disc, payable, refunded, source, paid, deliverable, picked in s.execute(stmt):
        paid_us = us(paid) if paid is not None else 0  # never 0: NULL filtered above
        yield (oid, mid, status, total, disc, payable, refunded, source, paid_us,
               paid_us if deliverable is None else us(deliverable), _us_or_none(picked))


def export_items(s: Session, tenant_id: int, since: datetime, member_id: int | None = None
                 ) -> Iterator[tuple[Any, ...]]:
    """Lines of orders paid after `since` with their category name."""
    stmt = (select(OrderItem.order_id, Category.name, OrderItem.amount_fen, OrderItem.is_fresh)
            .join(Order, Order.id == OrderItem.order_id)
            .join(Product, Product.id == OrderItem.product_id)
            .join(Category, Category.id == Product.category_id)
            .where(OrderItem.tenant_id == tenant_id, Order.tenant_id == tenant_id, Order.paid_at > since))
    if member_id is not None:
        stmt = stmt.where(Order.member_id == member_id)
    for oid, name, amount, fresh in s.execute(stmt):
        yield oid, name, amount, bool(fresh)


# kinds with a table of their own, read from it (its whole history, not only what happened since events were kept)
OWN_TABLE_KINDS = ("checkin", "review")


def export_interactions(s: Session, tenant_id: int, since: datetime, member_id: int | None = None
                        ) -> Iterator[tuple[Any, ...]]:
    """(member, kind, when) of every interaction after `since`: check-ins and order ratings from their tables,
    the other kinds (share, post, comment, vote, geo_checkin, …) from the member.interacted events kept here."""
    seen = select(MemberInteraction.member_id, MemberInteraction.kind, MemberInteraction.at).where(
        MemberInteraction.tenant_id == tenant_id, MemberInteraction.at > since,
        MemberInteraction.kind.not_in(OWN_TABLE_KINDS))
    checkins = select(Checkin.member_id, literal("checkin"), Checkin.created_at).where(
        Checkin.tenant_id == tenant_id, Checkin.created_at > since)
    reviews = select(OrderRating.member_id, literal("review"), OrderRating.created_at).where(
        OrderRating.tenant_id == tenant_id, OrderRating.created_at > since)
    for stmt, who in ((seen, MemberInteraction.member_id), (checkins, Checkin.member_id),
                      (reviews, OrderRating.member_id)):
        if member_id is not None:
            stmt = stmt.where(who == member_id)
        for mid, kind, at in s.execute(stmt):
            yield mid, kind, us(at)


def export_member_tags(s: Session, tenant_id: int) -> Iterator[tuple[int, int]]:
    rows = s.execute(select(MemberTag.tag_id, MemberTag.member_id).where(MemberTag.tenant_id == tenant_id))
    return ((t, m) for t, m in rows)


def export_segment_members(s: Session, tenant_id: int) -> Iterator[tuple[int, int]]:
    rows = s.execute(select(SegmentMember.segment_id, SegmentMember.member_id)
                     .where(SegmentMember.tenant_id == tenant_id))
    return ((g, m) for g, m in rows)


def member_tag_ids(s: Session, tenant_id: int, member_id: int) -> set[int]:
    return set(s.scalars(select(MemberTag.tag_id).where(MemberTag.tenant_id == tenant_id,
                                                        MemberTag.member_id == member_id)))


# --- writing the differences ------------------------------------------------------------------------

def _chunks(rows: Sequence[Any]) -> Iterator[Sequence[Any]]:
    for i in range(0, len(rows), CHUNK):
        yield rows[i:i + CHUNK]


def add_links(s: Session, model: Any, tenant_id: int, key: str, pairs: Sequence[tuple[int, int]],
              since: datetime) -> list[tuple[int, int]]:
    """Insert (key id, member id) rows of member_tags / segment_members; returns the ones really inserted
    (a row another writer added first is skipped: ON CONFLICT DO NOTHING)."""
    t = table(model)
    ins: Any = _INSERT[s.get_bind().dialect.name]
    stmt = ins(t).on_conflict_do_nothing(index_elements=["tenant_id", key, "member_id"]).returning(
        t.c[key], t.c.member_id)
    added: list[tuple[int, int]] = []
    for chunk in _chunks(pairs):
        result = s.execute(stmt, [{"tenant_id": tenant_id, key: k, "member_id": m, "since": since} for k, m in chunk])
        added.extend((k, m) for k, m in result)
    return added


def remove_links(s: Session, model: Any, tenant_id: int, key: str, pairs: Iterable[tuple[int, int]]
                 ) -> list[tuple[int, int]]:
    """Delete (key id, member id) rows; returns the ones really deleted."""
    t = table(model)
    by_key: dict[int, list[int]] = {}
    for k, m in pairs:
        by_key.setdefault(k, []).append(m)
    removed: list[tuple[int, int]] = []
    for k, members in sorted(by_key.items()):
        for chunk in _chunks(sorted(members)):
            result = s.execute(delete(t).where(t.c.tenant_id == tenant_id, t.c[key] == k, t.c.member_id.in_(chunk))
                               .returning(t.c.member_id))
            removed.extend((k, m) for (m,) in result)
    return removed


def rfm_rows(s: Session, tenant_id: int, member_id: int | None = None) -> dict[int, MemberRfm]:
    stmt = select(MemberRfm).where(MemberRfm.tenant_id == tenant_id)
    if member_id is not None:
        stmt = stmt.where(MemberRfm.member_id == member_id)
    return {r.member_id: r for r in s.scalars(stmt)}


def write_rfm(s: Session, tenant_id: int, changed: Sequence[dict[str, Any]], existing: set[int]) -> None:
    """Insert or update the RFM rows that changed (dicts with member_id, r, f, m, rfm_class, recency_days,
    frequency, monetary_fen, computed_at)."""
    t = table(MemberRfm)
    new = [dict(row, tenant_id=tenant_id) for row in changed if row["member_id"] not in existing]
    old = [row for row in changed if row["member_id"] in existing]
    for chunk in _chunks(new):
        ins: Any = _INSERT[s.get_bind().dialect.name]
        s.execute(ins(t).on_conflict_do_nothing(index_elements=["tenant_id", "member_id"]), list(chunk))
    for row in old:
        s.execute(update(t).where(t.c.tenant_id == tenant_id, t.c.member_id == row["member_id"])
                  .values(**{k: v for k, v in row.items() if k != "member_id"}))


def member_rfm(s: Session, tenant_id: int, member_id: int) -> MemberRfm | None:
    return s.scalar(select(MemberRfm).where(MemberRfm.tenant_id == tenant_id, MemberRfm.member_id == member_id))


def rfm_distribution(s: Session, tenant_id: int) -> dict[str, int]:
    return {c: n for c, n in s.execute(select(MemberRfm.rfm_class, func.count()).where(MemberRfm.tenant_id == tenant_id)
                                       .group_by(MemberRfm.rfm_class))}


# --- runs and interactions ----------------------------------------------------------------------------

def add_run(s: Session, run: AudienceRun) -> None:
    s.add(run)
    s.flush()


def last_run(s: Session, tenant_id: int) -> AudienceRun | None:
    return s.scalar(select(AudienceRun).where(AudienceRun.tenant_id == tenant_id)
                    .order_by(AudienceRun.at.desc(), AudienceRun.id.desc()).limit(1))


def tenants_with_tags(s: Session) -> list[int]:
    return list(s.scalars(select(Tag.tenant_id).distinct().order_by(Tag.tenant_id)))


def record_interaction(s: Session, tenant_id: int, event_id: int, member_id: int, kind: str, at: datetime) -> None:
    t = table(MemberInteraction)
    ins: Any = _INSERT[s.get_bind().dialect.name]
    s.execute(ins(t).values(tenant_id=tenant_id, event_id=event_id, member_id=member_id, kind=kind, at=at)
              .on_conflict_do_nothing(index_elements=["tenant_id", "event_id"]))
