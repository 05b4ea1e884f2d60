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


def charge_order(s: Session, tenant_id: int, order_id: int, amount_fen: int) -> Payment:
    prov = provider()
    ref = prov.charge(s, f"t{tenant_id}:order:{order_id}:charge", amount_fen, f"order-{order_id}")
    payment = Payment(tenant_id=tenant_id, order_id=order_id, provider=prov.name, provider_ref=ref,
                      amount_fen=amount_fen)
    s.add(payment)
    s.flush()
    return payment


def refund_order(s: Session, tenant_id: int, order_id: int, amount_fen: int, request_key: str) -> str:
    payment = repo.payment_of_order(s, tenant_id, order_id)
    if payment is None:
        raise LookupError(f"order {order_id} has no payment")
    return provider(payment.provider).refund(s, f"t{tenant_id}:{request_key}", payment.provider_ref,
                                             amount_fen)
