"""The only place that reads and writes this domain's tables; every query tenant-scoped."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Select, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from linli.core import clock
from linli.models.messaging import (
    InboxMessage,
    MessageDelivery,
    MessagePreference,
    MessagingSettings,
    SandboxMessage,
)

COUNTED = ("queued", "deferred", "sent")  # deliveries that use up a marketing cap


# --- settings ------------------------------------------------------------------------------------

def settings(s: Session, tenant_id: int) -> MessagingSettings | None:
    return s.scalars(select(MessagingSettings).where(MessagingSettings.tenant_id == tenant_id)).first()


def save_settings(s: Session, tenant_id: int, values: dict[str, object]) -> MessagingSettings:
    row = settings(s, tenant_id)
    if row is None:
        row = MessagingSettings(tenant_id=tenant_id, **values)
        s.add(row)
    else:
        for k, v in values.items():
            setattr(row, k, v)
    row.updated_at = clock.now()
    s.flush()
    return row


# --- preferences ---------------------------------------------------------------------------------

def preferences(s: Session, tenant_id: int, member_id: int) -> MessagePreference | None:
    return s.scalars(select(MessagePreference).where(MessagePreference.tenant_id == tenant_id,
                                                     MessagePreference.member_id == member_id)).first()


def lock_preferences(s: Session, tenant_id: int, member_id: int) -> MessagePreference:
    """The member's preference row, created with everything on if missing, locked FOR UPDATE: sends to one
    member queue here, so the caps count exactly (PostgreSQL; SQLite has one writer anyway)."""
    stmt = (select(MessagePreference)
            .where(MessagePreference.tenant_id == tenant_id, MessagePreference.member_id == member_id)
            .with_for_update().execution_options(populate_existing=True))
    row = s.scalars(stmt).first()
    if row is not None:
        return row
    try:
        with s.begin_nested():
            s.add(MessagePreference(tenant_id=tenant_id, member_id=member_id, marketing=True, sms=True,
                                    wechat=True, wechat_openid=None, unsubscribe_token=secrets.token_hex(16),
                                    updated_at=clock.now()))
    except IntegrityError:
        pass  # a concurrent send created it; take its lock below
    row = s.scalars(stmt).first()
    assert row is not None
    return row


def preferences_by_token(s: Session, token: str) -> MessagePreference | None:
    return s.scalars(select(MessagePreference).where(MessagePreference.unsubscribe_token == token)).first()


# --- deliveries ----------------------------------------------------------------------------------

def delivery_by_key(s: Session, tenant_id: int, member_id: int, channel: str, key: str) -> MessageDelivery | None:
    return s.scalars(select(MessageDelivery).where(
        MessageDelivery.tenant_id == tenant_id, MessageDelivery.member_id == member_id,
        MessageDelivery.channel == channel, MessageDelivery.dedupe_key == key)).first()


def insert_delivery(s: Session, d: MessageDelivery) -> MessageDelivery | None:
    """Adds the delivery; None when one with the same (tenant, member, channel, key) exists (or a
    concurrent send just wrote it: the UNIQUE constraint decides)."""
    try:
        with s.begin_nested():
            s.add(d)
    except IntegrityError:
        return None
    return d


def count_marketing(s: Session, tenant_id: int, member_id: int, channel: str, start: datetime,
                    end: datetime) -> int:
    return int(s.scalar(select(func.count()).select_from(MessageDelivery).where(
        MessageDelivery.tenant_id == tenant_id, MessageDelivery.member_id == member_id,
        MessageDelivery.channel == channel, MessageDelivery.category == "marketing",
        MessageDelivery.status.in_(COUNTED), MessageDelivery.due_at >= start,
        MessageDelivery.due_at < end)) or 0)


def due_deferred(s: Session, at: datetime, limit: int, after: int) -> Sequence[MessageDelivery]:
    """Deferred deliveries of every tenant whose time has come, by id (the job's batches)."""
    return s.scalars(select(MessageDelivery).where(
        MessageDelivery.status == "deferred", MessageDelivery.due_at <= at, MessageDelivery.id > after)
        .order_by(MessageDelivery.id).limit(limit)).all()


def claim_deferred(s: Session, tenant_id: int, delivery_id: int) -> bool:
    """deferred -> queued, once: a second job racing for the same delivery updates nothing."""
    res = s.execute(update(MessageDelivery).where(
        MessageDelivery.tenant_id == tenant_id, MessageDelivery.id == delivery_id,
        MessageDelivery.status == "deferred").values(status="queued", updated_at=clock.now())
        .execution_options(synchronize_session=False))
    return bool(res.rowcount)  # type: ignore[attr-defined]


def delivery(s: Session, tenant_id: int, delivery_id: int) -> MessageDelivery | None:
    return s.scalars(select(MessageDelivery).where(MessageDelivery.tenant_id == tenant_id,
                                                   MessageDelivery.id == delivery_id)
                     .execution_options(populate_existing=True)).first()


def deliveries_query(tenant_id: int, member_id: int | None, channel: str | None, status: str | None,
                     source: str | None, start: datetime | None,
                     end: datetime | None) -> Select[MessageDelivery]:
    stmt = select(MessageDelivery).where(MessageDelivery.tenant_id == tenant_id)
    if member_id is not None:
        stmt = stmt.where(MessageDelivery.member_id == member_id)
    if channel:
        stmt = stmt.where(MessageDelivery.channel == channel)
    if status:
        stmt = stmt.where(MessageDelivery.status == status)
    if source:
        stmt = stmt.where(MessageDelivery.source.startswith(source, autoescape=True))
    if start is not None:
        stmt = stmt.where(MessageDelivery.created_at >= start)
    if end is not None:
        stmt = stmt.where(MessageDelivery.created_at < end)
    return stmt


def count_by_status(s: Session, stmt: Select[MessageDelivery]) -> dict[str, int]:
    sub = stmt.subquery()
    rows = s.execute(select(sub.c.status, func.count()).group_by(sub.c.status)).all()
    return {status: int(n) for status, n in rows}


# --- inbox ---------------------------------------------------------------------------------------

def add_inbox(s: Session, m: InboxMessage) -> InboxMessage:
    s.add(m)
    s.flush()
    return m


def inbox_query(tenant_id: int, member_id: int) -> Select[InboxMessage]:
    return select(InboxMessage).where(InboxMessage.tenant_id == tenant_id, InboxMessage.member_id == member_id)


def unread_count(s: Session, tenant_id: int, member_id: int) -> int:
    return int(s.scalar(select(func.count()).select_from(InboxMessage).where(
        InboxMessage.tenant_id == tenant_id, InboxMessage.member_id == member_id,
        InboxMessage.read_at.is_(None))) or 0)


def inbox_message(s: Session, tenant_id: int, member_id: int, message_id: int) -> InboxMessage | None:
    return s.scalars(select(InboxMessage).where(InboxMessage.tenant_id == tenant_id,
                                                InboxMessage.member_id == member_id,
                                                InboxMessage.id == message_id)).first()


def mark_read(s: Session, tenant_id: int, member_id: int, message_id: int, at: datetime) -> None:
    """Only the first read sets read_at (a repeat keeps the first time)."""
    s.execute(update(InboxMessage).where(
        InboxMessage.tenant_id == tenant_id, InboxMessage.member_id == member_id, InboxMessage.id == message_id,
        InboxMessage.read_at.is_(None)).values(read_at=at).execution_options(synchronize_session=False))


# --- sandbox book --------------------------------------------------------------------------------

def add_sandbox(s: Session, m: SandboxMessage) -> None:
    s.add(m)
    s.flush()


def sandbox_for(s: Session, tenant_id: int, delivery_ids: Sequence[int]) -> dict[int, SandboxMessage]:
    if not delivery_ids:
        return {}
    rows = s.scalars(select(SandboxMessage).where(SandboxMessage.tenant_id == tenant_id,
                                                  SandboxMessage.delivery_id.in_(delivery_ids))).all()
    return {r.delivery_id: r for r in rows}
