"""Every ORM table. Importing this package registers them all on Base.metadata."""

from linli.core.idempotency import IdempotencyRecord
from linli.core.outbox import OutboxEvent
from linli.core.throttle import FailureCounter
from linli.models.catalog import Category, Product, StockMovement
from linli.models.community import Building, Community, Household, PickupPoint
from linli.models.flashsale import FlashSale, FlashSaleHolding, FlashSalePurchase
from linli.models.groupbuy import Group, GroupBuy, GroupEvent, GroupSeat
from linli.models.order import Order, OrderEvent, OrderItem, Refund
from linli.models.payment import Payment, SandboxTransaction
from linli.models.people import Leader, Member
from linli.models.tenancy import Tenant, User

__all__ = [
    "Building",
    "Category",
    "Community",
    "FailureCounter",
    "FlashSale",
    "FlashSaleHolding",
    "FlashSalePurchase",
    "Group",
    "GroupBuy",
    "GroupEvent",
    "GroupSeat",
    "Household",
    "IdempotencyRecord",
    "Leader",
    "Member",
    "Order",
    "OrderEvent",
    "OrderItem",
    "OutboxEvent",
    "Payment",
    "PickupPoint",
    "Product",
    "Refund",
    "SandboxTransaction",
    "StockMovement",
    "Tenant",
    "User",
]
