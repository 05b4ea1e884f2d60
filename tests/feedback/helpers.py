"""Shared steps of the feedback tests."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from linli.models import FeedbackBreach, FeedbackTicket, OutboxEvent
from tests.lifecycle.helpers import due  # noqa: F401  (re-exported for the tests)

API = "/api/v1/feedback"


def submit(t, headers, text: str = "买的苹果有两个烂了，希望处理一下", category: str = "商品质量",
           expect: int = 201, **kw: Any) -> dict[str, Any]:
    return t.post("/feedback/tickets", {"category": category, "text": text, **kw}, headers, expect=expect)


def get(t, path: str, headers=None, expect: int = 200, **params: Any) -> Any:
    r = t.client.get(f"/api/v1{path}", headers=headers or t.op, params=params)
    assert r.status_code == expect, r.text
    return r.json()


def count(t, model) -> int:
    with t.db.unit_of_work() as s:
        return int(s.scalar(select(func.count()).select_from(model).where(model.tenant_id == t.tenant_id)) or 0)


def breaches(t) -> list[tuple[int, str, int]]:
    with t.db.unit_of_work() as s:
        return [(tk, tm, lv) for tk, tm, lv in s.execute(select(
            FeedbackBreach.ticket_id, FeedbackBreach.timer, FeedbackBreach.level).where(
            FeedbackBreach.tenant_id == t.tenant_id).order_by(FeedbackBreach.id))]


def events(t, topic: str) -> list[dict[str, Any]]:
    with t.db.unit_of_work() as s:
        return [p for p in s.scalars(select(OutboxEvent.payload).where(
            OutboxEvent.tenant_id == t.tenant_id, OutboxEvent.topic == topic).order_by(OutboxEvent.id))]


def level(t, ticket_id: int) -> int:
    with t.db.unit_of_work() as s:
        return int(s.scalar(select(FeedbackTicket.escalation_level).where(FeedbackTicket.id == ticket_id)) or 0)
