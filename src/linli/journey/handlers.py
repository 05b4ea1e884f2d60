"""Journey reactions: events enrol members, a due step runs at once, a paid order converts."""

from __future__ import annotations

from sqlalchemy.orm import Session

from linli.core.outbox import Event
from linli.journey import service

# the topics a journey may start on (definition.EVENT_FILTERS); events.py registers on_trigger for each
TRIGGER_TOPICS = service.TRIGGER_TOPICS


def on_trigger(s: Session, ev: Event) -> None:
    service.enrol_from_event(s, ev)


def on_step_due(s: Session, ev: Event) -> None:
    service.run_step(s, ev.tenant_id, int(ev.payload["run_id"]))


def on_order_paid(s: Session, ev: Event) -> None:
    member_id = ev.payload.get("member_id")
    if isinstance(member_id, int):
        service.order_converts(s, ev.tenant_id, member_id, ev.created_at)
