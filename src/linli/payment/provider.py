"""The pluggable payment interface. A provider charges and refunds; each request carries a key
that makes a retry safe (the provider answers the first result again)."""

from __future__ import annotations

from typing import Protocol

from sqlalchemy.orm import Session

from linli.core.errors import LinliError


class PaymentFailed(LinliError):
    status = 409
    code = "payment_failed"


class PaymentProvider(Protocol):
    name: str

    def charge(self, s: Session, request_key: str, amount_fen: int, reference: str) -> str:
        """Take the money; returns the provider's charge reference. Raises PaymentFailed."""
        ...

    def refund(self, s: Session, request_key: str, charge_ref: str, amount_fen: int) -> str:
        """Give money back against a charge; returns the refund reference. Raises PaymentFailed."""
        ...
