"""Segments as campaigns use them, through the audience domain's service (the agreed interface).
An unknown segment in a request body is bad input (422 unknown_segment)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from linli.audience import service as audience
from linli.core.errors import Invalid, NotFound


def segment_member_ids(s: Session, tenant_id: int, segment_id: int) -> list[int]:
    return audience.segment_member_ids(s, tenant_id, segment_id)


def require_segment(s: Session, tenant_id: int, segment_id: int) -> None:
    try:
        audience.member_in_segment(s, tenant_id, segment_id, 0)  # the cheapest call that checks the segment
    except NotFound as exc:
        raise Invalid(f"segment {segment_id} not found", code="unknown_segment") from exc
