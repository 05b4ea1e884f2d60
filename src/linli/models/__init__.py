"""Every ORM table. Importing this package registers them all on Base.metadata."""

from linli.core.idempotency import IdempotencyRecord
from linli.core.outbox import OutboxDelivery, OutboxEvent
from linli.core.throttle import FailureCounter
from linli.models.alert import Alert, AlertRun, AlertThreshold
from linli.models.assessment import (
    AssessmentRun,
    AssessmentSettings,
    HelpTask,
    LeaderAssessment,
    LeaderCase,
    LeaderCaseEvent,
    OrderRating,
)
from linli.models.audience import AudienceRun, MemberInteraction, MemberRfm, MemberTag, Segment, SegmentMember, Tag
from linli.models.bundle import Bundle, BundleItem
from linli.models.calendar import CalendarEvent
from linli.models.campaign import (
    CampaignRecipient,
    Experiment,
    ExperimentExposure,
    ExperimentVariant,
    Pilot,
    ScenarioCampaign,
)
from linli.models.catalog import Category, Product, StockMovement
from linli.models.checkin import Checkin, GuardianAward, GuardianProgram, GuardianRun
from linli.models.commission import CommissionAccount, CommissionEntry, CommissionOrder, CommissionWithdrawal
from linli.models.community import Building, Community, Household, PickupPoint
from linli.models.content import (
    Poll,
    PollBallot,
    PollChoice,
    PollOption,
    Post,
    PostComment,
    PostReaction,
    PostTopic,
    PostView,
)
from linli.models.coupon import CouponTemplate, GeoCheckin, GeoSpot, MemberCoupon
from linli.models.crisis import CrisisCase, CrisisCompensation, CrisisRecipient, CrisisStep
from linli.models.delivery import Delivery, DeliveryBatch, DeliveryRider, DeliveryWarehouse
from linli.models.feedback import (
    FaqEntry,
    FaqExchange,
    FeedbackAttachment,
    FeedbackBreach,
    FeedbackMessage,
    FeedbackSettings,
    FeedbackTicket,
)
from linli.models.flashsale import FlashSale, FlashSaleHolding, FlashSalePurchase
from linli.models.groupbuy import Group, GroupBuy, GroupEvent, GroupSeat
from linli.models.journey import Journey, JourneyEnrolment, JourneyStepRun, JourneyVersion, LeaderTask
from linli.models.leader import ContactNote, LeaderApplication, LeaderTierHistory, LeaderTierSetting
from linli.models.lifecycle import LifecycleSettings, MemberActivity, MemberStageHistory
from linli.models.localservice import (
    LocalService,
    MerchantCommunity,
    ServiceBooking,
    ServiceMerchant,
    ServiceRating,
    ServiceSchedule,
    ServiceSlot,
)
from linli.models.locker import LockerCompartment, LockerParcel, LockerSettings
from linli.models.member_pickup import MemberPickupPoint
from linli.models.messaging import InboxMessage, MessageDelivery, MessagePreference, MessagingSettings, SandboxMessage
from linli.models.moderation import ModerationCase, ModerationScreening, ModerationSettings, ModerationWord
from linli.models.order import Order, OrderEvent, OrderItem, Refund
from linli.models.packing import PackingSettings
from linli.models.payment import Payment, SandboxTransaction
from linli.models.people import Leader, Member
from linli.models.pickup import (
    AssignmentMove,
    AssignmentRun,
    PickupClosure,
    PickupHours,
    PickupPointState,
    PickupSettings,
)
from linli.models.points import (
    PointsAccount,
    PointsCatalogItem,
    PointsEntry,
    PointsLot,
    PointsRedemption,
    PointsSettings,
    PointsTransaction,
)
from linli.models.presale import Presale
from linli.models.recommend import BehaviourEvent, RecommendSettings
from linli.models.referral import InviteCode, MemberDevice, Referral, ReferralProgram, ReferralReward
from linli.models.tenancy import Tenant, User
from linli.models.tier import GrowthEntry, MemberPrivilege, MemberTier, MemberTierHistory, TierProgram, TierRun
from linli.models.traceability import BatchEntry, ProductBatch

