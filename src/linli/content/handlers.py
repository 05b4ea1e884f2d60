"""Content reactions: a moderator's decision on a held post, comment or proposed poll option."""

from __future__ import annotations

from sqlalchemy.orm import Session

from linli.content import engagement, polls, service
from linli.core.outbox import Event


def on_moderation_decided(s: Session, ev: Event) -> None:
    """Idempotent: only an item still pending review moves, so a redelivery changes nothing."""
    kind, subject_id = ev.payload.get("subject_kind"), ev.payload.get("subject_id")
    decision = ev.payload.get("decision")
    if not isinstance(subject_id, int) or decision not in ("approved", "rejected"):
        return
    approved = decision == "approved"
    if kind == "post":
        service.on_decided(s, ev.tenant_id, subject_id, approved)
    elif kind == "comment":
        engagement.on_comment_decided(s, ev.tenant_id, subject_id, approved)
    elif kind == "poll":
        polls.decide_option(s, ev.tenant_id, subject_id, approved)
