"""The only place that reads and writes this domain's tables; every query tenant-scoped."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from linli.models import MemberRfm, MemberTag, Segment, SegmentMember, Tag


def segment(s: Session, tenant_id: int, segment_id: int) -> Segment | None:
    return s.scalar(select(Segment).where(Segment.tenant_id == tenant_id, Segment.id == segment_id))


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


def tags(s: Session, tenant_id: int) -> Sequence[Tag]:
    return s.scalars(select(Tag).where(Tag.tenant_id == tenant_id).order_by(Tag.id)).all()


def member_rfm(s: Session, tenant_id: int, member_id: int) -> MemberRfm | None:
    return s.scalar(select(MemberRfm).where(MemberRfm.tenant_id == tenant_id, MemberRfm.member_id == member_id))
