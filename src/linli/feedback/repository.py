"""The only place that reads and writes the feedback tables; every query tenant-scoped."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from linli.core import clock
from linli.core.db import table
from linli.models import (
    FaqEntry,
    FaqExchange,
    FeedbackAttachment,
    FeedbackBreach,
    FeedbackMessage,
    FeedbackSettings,
    FeedbackTicket,
)

_INSERT = {"postgresql": pg_insert, "sqlite": sqlite_insert}
T = FeedbackTicket

# timer -> (its due column, the instant it was met: the first of the events that fulfil it)
TIMERS: dict[str, tuple[Any, ColumnElement[Any]]] = {
    "first_response": (T.first_response_due_at, func.coalesce(T.first_responded_at, T.resolved_at, T.closed_at)),
    "resolution": (T.resolution_due_at, func.coalesce(T.resolved_at, T.closed_at)),
    "follow_up": (T.follow_up_due_at, func.coalesce(T.followed_up_at, T.closed_at)),
}


# --- settings -----------------------------------------------------------------------------------

def settings(s: Session, tenant_id: int, lock: bool = False) -> FeedbackSettings | None:
    stmt = select(FeedbackSettings).where(FeedbackSettings.tenant_id == tenant_id)
    return s.scalar(stmt.with_for_update() if lock else stmt)


def ensure_settings(s: Session, tenant_id: int) -> FeedbackSettings:
    """The tenant's settings row, created with the defaults on first use (safe under a race)."""
    found = settings(s, tenant_id)
    if found is not None:
        return found
    t = table(FeedbackSettings)
    dialect_insert: Any = _INSERT[s.get_bind().dialect.name]
    s.execute(dialect_insert(t).values(
        tenant_id=tenant_id, first_response_minutes=60, resolution_minutes=3 * 24 * 60,
        follow_up_minutes=5 * 24 * 60, bot_min_score=0.5, faq_revision=0, updated_at=clock.now())
        .on_conflict_do_nothing(index_elements=["tenant_id"]))
    row = settings(s, tenant_id)
    assert row is not None
    return row


def bump_faq_revision(s: Session, tenant_id: int) -> None:
    """A fresh random stamp, not a counter: a cached index can never match a different database's entries."""
    ensure_settings(s, tenant_id)
    s.execute(update(FeedbackSettings).where(FeedbackSettings.tenant_id == tenant_id)
              .values(faq_revision=secrets.randbelow(2**31 - 2) + 1))


def faq_revision(s: Session, tenant_id: int) -> int:
    return s.scalar(select(FeedbackSettings.faq_revision).where(FeedbackSettings.tenant_id == tenant_id)) or 0


# --- tickets ------------------------------------------------------------------------------------

def ticket(s: Session, tenant_id: int, ticket_id: int, lock: bool = False) -> FeedbackTicket | None:
    stmt = select(T).where(T.tenant_id == tenant_id, T.id == ticket_id)
    return s.scalar(stmt.with_for_update() if lock else stmt)


def tickets_of_member(s: Session, tenant_id: int, member_id: int, limit: int) -> list[FeedbackTicket]:
    return list(s.scalars(select(T).where(T.tenant_id == tenant_id, T.member_id == member_id)
                          .order_by(T.created_at.desc(), T.id.desc()).limit(limit)))


QUEUES: dict[str, ColumnElement[bool]] = {
    "pending": T.status == "open",
    "processing": T.status == "processing",
    "follow_up": T.status == "resolved",
    "overdue": and_(T.status != "closed", T.escalation_level > 0),
    "closed": T.status == "closed",
}


def queue(tenant_id: int, name: str | None, category: str | None, community_ids: Sequence[int] | None,
          since: datetime | None, until: datetime | None) -> Select[Any]:
    """A console queue as a statement (newest first), for listing.py to page and export."""
    stmt = select(T).where(T.tenant_id == tenant_id)
    if name:
        stmt = stmt.where(QUEUES[name])
    if category:
        stmt = stmt.where(T.category == category)
    if community_ids is not None:
        stmt = stmt.where(T.community_id.in_(list(community_ids)))
    if since is not None:
        stmt = stmt.where(T.created_at >= since)
    if until is not None:
        stmt = stmt.where(T.created_at < until)
    return stmt


def queue_counts(s: Session, tenant_id: int) -> dict[str, int]:
    return {name: s.scalar(select(func.count()).select_from(T).where(T.tenant_id == tenant_id, cond)) or 0
            for name, cond in QUEUES.items()}


def open_count(s: Session, tenant_id: int) -> int:
    return s.scalar(select(func.count()).select_from(T).where(
        T.tenant_id == tenant_id, T.status != "closed")) or 0


def messages(s: Session, tenant_id: int, ticket_id: int) -> list[FeedbackMessage]:
    return list(s.scalars(select(FeedbackMessage).where(
        FeedbackMessage.tenant_id == tenant_id, FeedbackMessage.ticket_id == ticket_id)
        .order_by(FeedbackMessage.created_at, FeedbackMessage.id)))


