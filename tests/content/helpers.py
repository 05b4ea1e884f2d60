"""Shared steps of the content tests."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from linli.models import BehaviourEvent, OutboxEvent

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
BLOCKED = "这里有网络赌博"  # a built-in "block" term
SUSPICIOUS = "想团购的加微信聊"  # a built-in "review" term


def api(t, method: str, path: str, headers: dict[str, str], body: Any = None):
    return t.client.request(method, f"/api/v1{path}", json=body, headers=headers)


def post(t, h, body: str = "今天的 #晚餐# 很好吃", expect: int = 201, **kw: Any) -> dict[str, Any]:
    return t.post("/posts", {"body": body, **kw}, h, expect=expect)


def wall(t, h, **params: Any) -> list[dict[str, Any]]:
    r = t.client.get("/api/v1/posts", params=params, headers=h)
    assert r.status_code == 200, r.text
    return r.json()["items"]


def count(t, model) -> int:
    with t.db.unit_of_work() as s:
        return int(s.scalar(select(func.count()).select_from(model).where(model.tenant_id == t.tenant_id)) or 0)


def behaviours(t, action: str) -> list[tuple[int, int, int | None]]:
    """(member id, post id, dwell_ms) of the post behaviour events with this action."""
    with t.db.unit_of_work() as s:
        rows = s.execute(select(BehaviourEvent.member_id, BehaviourEvent.item_id, BehaviourEvent.dwell_ms).where(
            BehaviourEvent.tenant_id == t.tenant_id, BehaviourEvent.item_kind == "post",
            BehaviourEvent.action == action).order_by(BehaviourEvent.id))
        return [(m, i, d) for m, i, d in rows]


def interactions(t, kind: str) -> list[str]:
    """The refs of the member.interacted events of this kind."""
    with t.db.unit_of_work() as s:
        rows = s.scalars(select(OutboxEvent.payload).where(OutboxEvent.tenant_id == t.tenant_id,
                                                           OutboxEvent.topic == "member.interacted"))
        return [p.get("ref") for p in rows if p.get("kind") == kind]


def decide(t, subject_kind: str, subject_id: int, decision: str) -> None:
    """What moderation emits when a person decides (the content handler, run directly)."""
    from linli.content.handlers import on_moderation_decided
    from linli.core import clock
    from linli.core.outbox import Event

    ev = Event(id=1, tenant_id=t.tenant_id, topic="moderation.decided", created_at=clock.now(),
               payload={"subject_kind": subject_kind, "subject_id": subject_id, "decision": decision,
                        "case_id": 1})
    with t.db.unit_of_work() as s:
        on_moderation_decided(s, ev)
