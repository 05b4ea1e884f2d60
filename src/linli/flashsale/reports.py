"""Read-only flash-sale views for the pages: the sales members can still take part in, and one sale's
figures for operators. Nothing here writes."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from linli.core import clock
from linli.core.errors import Forbidden
from linli.core.security import Principal
from linli.flashsale import repository as repo
from linli.flashsale import service
from linli.flashsale.schemas import FlashSaleOut


@dataclass(frozen=True)
class SaleFigures:
    sale: FlashSaleOut
    orders_by_status: dict[str, int]  # the sale's orders by their status now
    orders: int  # orders placed through the sale (purchases), whatever became of them
    paid_orders: int  # of those, orders that were paid (even if refunded or picked up since)
    paid_gmv_fen: int  # paid amount minus refunds

    @property
    def conversion_permille(self) -> int | None:
        """Paid orders per thousand purchase orders, rounded half up; None before any purchase."""
        return permille(self.paid_orders, self.orders)


def current(s: Session, p: Principal, limit: int = 20) -> list[FlashSaleOut]:
    """Sales running now or scheduled, soonest first."""
    return [service.out(sale) for sale in repo.current(s, p.tenant_id, clock.now(), limit)]


def figures(s: Session, p: Principal, sale_id: int) -> SaleFigures:
    _operator_only(p)
    sale = service.get(s, p, sale_id)  # NotFound for another tenant's sale
    by_status = repo.order_status_counts(s, p.tenant_id, sale.id)
    gmv, paid = repo.paid_totals(s, p.tenant_id, sale.id)
    return SaleFigures(sale=sale, orders_by_status=by_status, orders=sum(by_status.values()), paid_orders=paid,
                       paid_gmv_fen=gmv)


def permille(part: int, whole: int) -> int | None:
    return (part * 2000 + whole) // (2 * whole) if whole else None


def _operator_only(p: Principal) -> None:
    if p.role != "operator":
        raise Forbidden("campaign figures are for operators", code="forbidden")
