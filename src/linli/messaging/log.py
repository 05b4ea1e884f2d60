"""The operator's side: sending one message to a list of members, and reading the delivery log."""

from __future__ import annotations

import secrets
from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select
from sqlalchemy.orm import Session

from linli.core import clock
from linli.core.errors import Invalid, NotFound
from linli.core.pagination import Page, fetch_page
from linli.core.security import Principal
from linli.member import service as members
from linli.messaging import repository as repo
from linli.messaging.schemas import DeliveryOut, OutgoingMessage, SendIn, SendOut
from linli.messaging.service import send_to_member
from linli.models.messaging import MessageDelivery


def send(s: Session, p: Principal, data: SendIn) -> SendOut:
    """Every member must be of this tenant (else 422 unknown_member and nothing is sent). One POST is one
    message: its dedupe key is new each time (the Idempotency-Key header makes a retry a replay)."""
    ids = list(dict.fromkeys(data.member_ids))
    known = set(members.names(s, p.tenant_id, ids))
    missing = [m for m in ids if m not in known]
    if missing:
        raise Invalid(f"no member {missing[0]} in this tenant", code="unknown_member")
    msg = OutgoingMessage(category=data.category, title=data.title, body=data.body,
                          dedupe_key=f"operator:{secrets.token_hex(8)}", source=f"operator:{p.user_id}",
                          link=data.link, channels=tuple(data.channels))
    out: list[DeliveryOut] = []
    for member_id in ids:
        out.extend(send_to_member(s, p.tenant_id, member_id, msg))
    return SendOut(deliveries=out, counts=dict(Counter(d.status for d in out)))


@dataclass(frozen=True)
class LogFilter:
    member_id: int | None = None
    channel: str | None = None
    status: str | None = None
    source: str | None = None  # a prefix: "journey" matches "journey:12:welcome"
    since: datetime | None = None
    until: datetime | None = None


def query(tenant_id: int, f: LogFilter) -> Select[MessageDelivery]:
    since = clock.as_utc(f.since) if f.since else None
    until = clock.as_utc(f.until) if f.until else None
    return repo.deliveries_query(tenant_id, f.member_id, f.channel, f.status, f.source, since, until)


def deliveries(s: Session, p: Principal, f: LogFilter, limit: int, cursor: str | None) -> Page[DeliveryOut]:
    rows, nxt = fetch_page(s, query(p.tenant_id, f), MessageDelivery.id, limit, cursor)
    return Page[DeliveryOut](items=[DeliveryOut.model_validate(d) for d in rows], next_cursor=nxt)


def delivery(s: Session, p: Principal, delivery_id: int) -> DeliveryOut:
    d = repo.delivery(s, p.tenant_id, delivery_id)
    if d is None:
        raise NotFound("no such delivery", code="delivery_not_found")
    return DeliveryOut.model_validate(d)
