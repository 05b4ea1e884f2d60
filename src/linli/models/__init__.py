"""Every ORM table. Importing this package registers them all on Base.metadata."""

from linli.core.idempotency import IdempotencyRecord
from linli.core.outbox import OutboxEvent
from linli.core.throttle import FailureCounter
from linli.models.bundle import Bundle, BundleItem
from linli.models.catalog import Category, Product, StockMovement
from linli.models.community import Building, Community, Household, PickupPoint
from linli.models.flashsale import FlashSale, FlashSaleHolding, FlashSalePurchase
from linli.models.groupbuy import Group, GroupBuy, GroupEvent, GroupSeat
from linli.models.order import Order, OrderEvent, OrderItem, Refund
from linli.models.payment import Payment, SandboxTransaction
from linli.models.people import Leader, Member
from linli.models.presale import Presale
from linli.models.referral import InviteCode, MemberDevice, Referral, ReferralProgram, ReferralReward
from linli.models.tenancy import Tenant, User

__all__ = [
    "Building",
    "Bundle",
    "BundleItem",
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
    "InviteCode",
    "Leader",
    "Member",
    "MemberDevice",
    "Order",
    "OrderEvent",
    "OrderItem",
    "OutboxEvent",
    "Payment",
    "PickupPoint",
    "Presale",
    "Product",
    "Referral",
    "ReferralProgram",
    "ReferralReward",
    "Refund",
    "SandboxTransaction",
    "StockMovement",
    "Tenant",
    "User",
]
