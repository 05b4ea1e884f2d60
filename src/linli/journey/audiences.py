"""Segments and tags as journeys use them (triggers, conditions), through the audience domain's service."""

from __future__ import annotations

from sqlalchemy.orm import Session

from linli.core.errors import Invalid


def segment_members(s: Session, tenant_id: int, segment_id: int) -> list[int]:
    return []


def in_segment(s: Session, tenant_id: int, segment_id: int, member_id: int) -> bool:
    return False


def has_tag(s: Session, tenant_id: int, member_id: int, tag: str) -> bool:
    return False


def require_segment(s: Session, tenant_id: int, segment_id: int) -> None:
    raise Invalid(f"segment {segment_id} not found", code="unknown_segment")
