"""Local services' reactions: a reviewer's decision on a rating comment held for review."""

from __future__ import annotations

from sqlalchemy.orm import Session

from linli.core.outbox import Event
from linli.localservice import booking


def on_moderation_decided(s: Session, ev: Event) -> None:
    """Idempotent: approving shows the comment (again, if repeated); rejecting leaves it hidden."""
    if ev.payload.get("subject_kind") != "rating":
        return
    subject_id, decision = ev.payload.get("subject_id"), ev.payload.get("decision")
    if isinstance(subject_id, int) and decision in ("approved", "rejected"):
        booking.on_moderation_decided(s, ev.tenant_id, subject_id, str(decision))
