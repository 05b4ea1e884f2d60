"""Every order state change writes one timeline row and one outbox event, in the same transaction."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from linli.core import clock, outbox
from linli.core.security import Principal
from linli.models import Order
from linli.order import repository as repo


@dataclass(frozen=True)
class Actor:
    user_id: int | None
    role: str  # operator | leader | member | system

    @classmethod
    def of(cls, p: Principal) -> Actor:
        return cls(p.user_id, p.role)


SYSTEM = Actor(None, "system")


def record(s: Session, order: Order, action: str, actor: Actor, topic: str | None = None,
           **detail: Any) -> None:
    repo.add_event(s, order.tenant_id, order.id, action, actor.user_id, actor.role, clock.now(), detail)
    if topic:
        outbox.emit(s, order.tenant_id, topic, {
            "order_id": order.id, "member_id": order.member_id, "pickup_point_id": order.pickup_point_id,
            "payable_fen": order.payable_fen, "actor_role": actor.role, "source": order.source,
            "source_id": order.source_id, **detail})
