"""Feedback reactions: a moderator's decision on a ticket held for review."""

from __future__ import annotations

from sqlalchemy.orm import Session

from linli.core.outbox import Event
from linli.feedback import service


def on_moderation_decided(s: Session, ev: Event) -> None:
    """Idempotent: only a ticket still pending review changes."""
    if ev.payload.get("subject_kind") != "feedback":
        return
    subject_id, decision = ev.payload.get("subject_id"), ev.payload.get("decision")
    if isinstance(subject_id, int) and decision in ("approved", "rejected"):
        service.on_moderation_decided(s, ev.tenant_id, subject_id, str(decision))