__all__ = [
    "Alert",
    "AlertRun",
    "AlertThreshold",
    "CrisisCase",
    "CrisisCompensation",
    "CrisisRecipient",
    "CrisisStep",
    "BehaviourEvent",
    "AudienceRun",
    "MemberInteraction",
    "MemberRfm",
    "MemberTag",
    "Segment",
    "SegmentMember",
    "Tag",
    "CampaignRecipient",
    "Experiment",
    "ExperimentExposure",
    "ExperimentVariant",
    "Pilot",
    "ScenarioCampaign",
    "CommissionAccount",
    "CommissionEntry",
    "CommissionOrder",
    "CommissionWithdrawal",
    "AssessmentRun",
    "AssessmentSettings",
    "HelpTask",
    "LeaderAssessment",
    "LeaderCase",
    "LeaderCaseEvent",
    "OrderRating",
    "LifecycleSettings",
    "MemberActivity",
    "MemberPickupPoint",
    "AssignmentMove",
    "AssignmentRun",
    "PickupClosure",
    "PickupHours",
    "PickupPointState",
    "PickupSettings",
    "MemberStageHistory",
    "InboxMessage",
    "MessageDelivery",
    "MessagePreference",
    "MessagingSettings",
    "ModerationCase",
    "ModerationScreening",
    "ModerationSettings",
    "ModerationWord",
    "SandboxMessage",
    "GrowthEntry",
    "MemberPrivilege",
    "MemberTier",
    "MemberTierHistory",
    "TierProgram",
    "TierRun",
    "Building",
    "Poll",
    "PollBallot",
    "PollChoice",
    "PollOption",
    "Post",
    "PostComment",
    "PostReaction",
    "PostTopic",
    "PostView",
    "Bundle",
    "BundleItem",
    "Category",
    "Checkin",
    "Community",
    "CouponTemplate",
    "FailureCounter",
    "FaqEntry",
    "FaqExchange",
    "Delivery",
    "DeliveryBatch",
    "DeliveryRider",
    "DeliveryWarehouse",
    "FeedbackAttachment",
    "FeedbackBreach",
    "FeedbackMessage",
    "FeedbackSettings",
    "FeedbackTicket",
    "LockerCompartment",
    "LockerParcel",
    "LockerSettings",
    "FlashSale",
    "FlashSaleHolding",
    "FlashSalePurchase",
    "GeoCheckin",
    "GeoSpot",
    "Group",
    "GroupBuy",
    "GroupEvent",
    "GroupSeat",
    "GuardianAward",
    "GuardianProgram",
    "GuardianRun",
    "Household",
    "IdempotencyRecord",
    "InviteCode",
    "Leader",
    "ContactNote",
    "Journey",
    "JourneyEnrolment",
    "JourneyStepRun",
    "JourneyVersion",
    "LeaderTask",
    "LeaderApplication",
    "LeaderTierHistory",
    "LeaderTierSetting",
    "Member",
    "MemberCoupon",
    "MemberDevice",
    "Order",
    "PackingSettings",
    "OrderEvent",
    "OrderItem",
    "OutboxDelivery",
    "OutboxEvent",
    "Payment",
    "PickupPoint",
    "PointsAccount",
    "PointsCatalogItem",
    "PointsEntry",
    "PointsLot",
    "PointsRedemption",
    "PointsSettings",
    "PointsTransaction",
    "Presale",
    "RecommendSettings",
    "Product",
    "Referral",
    "ReferralProgram",
    "ReferralReward",
    "Refund",
    "SandboxTransaction",
    "StockMovement",
    "Tenant",
    "User",
    "BatchEntry",
    "ProductBatch",
    "CalendarEvent",
    "LocalService",
    "MerchantCommunity",
    "ServiceBooking",
    "ServiceMerchant",
    "ServiceRating",
    "ServiceSchedule",
    "ServiceSlot",
]
