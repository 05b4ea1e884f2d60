"""The only place that reads and writes for this domain; every query tenant-scoped. Writes go to its own tables
only. The ranking loads (`loads.py`) read other domains' tables read-only, like the other analytics reads."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from linli.core.db import table
from linli.models import BehaviourEvent, RecommendSettings

_EVENTS = table(BehaviourEvent)
_INSERT = insert(_EVENTS)  # prebuilt: recording is on the page path and must stay one cheap statement


def add_event(s: Session, tenant_id: int, member_id: int, item_kind: str, item_id: int, action: str,
              dwell_ms: int | None, community_id: int | None, at: datetime, order_id: int | None = None) -> None:
    s.execute(_INSERT, {"tenant_id": tenant_id, "member_id": member_id, "item_kind": item_kind,
                        "item_id": item_id, "action": action, "dwell_ms": dwell_ms, "community_id": community_id,
                        "order_id": order_id, "at": at})


def add_events(s: Session, rows: list[dict[str, Any]]) -> None:
    if rows:
        s.execute(_INSERT, rows)


def purchased_items(s: Session, tenant_id: int, order_id: int) -> set[int]:
    rows = s.execute(select(BehaviourEvent.item_id).where(BehaviourEvent.tenant_id == tenant_id,
                                                          BehaviourEvent.order_id == order_id))
    return {i for (i,) in rows}


def settings(s: Session, tenant_id: int) -> RecommendSettings | None:
    return s.scalar(select(RecommendSettings).where(RecommendSettings.tenant_id == tenant_id))


def member_events(s: Session, tenant_id: int, member_id: int, limit: int) -> list[BehaviourEvent]:
    return list(s.scalars(select(BehaviourEvent)
                          .where(BehaviourEvent.tenant_id == tenant_id, BehaviourEvent.member_id == member_id)
                          .order_by(BehaviourEvent.at.desc(), BehaviourEvent.id.desc()).limit(limit)))
