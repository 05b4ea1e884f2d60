"""The only place that reads and writes calendar events; every query tenant-scoped."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from linli.models import CalendarEvent


def event(s: Session, tenant_id: int, event_id: int, lock: bool = False) -> CalendarEvent | None:
    stmt = select(CalendarEvent).where(CalendarEvent.tenant_id == tenant_id, CalendarEvent.id == event_id)
    return s.scalar(stmt.with_for_update() if lock else stmt)


def events_between(s: Session, tenant_id: int, start: datetime, end: datetime,
                   communities: list[int] | None, limit: int = 500) -> list[CalendarEvent]:
    """Live events meeting [start, end), by start. communities None: every event of the tenant; a list: the
    tenant-wide events and those of these communities."""
    stmt = select(CalendarEvent).where(CalendarEvent.tenant_id == tenant_id, CalendarEvent.cancelled_at.is_(None),
                                       CalendarEvent.starts_at < end, CalendarEvent.ends_at >= start)
    if communities is not None:
        stmt = stmt.where(or_(CalendarEvent.community_id.is_(None), CalendarEvent.community_id.in_(communities)))
    return list(s.scalars(stmt.order_by(CalendarEvent.starts_at, CalendarEvent.id).limit(limit)))


def add(s: Session, row: CalendarEvent) -> None:
    s.add(row)
    s.flush()
