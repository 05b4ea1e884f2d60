"""The HTTP API under /api/v1: every domain's router, listed explicitly."""

from __future__ import annotations

from linli.alert.endpoints import router as alert
from linli.assessment.endpoints import router as assessment
from linli.audience.endpoints import router as audience
from linli.auth.endpoints import router as auth
from linli.bundle.endpoints import router as bundle
from linli.calendar.endpoints import router as calendar_events
from linli.campaign.endpoints import router as campaign
from linli.catalog.endpoints import router as catalog
from linli.checkin.endpoints import router as checkin
from linli.commission.endpoints import router as commission
from linli.community.endpoints import router as community
from linli.content.endpoints import router as content
from linli.core.http import ERROR_RESPONSES
from linli.core.routing import face
from linli.coupon.endpoints import router as coupon
from linli.crisis.endpoints import router as crisis
from linli.delivery.endpoints import router as delivery
from linli.feedback.endpoints import router as feedback
from linli.flashsale.endpoints import router as flashsale
from linli.groupbuy.endpoints import router as groupbuy
from linli.insight.endpoints import router as insight
from linli.journey.endpoints import router as journey
from linli.leader.endpoints import router as leader
from linli.lifecycle.endpoints import router as lifecycle
from linli.localservice.endpoints import router as localservice
from linli.locker.endpoints import router as locker
from linli.member.endpoints import router as members
from linli.messaging.endpoints import router as messaging
from linli.moderation.endpoints import router as moderation
from linli.order.endpoints import router as orders
from linli.packing.endpoints import router as packing
from linli.pickup.endpoints import router as pickup
from linli.points.endpoints import router as points
from linli.prediction.endpoints import router as prediction
from linli.presale.endpoints import router as presale
from linli.recommend.endpoints import router as recommend
from linli.referral.endpoints import router as referral
from linli.tier.endpoints import router as tier
from linli.traceability.endpoints import router as traceability

DOMAINS = (auth, members, community, catalog, orders, flashsale, groupbuy, referral, bundle, presale, coupon,
           checkin, points, lifecycle, tier, commission, leader, assessment, journey, prediction,
           messaging, campaign, audience, content, calendar_events, traceability, recommend, feedback, alert, crisis,
           moderation,
           pickup, locker, packing, delivery, insight, localservice)  # issue 14: fulfilment and neighbourhood
api = face("/api/v1", DOMAINS, responses=ERROR_RESPONSES)
