"""Charges and refunds through the configured provider, each recorded against its order."""

from __future__ import annotations

from sqlalchemy.orm import Session

from linli.models import Payment
from linli.payment import repository as repo
from linli.payment.provider import PaymentProvider
from linli.payment.sandbox import SandboxProvider

_providers: dict[str, PaymentProvider] = {"sandbox": SandboxProvider()}


def provider(name: str = "sandbox") -> PaymentProvider:
    return _providers[name]


def sandbox() -> SandboxProvider:
    p = _providers["sandbox"]
    assert isinstance(p, SandboxProvider)
    return p


def charge_order(s: Session, tenant_id: int, order_id: int, amount_fen: int, part: str = "charge") -> Payment:
    """One charge per `part` of an order: "charge" (in full), or "deposit" then "balance" (presale)."""
    prov = provider()
    ref = prov.charge(s, f"t{tenant_id}:order:{order_id}:{part}", amount_fen, f"order-{order_id}")
    payment = Payment(tenant_id=tenant_id, order_id=order_id, provider=prov.name, provider_ref=ref,
                      amount_fen=amount_fen)
    s.add(payment)
    s.flush()
    return payment


def refund_order(s: Session, tenant_id: int, order_id: int, amount_fen: int, request_key: str,
                 already_refunded_fen: int = 0) -> str:
    """Refund against the order's charges, latest first: a presale's balance goes back before its deposit.
    `already_refunded_fen` (what earlier refunds took) says where in that order this refund starts."""
    payments = repo.payments_of_order(s, tenant_id, order_id)
    if not payments:
        raise LookupError(f"order {order_id} has no payment")
    refs: list[str] = []
    skip, left = already_refunded_fen, amount_fen
    for n, charge in enumerate(reversed(payments)):
        free = max(charge.amount_fen - skip, 0)
        skip = max(skip - charge.amount_fen, 0)
        take = min(free, left)
        if take > 0:
            key = f"t{tenant_id}:{request_key}" + (f":{n}" if n else "")
            refs.append(provider(charge.provider).refund(s, key, charge.provider_ref, take))
            left -= take
    if left > 0:
        raise LookupError(f"order {order_id}: refund exceeds what was charged")
    return ",".join(refs)
