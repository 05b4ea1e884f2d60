from __future__ import annotations

from sqlalchemy.orm import Session

from linli.core.outbox import Event
from linli.presale import service


def on_order_returned(s: Session, ev: Event) -> None:
    if ev.payload.get("source") == "presale":
        returned = sum(line["quantity"] for line in ev.payload.get("returned", []))
        service.release(s, ev.tenant_id, ev.payload["source_id"], returned)
