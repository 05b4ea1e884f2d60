"""Sandbox provider: a real implementation that keeps its own transaction book and moves no real
money. It can be told to fail the next N charges or refunds (tests, demos of failure paths)."""

from __future__ import annotations

import threading
import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from linli.models import SandboxTransaction
from linli.payment.provider import PaymentFailed


class SandboxProvider:
    name = "sandbox"

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._failures = {"charge": 0, "refund": 0}

    def fail_next(self, operation: str, times: int = 1) -> None:
        with self._lock:
            self._failures[operation] += times

    def charge(self, s: Session, request_key: str, amount_fen: int, reference: str) -> str:
        return self._book(s, "charge", request_key, amount_fen)

    def refund(self, s: Session, request_key: str, charge_ref: str, amount_fen: int) -> str:
        return self._book(s, "refund", request_key, amount_fen)

    def _book(self, s: Session, kind: str, request_key: str, amount_fen: int) -> str:
        earlier = s.scalar(select(SandboxTransaction).where(SandboxTransaction.request_key == request_key))
        if earlier is not None:
            return earlier.reference
        with self._lock:
            if self._failures[kind] > 0:
                self._failures[kind] -= 1
                raise PaymentFailed(f"sandbox {kind} declined", code=f"{kind}_failed")
        if amount_fen <= 0:
            raise PaymentFailed("amount must be positive", code=f"{kind}_failed")
        ref = f"sbx_{kind[:2]}_{uuid.uuid4().hex[:20]}"
        s.add(SandboxTransaction(kind=kind, request_key=request_key, reference=ref, amount_fen=amount_fen))
        s.flush()
        return ref