def attachments(s: Session, tenant_id: int, ticket_id: int) -> list[FeedbackAttachment]:
    return list(s.scalars(select(FeedbackAttachment).where(
        FeedbackAttachment.tenant_id == tenant_id, FeedbackAttachment.ticket_id == ticket_id)
        .order_by(FeedbackAttachment.id)))


def attachment(s: Session, tenant_id: int, attachment_id: int) -> FeedbackAttachment | None:
    return s.scalar(select(FeedbackAttachment).where(FeedbackAttachment.tenant_id == tenant_id,
                                                     FeedbackAttachment.id == attachment_id))


# --- SLA breaches -------------------------------------------------------------------------------

def breach_candidates(s: Session, now: datetime, timer: str, limit: int) -> list[tuple[int, int]]:
    """(tenant, ticket) whose `timer` fell due by `now` unmet (or was met late) and has no breach yet."""
    due, met = TIMERS[timer]
    recorded = select(FeedbackBreach.id).where(
        FeedbackBreach.tenant_id == T.tenant_id, FeedbackBreach.ticket_id == T.id,
        FeedbackBreach.timer == timer).exists()
    return [(t, i) for t, i in s.execute(select(T.tenant_id, T.id).where(
        due <= now, or_(met.is_(None), met > due), T.review_status != "rejected", ~recorded)
        .order_by(T.id).limit(limit))]


def insert_breach(s: Session, tenant_id: int, ticket_id: int, timer: str, due_at: datetime,
                  now: datetime) -> int | None:
    """The new breach's id, or None when it was already recorded (a concurrent run waits, then skips)."""
    t = table(FeedbackBreach)
    dialect_insert: Any = _INSERT[s.get_bind().dialect.name]
    found: int | None = s.scalar(dialect_insert(t).values(
        tenant_id=tenant_id, ticket_id=ticket_id, timer=timer, due_at=due_at, level=0, recorded_at=now)
        .on_conflict_do_nothing(index_elements=["tenant_id", "ticket_id", "timer"]).returning(t.c.id))
    return found


def raise_level(s: Session, tenant_id: int, ticket_id: int, breach_id: int) -> int:
    level = s.scalar(update(T).where(T.tenant_id == tenant_id, T.id == ticket_id)
                     .values(escalation_level=T.escalation_level + 1).returning(T.escalation_level))
    s.execute(update(FeedbackBreach).where(FeedbackBreach.tenant_id == tenant_id, FeedbackBreach.id == breach_id)
              .values(level=level))
    return int(level or 0)


def breaches(s: Session, tenant_id: int, ticket_id: int) -> list[FeedbackBreach]:
    return list(s.scalars(select(FeedbackBreach).where(
        FeedbackBreach.tenant_id == tenant_id, FeedbackBreach.ticket_id == ticket_id).order_by(FeedbackBreach.id)))


def breached_count(s: Session, tenant_id: int, since: datetime, until: datetime) -> int:
    return s.scalar(select(func.count()).select_from(FeedbackBreach).where(
        FeedbackBreach.tenant_id == tenant_id, FeedbackBreach.recorded_at >= since,
        FeedbackBreach.recorded_at < until)) or 0


# --- FAQ and the bot ----------------------------------------------------------------------------

def faq_entries(s: Session, tenant_id: int, active_only: bool = False) -> list[FaqEntry]:
    stmt = select(FaqEntry).where(FaqEntry.tenant_id == tenant_id)
    if active_only:
        stmt = stmt.where(FaqEntry.active.is_(True))
    return list(s.scalars(stmt.order_by(FaqEntry.category, FaqEntry.id)))


def faq_entry(s: Session, tenant_id: int, faq_id: int) -> FaqEntry | None:
    return s.scalar(select(FaqEntry).where(FaqEntry.tenant_id == tenant_id, FaqEntry.id == faq_id))


def faq_used(s: Session, tenant_id: int, faq_id: int) -> bool:
    return s.scalar(select(FaqExchange.id).where(FaqExchange.tenant_id == tenant_id, FaqExchange.faq_id == faq_id)
                    .limit(1)) is not None


def exchange(s: Session, tenant_id: int, exchange_id: int, lock: bool = False) -> FaqExchange | None:
    stmt = select(FaqExchange).where(FaqExchange.tenant_id == tenant_id, FaqExchange.id == exchange_id)
    return s.scalar(stmt.with_for_update() if lock else stmt)


def bot_stats(s: Session, tenant_id: int, since: datetime | None) -> dict[str, int]:
    stmt = select(FaqExchange.outcome, FaqExchange.helpful, func.count()).where(FaqExchange.tenant_id == tenant_id)
    if since is not None:
        stmt = stmt.where(FaqExchange.created_at >= since)
    out = {"asked": 0, "answered": 0, "handed_off": 0, "helpful": 0, "not_helpful": 0}
    for outcome, helpful, n in s.execute(stmt.group_by(FaqExchange.outcome, FaqExchange.helpful)):
        out["asked"] += n
        out[outcome] += n
        if helpful is True:
            out["helpful"] += n
        elif helpful is False:
            out["not_helpful"] += n
    return out
