"""Audience: tags, segments and RFM — what other domains call, and what the operator API calls."""

from __future__ import annotations

from sqlalchemy.orm import Session

from linli.audience import repository as repo
from linli.core.errors import NotFound

# --- public functions other domains call (journeys, campaigns) ---------------------------------


def segment_member_ids(s: Session, tenant_id: int, segment_id: int) -> list[int]:
    """The members in a segment as last computed (bulk job or incremental), in id order."""
    _segment_exists(s, tenant_id, segment_id)
    return repo.segment_member_ids(s, tenant_id, segment_id)


def member_in_segment(s: Session, tenant_id: int, segment_id: int, member_id: int) -> bool:
    _segment_exists(s, tenant_id, segment_id)
    return repo.in_segment(s, tenant_id, segment_id, member_id)


def member_tag_codes(s: Session, tenant_id: int, member_id: int) -> set[str]:
    """The codes of the tags a member carries now (empty for an unknown member)."""
    return repo.member_tag_codes(s, tenant_id, member_id)


def _segment_exists(s: Session, tenant_id: int, segment_id: int) -> None:
    if repo.segment(s, tenant_id, segment_id) is None:
        raise NotFound("segment not found", code="segment_not_found")
