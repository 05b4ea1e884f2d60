"""The console's feedback queues (待响应 / 处理中 / 待回访 / 已超时 / 已关闭): numbered pages and the whole filtered
queue in batches for export. Filters.status names the queue; the category comes beside the shared filters."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import Select
from sqlalchemy.orm import Session

from linli.core.listing import Filters, Numbered, batches, numbered, operator_only
from linli.core.security import Principal
from linli.feedback import repository as repo
from linli.feedback import service
from linli.feedback.schemas import TicketOut
from linli.models import FeedbackTicket


def _stmt(p: Principal, f: Filters, category: str | None) -> Select[Any]:
    queue = f.status if f.status in repo.QUEUES else None
    return repo.queue(p.tenant_id, queue, category, [f.community_id] if f.community_id else None, f.since, f.until)


def page(s: Session, p: Principal, f: Filters, number: int, size: int,
         category: str | None = None) -> Numbered[TicketOut]:
    operator_only(p)
    return numbered(s, _stmt(p, f, category), FeedbackTicket.id, number, size, _shape)


def export(s: Session, p: Principal, f: Filters, category: str | None = None) -> Iterator[list[TicketOut]]:
    operator_only(p)
    return batches(s, _stmt(p, f, category), FeedbackTicket.id, _shape)


def counts(s: Session, p: Principal) -> dict[str, int]:
    operator_only(p)
    return repo.queue_counts(s, p.tenant_id)


def _shape(rows: Sequence[FeedbackTicket]) -> list[TicketOut]:
    return [service.out(t) for t in rows]
