"""What a journey's steps do to a member: the side effects of actions and the checks of conditions.

Every action goes through the owning domain's service with an idempotency key made of the enrolment and
the step (`journey:<enrolment>:<step>`), so a step retried after a crash or run by two workers at once
sends, issues or grants exactly once. Each returns a short outcome for the funnel ("issued",
"skipped:no_leader", ...)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from linli.core import clock
from linli.core.errors import NotFound
from linli.coupon import service as coupons
from linli.journey import audiences
from linli.journey import repository as repo
from linli.leader import service as leaders
from linli.lifecycle import service as lifecycle
from linli.member import service as members
from linli.messaging import service as messaging
from linli.messaging.schemas import OutgoingMessage
from linli.points import service as points


def idempotency_key(enrolment_id: int, step_id: str) -> str:
    return f"journey:{enrolment_id}:{step_id}"


def perform(s: Session, tenant_id: int, journey_id: int, enrolment_id: int, member_id: int,
            step: dict[str, Any]) -> str:
    key = idempotency_key(enrolment_id, step["id"])
    action = step["action"]
    if action == "issue_coupon":
        try:
            issued = coupons.issue_to(s, tenant_id, step["template_id"], member_id, "event", key)
        except NotFound:
            return "skipped:unknown_coupon"
        return "issued" if issued is not None else "skipped:coupon_unavailable"
    if action == "grant_points":
        points.grant(s, tenant_id, member_id, step["amount"], step["reason"], key)
        return "granted"
    if action == "leader_task":
        return _leader_task(s, tenant_id, member_id, step, key)
    return _send_message(s, tenant_id, journey_id, member_id, step, key)


def _leader_task(s: Session, tenant_id: int, member_id: int, step: dict[str, Any], key: str) -> str:
    """For the leader of the member's pickup point (their choice, else their community's)."""
    point = members.default_pickup_point(s, tenant_id, member_id)
    leader_id = leaders.leader_of_point(s, tenant_id, point) if point is not None else None
    if leader_id is None:
        return "skipped:no_leader"
    now = clock.now()
    repo.add_task(s, {"tenant_id": tenant_id, "leader_id": leader_id, "member_id": member_id, "kind": "callback",
                      "title": step["title"], "note": step["note"], "source_key": key,
                      "due_at": now + timedelta(hours=step["due_hours"]), "created_at": now})
    return "task_created"


def _send_message(s: Session, tenant_id: int, journey_id: int, member_id: int, step: dict[str, Any],
                  key: str) -> str:
    """Through messaging (unsubscribe, quiet hours, caps apply there; the dedupe key makes a retry answer the
    first delivery). The outcome is the deliveries' status: sent, deferred (quiet hours), skipped, failed."""
    deliveries = messaging.send_to_member(s, tenant_id, member_id, OutgoingMessage(
        category=step["category"], title=step["title"], body=step["body"], dedupe_key=key,
        source=f"journey:{journey_id}", link=step.get("link"), channels=tuple(step["channels"])))
    statuses = sorted({d.status for d in deliveries})
    return "+".join(statuses) if statuses else "skipped"


# --- conditions --------------------------------------------------------------------------------

def check(s: Session, tenant_id: int, member_id: int, enrolled_at: datetime, cond: dict[str, Any]) -> bool:
    kind = cond["kind"]
    if kind in ("has_ordered", "stage_is"):
        stage, last_order = lifecycle.facts_of(s, tenant_id, [member_id]).get(member_id, ("new", None))
        if kind == "stage_is":
            return bool(stage == cond["stage"])
        return last_order is not None and last_order >= enrolled_at
    if kind == "has_interacted":
        last = lifecycle.last_active_of(s, tenant_id, member_id)
        return last is not None and last > enrolled_at
    if kind == "in_segment":
        return audiences.in_segment(s, tenant_id, cond["segment_id"], member_id)
    return audiences.has_tag(s, tenant_id, member_id, cond["tag"])
