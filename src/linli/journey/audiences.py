"""Segments and tags as journeys use them (triggers, conditions), through the audience domain's service."""

from __future__ import annotations

from sqlalchemy.orm import Session

from linli.audience import service as audience
from linli.core.errors import Invalid, NotFound


def segment_members(s: Session, tenant_id: int, segment_id: int) -> list[int]:
    """Members of the segment; none if it has been deleted since the journey was saved."""
    try:
        return audience.segment_member_ids(s, tenant_id, segment_id)
    except NotFound:
        return []


def in_segment(s: Session, tenant_id: int, segment_id: int, member_id: int) -> bool:
    try:
        return audience.member_in_segment(s, tenant_id, segment_id, member_id)
    except NotFound:
        return False


def has_tag(s: Session, tenant_id: int, member_id: int, tag: str) -> bool:
    return tag in audience.member_tag_codes(s, tenant_id, member_id)


def require_segment(s: Session, tenant_id: int, segment_id: int) -> None:
    """A definition naming a segment of no such id in this tenant is bad input (422)."""
    try:
        audience.member_in_segment(s, tenant_id, segment_id, 0)
    except NotFound as exc:
        raise Invalid(f"segment {segment_id} not found", code="unknown_segment") from exc
