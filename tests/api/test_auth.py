"""Logging in, throttling, bearer tokens and role checks, walked over every API route."""

from __future__ import annotations

import base64
import itertools
import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest

from linli.config import get_settings
from linli.core import clock
from linli.core.runtime import get_runtime
from linli.core.security import Principal, TokenSigner
from linli.leader import service as leaders
from tests.api.conftest import (
    API,
    PRODUCT_IMAGE,
    PROOF,
    REQUIRED_QUERY,
    SPOT,
    Endpoint,
    Populated,
    api_endpoints,
    application_body,
    assert_error,
    coupon_body,
    experiment_body,
    flash_sale_body,
    geo_spot_body,
    group_buy_body,
    household_body,
    journey_body,
    message_body,
    messaging_settings_body,
    populated,
    presale_body,
    row_counts,
    scenario_campaign_body,
    send,
    tier_program_body,
)
from tests.api.packing_bodies import picked_order_token
from tests.api.pickup_bodies import closure_body as pickup_closure_body
from tests.api.trace_calendar_bodies import batch_body, entry_body, event_body
from tests.factories import PASSWORD, bearer
from tests.locker.api_bodies import deposit_body as locker_deposit_body

_n = itertools.count(1)
EVERYONE = frozenset({"operator", "leader", "member"})
# who may call what (API.md; routes it does not list follow the same rules)
ROLES: dict[str, frozenset[str] | None] = {
    "POST /api/v1/auth/login": None,  # anyone, no token
    "GET /api/v1/me": EVERYONE,
    "POST /api/v1/members": frozenset({"operator"}),
    "GET /api/v1/members": frozenset({"operator"}),
    "GET /api/v1/members/{member_id}": frozenset({"operator"}),
    "GET /api/v1/me/pickup-point": frozenset({"member"}),
    "PUT /api/v1/me/pickup-point": frozenset({"member"}),
    "POST /api/v1/communities": frozenset({"operator"}),
    "GET /api/v1/communities": frozenset({"operator"}),
    "GET /api/v1/communities/{community_id}": frozenset({"operator"}),
    "POST /api/v1/pickup-points": frozenset({"operator"}),
    "GET /api/v1/pickup-points": EVERYONE,
    "POST /api/v1/products": frozenset({"operator"}),
    "GET /api/v1/products": EVERYONE,
    "GET /api/v1/products/{product_id}": EVERYONE,
    "POST /api/v1/products/{product_id}/stock-adjustments": frozenset({"operator"}),
    "POST /api/v1/orders": frozenset({"member"}),
    "POST /api/v1/orders/{order_id}/pay": frozenset({"member"}),
    "POST /api/v1/orders/{order_id}/cancel": frozenset({"member", "operator"}),
    "POST /api/v1/orders/{order_id}/refund": frozenset({"member", "operator"}),
    "POST /api/v1/orders/{order_id}/pickup": frozenset({"leader", "operator"}),
    "GET /api/v1/orders": EVERYONE,  # each sees their own: owner, its leader, operator
    "GET /api/v1/orders/{order_id}": EVERYONE,
    "POST /api/v1/flash-sales": frozenset({"operator"}),
    "GET /api/v1/flash-sales": EVERYONE,
    "GET /api/v1/flash-sales/{flash_sale_id}": EVERYONE,
    "POST /api/v1/flash-sales/{flash_sale_id}/purchase": frozenset({"member"}),
    "POST /api/v1/group-buys": frozenset({"operator"}),
    "GET /api/v1/group-buys": EVERYONE,
    "GET /api/v1/group-buys/{group_buy_id}": EVERYONE,
    "GET /api/v1/group-buys/{group_buy_id}/progress": EVERYONE,
    "POST /api/v1/group-buys/{group_buy_id}/close": frozenset({"operator"}),
    "POST /api/v1/group-buys/{group_buy_id}/groups": frozenset({"member"}),
    "GET /api/v1/group-buys/{group_buy_id}/start-sizes": frozenset({"member"}),
    "POST /api/v1/groups/{group_id}/join": frozenset({"member"}),
    "GET /api/v1/groups/{group_id}": EVERYONE,
    "POST /api/v1/communities/{community_id}/buildings": frozenset({"operator"}),
    "GET /api/v1/communities/{community_id}/buildings": frozenset({"operator"}),
    "POST /api/v1/buildings/{building_id}/households": frozenset({"operator"}),
    "GET /api/v1/buildings/{building_id}/households": frozenset({"operator"}),
    "POST /api/v1/bundles": frozenset({"operator"}),
    "GET /api/v1/bundles": EVERYONE,
    "GET /api/v1/bundles/{bundle_id}": EVERYONE,
    "POST /api/v1/bundles/{bundle_id}/orders": frozenset({"member"}),
    "POST /api/v1/presales": frozenset({"operator"}),
    "GET /api/v1/presales": EVERYONE,
    "GET /api/v1/presales/{presale_id}": EVERYONE,
    "POST /api/v1/presales/{presale_id}/orders": frozenset({"member"}),
    "GET /api/v1/presales/{presale_id}/orders": frozenset({"operator"}),
    "GET /api/v1/me/referral": frozenset({"member"}),
    "POST /api/v1/referrals": frozenset({"member"}),
    "GET /api/v1/referrals": frozenset({"operator"}),
    "POST /api/v1/referrals/{referral_id}/review": frozenset({"operator"}),
    "GET /api/v1/referral-program": frozenset({"operator"}),
    "PUT /api/v1/referral-program": frozenset({"operator"}),
    # points bank
    "GET /api/v1/me/points": frozenset({"member"}),
    "GET /api/v1/me/points/entries": frozenset({"member"}),
    "GET /api/v1/members/{member_id}/points": frozenset({"operator"}),
    "POST /api/v1/points/grants": frozenset({"operator"}),
    "POST /api/v1/points/redemptions": frozenset({"member"}),
    "GET /api/v1/points/rules": frozenset({"operator"}),
    "PUT /api/v1/points/rules": frozenset({"operator"}),
    "GET /api/v1/communities/{community_id}/charity": EVERYONE,  # a public running total
    "POST /api/v1/points/catalog-items": frozenset({"operator"}),
    "GET /api/v1/points/catalog-items": EVERYONE,  # members see the active ones
    "GET /api/v1/points/catalog-items/{catalog_item_id}": EVERYONE,
    "PATCH /api/v1/points/catalog-items/{catalog_item_id}": frozenset({"operator"}),
    # coupons and geo check-in coupons
    "POST /api/v1/coupons": frozenset({"operator"}),
    "GET /api/v1/coupons": frozenset({"member", "operator"}),
    "GET /api/v1/coupons/{coupon_id}": frozenset({"member", "operator"}),
    "PATCH /api/v1/coupons/{coupon_id}": frozenset({"operator"}),
    "POST /api/v1/coupons/{coupon_id}/claim": frozenset({"member"}),
    "POST /api/v1/coupons/{coupon_id}/issue": frozenset({"operator"}),
    "GET /api/v1/me/coupons": frozenset({"member"}),
    "POST /api/v1/geo-spots": frozenset({"operator"}),
    "GET /api/v1/geo-spots": frozenset({"member", "operator"}),
    "PATCH /api/v1/geo-spots/{spot_id}": frozenset({"operator"}),
    "POST /api/v1/geo-checkins": frozenset({"member"}),
    # daily check-in and the monthly guardians
    "POST /api/v1/checkins": frozenset({"member"}),
    "GET /api/v1/me/checkins": frozenset({"member"}),
    "GET /api/v1/communities/{community_id}/guardians": EVERYONE,
    "GET /api/v1/me/guardian": frozenset({"member"}),
    "GET /api/v1/guardian-program": frozenset({"operator"}),
    "PUT /api/v1/guardian-program": frozenset({"operator"}),
    # lifecycle stages
    "GET /api/v1/lifecycle/settings": frozenset({"operator"}),
    "PUT /api/v1/lifecycle/settings": frozenset({"operator"}),
    "GET /api/v1/lifecycle/distribution": frozenset({"operator"}),
    "GET /api/v1/members/{member_id}/lifecycle": frozenset({"operator"}),
    "GET /api/v1/me/lifecycle": frozenset({"member"}),
    # tiers
    "GET /api/v1/tiers": frozenset({"operator"}),
    "PUT /api/v1/tiers": frozenset({"operator"}),
    "POST /api/v1/tiers/black-card/recompute": frozenset({"operator"}),
    "GET /api/v1/me/tier": frozenset({"member"}),
    "GET /api/v1/members/{member_id}/tier": frozenset({"operator"}),
    # leader recruitment and the 星火计划 tiers
    "POST /api/v1/leader-applications": frozenset({"member"}),
    "GET /api/v1/leader-applications": frozenset({"operator"}),
    "GET /api/v1/leader-applications/{application_id}": frozenset({"operator"}),
    "POST /api/v1/leader-applications/{application_id}/proof": frozenset({"member"}),  # the applicant's own
    "GET /api/v1/leader-applications/{application_id}/proof": frozenset({"operator"}),
    "POST /api/v1/leader-applications/{application_id}/approve": frozenset({"operator"}),
    "POST /api/v1/leader-applications/{application_id}/reject": frozenset({"operator"}),
    "GET /api/v1/me/leader-application": frozenset({"member"}),
    "GET /api/v1/leaders": frozenset({"operator"}),
    "GET /api/v1/leaders/{leader_id}": frozenset({"operator"}),
    "GET /api/v1/leader/profile": frozenset({"leader"}),
    "GET /api/v1/leader/members": frozenset({"leader"}),
    "GET /api/v1/leader/training": frozenset({"leader"}),
    "POST /api/v1/leader/members/{member_id}/notes": frozenset({"leader"}),
    "GET /api/v1/leader/members/{member_id}/notes": frozenset({"leader"}),
    "GET /api/v1/leader-tiers": frozenset({"operator"}),
    "PUT /api/v1/leader-tiers": frozenset({"operator"}),
    # commission
    "GET /api/v1/leader/dashboard": frozenset({"leader"}),
    "GET /api/v1/leader/commission": frozenset({"leader"}),
    "GET /api/v1/leader/statements": frozenset({"leader"}),
    "GET /api/v1/leaders/{leader_id}/statements": frozenset({"operator"}),
    "POST /api/v1/leader/withdrawals": frozenset({"leader"}),
    "GET /api/v1/withdrawals": frozenset({"leader", "operator"}),  # a leader sees their own
    "POST /api/v1/withdrawals/{withdrawal_id}/approve": frozenset({"operator"}),
    "POST /api/v1/withdrawals/{withdrawal_id}/reject": frozenset({"operator"}),
    # ratings and the monthly assessment
    "POST /api/v1/orders/{order_id}/rating": frozenset({"member"}),
    "GET /api/v1/leader/feedback": frozenset({"leader"}),
    "GET /api/v1/leader/assessments": frozenset({"leader"}),
    "POST /api/v1/leader/help-tasks/{task_id}/done": frozenset({"leader"}),
    "GET /api/v1/assessments/settings": frozenset({"operator"}),
    "PUT /api/v1/assessments/settings": frozenset({"operator"}),
    "POST /api/v1/assessments/run": frozenset({"operator"}),
    "GET /api/v1/assessments": frozenset({"operator"}),
    "GET /api/v1/leaders/{leader_id}/assessments": frozenset({"operator"}),
    "POST /api/v1/leader-cases/{case_id}/decide": frozenset({"operator"}),
    # product management and flash-sale edits (the console's commerce pages)
    "PATCH /api/v1/products/{product_id}": frozenset({"operator"}),
    "POST /api/v1/products/{product_id}/images": frozenset({"operator"}),
    "GET /api/v1/products/{product_id}/stock-movements": frozenset({"operator"}),
    "GET /api/v1/categories": EVERYONE,
    "GET /api/v1/product-images/{name}": None,  # public, named by content hash
    "PATCH /api/v1/flash-sales/{flash_sale_id}": frozenset({"operator"}),
    "POST /api/v1/flash-sales/{flash_sale_id}/stop": frozenset({"operator"}),
    # journeys (SOPs) and the tasks they give leaders
    "GET /api/v1/journey-templates": frozenset({"operator"}),
    "POST /api/v1/journeys": frozenset({"operator"}),
    "POST /api/v1/journeys/from-template": frozenset({"operator"}),
    "GET /api/v1/journeys": frozenset({"operator"}),
    "GET /api/v1/journeys/{journey_id}": frozenset({"operator"}),
    "PATCH /api/v1/journeys/{journey_id}": frozenset({"operator"}),
    "POST /api/v1/journeys/{journey_id}/activate": frozenset({"operator"}),
    "POST /api/v1/journeys/{journey_id}/pause": frozenset({"operator"}),
    "GET /api/v1/journeys/{journey_id}/funnel": frozenset({"operator"}),
    # tags, segments and RFM (audience)
    "GET /api/v1/tag-fields": frozenset({"operator"}),
    "GET /api/v1/tags": frozenset({"operator"}),
    "POST /api/v1/tags": frozenset({"operator"}),
    "POST /api/v1/tags/preview": frozenset({"operator"}),
    "GET /api/v1/tags/{tag_id}": frozenset({"operator"}),
    "PUT /api/v1/tags/{tag_id}": frozenset({"operator"}),
    "DELETE /api/v1/tags/{tag_id}": frozenset({"operator"}),
    "GET /api/v1/tags/{tag_id}/members": frozenset({"operator"}),
    "GET /api/v1/tags/{tag_id}/members.csv": frozenset({"operator"}),
    "GET /api/v1/segments": frozenset({"operator"}),
    "POST /api/v1/segments": frozenset({"operator"}),
    "POST /api/v1/segments/preview": frozenset({"operator"}),
    "GET /api/v1/segments/{segment_id}": frozenset({"operator"}),
    "PUT /api/v1/segments/{segment_id}": frozenset({"operator"}),
    "DELETE /api/v1/segments/{segment_id}": frozenset({"operator"}),
    "GET /api/v1/segments/{segment_id}/members": frozenset({"operator"}),
    "GET /api/v1/segments/{segment_id}/members.csv": frozenset({"operator"}),
    "GET /api/v1/members/{member_id}/tags": frozenset({"operator"}),
    "GET /api/v1/audience/status": frozenset({"operator"}),
    "POST /api/v1/audience/refresh": frozenset({"operator"}),
    "GET /api/v1/leader/tasks": frozenset({"leader"}),
    "POST /api/v1/leader/tasks/{leader_task_id}/done": frozenset({"leader"}),
    # messages: the member's inbox and preferences, the operator's log, settings and sends
    "GET /api/v1/me/messages": frozenset({"member"}),
    "POST /api/v1/me/messages/{message_id}/read": frozenset({"member"}),
    "GET /api/v1/me/message-preferences": frozenset({"member"}),
    "PUT /api/v1/me/message-preferences": frozenset({"member"}),
    "GET /api/v1/message-deliveries": frozenset({"operator"}),
    "GET /api/v1/message-deliveries/{delivery_id}": frozenset({"operator"}),
    "GET /api/v1/messaging/settings": frozenset({"operator"}),
    "PUT /api/v1/messaging/settings": frozenset({"operator"}),
    "POST /api/v1/messages": frozenset({"operator"}),
    # scenario campaigns, A/B tests and pilots
    "POST /api/v1/scenario-campaigns": frozenset({"operator"}),
    "GET /api/v1/scenario-campaigns": frozenset({"operator"}),
    "GET /api/v1/scenario-campaigns/calendar": frozenset({"operator"}),
    "GET /api/v1/scenario-campaigns/{campaign_id}": frozenset({"operator"}),
    "PATCH /api/v1/scenario-campaigns/{campaign_id}": frozenset({"operator"}),
    "POST /api/v1/scenario-campaigns/{campaign_id}/launch": frozenset({"operator"}),
    "POST /api/v1/scenario-campaigns/{campaign_id}/cancel": frozenset({"operator"}),
    "POST /api/v1/experiments": frozenset({"operator"}),
    "GET /api/v1/experiments": frozenset({"operator"}),
    "GET /api/v1/experiments/{experiment_id}": frozenset({"operator"}),
    "POST /api/v1/experiments/{experiment_id}/start": frozenset({"operator"}),
    "POST /api/v1/experiments/{experiment_id}/stop": frozenset({"operator"}),
    "GET /api/v1/experiments/{experiment_id}/assignments/{member_id}": frozenset({"operator"}),
    "POST /api/v1/experiments/{experiment_id}/exposures": frozenset({"operator"}),
    "GET /api/v1/experiments/{experiment_id}/results": frozenset({"operator"}),
    "POST /api/v1/pilots": frozenset({"operator"}),
    "GET /api/v1/pilots": frozenset({"operator"}),
    "GET /api/v1/pilots/{pilot_id}": frozenset({"operator"}),
    "GET /api/v1/pilots/{pilot_id}/review": frozenset({"operator"}),
    "POST /api/v1/pilots/{pilot_id}/reviewed": frozenset({"operator"}),
    "POST /api/v1/pilots/{pilot_id}/roll-out": frozenset({"operator"}),
    "POST /api/v1/pilots/{pilot_id}/abandon": frozenset({"operator"}),
    # participation prediction
    "GET /api/v1/predictions/participation": frozenset({"operator"}),
    # community calendar (社区日历)
    "GET /api/v1/calendar": EVERYONE,
    "GET /api/v1/calendar/upcoming": EVERYONE,
    "POST /api/v1/calendar/events": frozenset({"operator", "leader"}),
    "GET /api/v1/calendar/events/{event_id}": EVERYONE,
    "PUT /api/v1/calendar/events/{event_id}": frozenset({"operator", "leader"}),
    "DELETE /api/v1/calendar/events/{event_id}": frozenset({"operator", "leader"}),
    # traceability (真物溯源)
    "POST /api/v1/batches": frozenset({"operator"}),
    "GET /api/v1/batches": frozenset({"operator"}),
    "GET /api/v1/batches/{batch_id}": frozenset({"operator"}),
    "POST /api/v1/batches/{batch_id}/entries": frozenset({"operator"}),
    "GET /api/v1/batches/{batch_id}/verify": frozenset({"operator"}),
    "GET /api/v1/batches/{batch_id}/qr.png": frozenset({"operator"}),
    # moderation
    "POST /api/v1/moderation/check": frozenset({"operator"}),
    "GET /api/v1/moderation/cases": frozenset({"operator"}),
    "GET /api/v1/moderation/cases/{moderation_case_id}": frozenset({"operator"}),
    "POST /api/v1/moderation/cases/{moderation_case_id}/decision": frozenset({"operator"}),
    "POST /api/v1/moderation/cases/{moderation_case_id}/escalate": frozenset({"operator"}),
    "GET /api/v1/moderation/words": frozenset({"operator"}),
    "POST /api/v1/moderation/words": frozenset({"operator"}),
    "POST /api/v1/moderation/words/disable": frozenset({"operator"}),
    "POST /api/v1/moderation/words/enable": frozenset({"operator"}),
    "GET /api/v1/moderation/settings": frozenset({"operator"}),
    "PUT /api/v1/moderation/settings": frozenset({"operator"}),
    # alerts and crisis cases
    "GET /api/v1/alerts": frozenset({"operator"}),
    "GET /api/v1/alerts/summary": frozenset({"operator"}),
    "GET /api/v1/alerts/metrics": frozenset({"operator"}),
    "GET /api/v1/alerts/thresholds": frozenset({"operator"}),
    "PUT /api/v1/alerts/thresholds": frozenset({"operator"}),
    "POST /api/v1/alerts/evaluate": frozenset({"operator"}),
    "GET /api/v1/alerts/{alert_id}": frozenset({"operator"}),
    "POST /api/v1/alerts/{alert_id}/acknowledge": frozenset({"operator"}),
    "POST /api/v1/alerts/{alert_id}/resolve": frozenset({"operator"}),
    "POST /api/v1/crises": frozenset({"operator"}),
    "GET /api/v1/crises": frozenset({"operator"}),
    "GET /api/v1/crises/{crisis_id}": frozenset({"operator"}),
    "PATCH /api/v1/crises/{crisis_id}/steps/{step_id}": frozenset({"operator"}),
    "POST /api/v1/crises/{crisis_id}/close": frozenset({"operator"}),
    "POST /api/v1/crises/{crisis_id}/compensations/preview": frozenset({"operator"}),
    "POST /api/v1/crises/{crisis_id}/compensations": frozenset({"operator"}),
    # content (邻里圈, reviews, polls)
    "POST /api/v1/posts": frozenset({"member", "operator"}),
    "GET /api/v1/posts": EVERYONE,
    "GET /api/v1/posts/{post_id}": EVERYONE,
    "POST /api/v1/posts/{post_id}/status": frozenset({"operator"}),
    "PUT /api/v1/posts/{post_id}/like": frozenset({"member"}),
    "DELETE /api/v1/posts/{post_id}/like": frozenset({"member"}),
    "PUT /api/v1/posts/{post_id}/favourite": frozenset({"member"}),
    "DELETE /api/v1/posts/{post_id}/favourite": frozenset({"member"}),
    "GET /api/v1/posts/{post_id}/comments": EVERYONE,
    "POST /api/v1/posts/{post_id}/comments": frozenset({"member"}),
    "POST /api/v1/posts/{post_id}/views": frozenset({"member"}),
    "POST /api/v1/posts/{post_id}/dwell": frozenset({"member"}),
    "POST /api/v1/posts/{post_id}/shares": frozenset({"member"}),
    "GET /api/v1/me/favourites": frozenset({"member"}),
    "POST /api/v1/post-images": frozenset({"member", "operator"}),
    "GET /api/v1/post-images/{name}": None,
    "POST /api/v1/reviews": frozenset({"member"}),
    "GET /api/v1/products/{product_id}/reviews": EVERYONE,
    "POST /api/v1/polls": frozenset({"leader", "operator"}),
    "GET /api/v1/polls": EVERYONE,
    "GET /api/v1/polls/{poll_id}": EVERYONE,
    "POST /api/v1/polls/{poll_id}/votes": frozenset({"member"}),
    "POST /api/v1/polls/{poll_id}/options": frozenset({"member"}),
    "POST /api/v1/poll-options/{poll_option_id}/decision": frozenset({"operator"}),
    "GET /api/v1/recommendations": frozenset({"member"}),
    "GET /api/v1/members/{member_id}/recommendations": frozenset({"operator"}),
    "GET /api/v1/recommend-settings": frozenset({"operator"}),
    "PUT /api/v1/recommend-settings": frozenset({"operator"}),
    # feedback kiosk (社区意见亭) and the FAQ bot
    "POST /api/v1/feedback/tickets": frozenset({"member"}),
    "GET /api/v1/feedback/tickets/mine": frozenset({"member"}),
    "POST /api/v1/feedback/tickets/{ticket_id}/attachments": frozenset({"member"}),
    "POST /api/v1/feedback/tickets/{ticket_id}/confirm": frozenset({"member"}),
    "POST /api/v1/feedback/bot/ask": frozenset({"member"}),
    "POST /api/v1/feedback/bot/exchanges/{exchange_id}/helpful": frozenset({"member"}),
    "POST /api/v1/feedback/bot/exchanges/{exchange_id}/handoff": frozenset({"member"}),
    "GET /api/v1/feedback/tickets/{ticket_id}": frozenset({"member", "operator"}),
    "POST /api/v1/feedback/tickets/{ticket_id}/replies": frozenset({"member", "operator"}),
    "GET /api/v1/feedback/attachments/{attachment_id}": frozenset({"member", "operator"}),
    "GET /api/v1/feedback/tickets": frozenset({"operator"}),
    "POST /api/v1/feedback/tickets/{ticket_id}/assign": frozenset({"operator"}),
    "POST /api/v1/feedback/tickets/{ticket_id}/resolve": frozenset({"operator"}),
    "POST /api/v1/feedback/tickets/{ticket_id}/follow-up": frozenset({"operator"}),
    "GET /api/v1/feedback/faq": frozenset({"operator"}),
    "POST /api/v1/feedback/faq": frozenset({"operator"}),
    "PUT /api/v1/feedback/faq/{faq_id}": frozenset({"operator"}),
    "DELETE /api/v1/feedback/faq/{faq_id}": frozenset({"operator"}),
    "GET /api/v1/feedback/bot/stats": frozenset({"operator"}),
    "GET /api/v1/feedback/settings": frozenset({"operator"}),
    "PUT /api/v1/feedback/settings": frozenset({"operator"}),
    # smart lockers (智能柜): compartments, deposits, opening with the code (a kiosk: any role), expiry
    "GET /api/v1/lockers": frozenset({"leader", "operator"}),
    "GET /api/v1/lockers/settings": frozenset({"operator"}),
    "PUT /api/v1/lockers/settings": frozenset({"operator"}),
    "GET /api/v1/lockers/mine": frozenset({"member"}),
    "GET /api/v1/lockers/expired": frozenset({"leader", "operator"}),
    "POST /api/v1/lockers/parcels/{parcel_id}/taken-back": frozenset({"leader", "operator"}),
    "POST /api/v1/lockers/compartments/{compartment_id}/status": frozenset({"leader", "operator"}),
    "POST /api/v1/lockers/{locker_id}/compartments": frozenset({"operator"}),
    "GET /api/v1/lockers/{locker_id}/compartments": frozenset({"leader", "operator"}),
    "GET /api/v1/lockers/{locker_id}/awaiting": frozenset({"leader", "operator"}),
    "GET /api/v1/lockers/{locker_id}/parcels": frozenset({"leader", "operator"}),
    "POST /api/v1/lockers/{locker_id}/deposits": frozenset({"leader", "operator"}),
    "POST /api/v1/lockers/{locker_id}/collect": EVERYONE,
    # insight (邻里洞察): heatmaps, activity, the H3 map, assortment advice, stock turnover
    "GET /api/v1/insight/heatmap": frozenset({"operator"}),
    "GET /api/v1/insight/activity": frozenset({"operator"}),
    "GET /api/v1/insight/geo": frozenset({"operator"}),
    "GET /api/v1/insight/assortment": frozenset({"operator"}),
    "GET /api/v1/insight/turnover": frozenset({"operator"}),
    # local services (本地生活服务): merchants, services, slots, bookings, ratings
    "POST /api/v1/local-services/merchants": frozenset({"operator"}),
    "GET /api/v1/local-services/merchants": frozenset({"member", "operator"}),
    "GET /api/v1/local-services/merchants/{merchant_id}": frozenset({"member", "operator"}),
    "PATCH /api/v1/local-services/merchants/{merchant_id}": frozenset({"operator"}),
    "GET /api/v1/local-services/merchants/{merchant_id}/services": frozenset({"member", "operator"}),
    "GET /api/v1/local-services/merchants/{merchant_id}/ratings": frozenset({"member", "operator"}),
    "POST /api/v1/local-services/merchants/{merchant_id}/services": frozenset({"operator"}),
    "GET /api/v1/local-services/services/{service_id}": frozenset({"member", "operator"}),
    "POST /api/v1/local-services/services/{service_id}/schedules": frozenset({"operator"}),
    "GET /api/v1/local-services/services/{service_id}/schedules": frozenset({"operator"}),
    "POST /api/v1/local-services/services/{service_id}/slots": frozenset({"operator"}),
    "GET /api/v1/local-services/services/{service_id}/slots": frozenset({"member", "operator"}),
    "POST /api/v1/local-services/bookings": frozenset({"member"}),
    "GET /api/v1/local-services/bookings": frozenset({"member", "operator"}),
    "GET /api/v1/local-services/bookings/{booking_id}": frozenset({"member", "operator"}),
    "POST /api/v1/local-services/bookings/{booking_id}/cancel": frozenset({"member", "operator"}),
    "POST /api/v1/local-services/bookings/{booking_id}/complete": frozenset({"operator"}),
    "POST /api/v1/local-services/bookings/{booking_id}/rating": frozenset({"member"}),
    # packing (备货与分拣): the day's lists, the cut-off, the member's pickup QR code and the leader's scan
    "GET /api/v1/packing/stock-list": frozenset({"leader", "operator"}),
    "GET /api/v1/packing/sorting-list": frozenset({"leader", "operator"}),
    "GET /api/v1/packing/settings": frozenset({"operator"}),
    "PUT /api/v1/packing/settings": frozenset({"operator"}),
    "GET /api/v1/packing/orders/{order_id}/pickup-token": frozenset({"member"}),
    "POST /api/v1/packing/scan": frozenset({"leader", "operator"}),
    # pickup network (自提网络): point status, closures, hours, capacity, assignment runs; the member's nearby points
    "GET /api/v1/pickup/points": frozenset({"operator"}),
    "GET /api/v1/pickup/points/{point_id}": frozenset({"operator"}),
    "POST /api/v1/pickup/points/{point_id}/pause": frozenset({"operator"}),
    "POST /api/v1/pickup/points/{point_id}/close": frozenset({"operator"}),
    "POST /api/v1/pickup/points/{point_id}/reopen": frozenset({"operator"}),
    "POST /api/v1/pickup/points/{point_id}/closures": frozenset({"operator"}),
    "PUT /api/v1/pickup/points/{point_id}/capacity": frozenset({"operator"}),
    "PUT /api/v1/pickup/points/{point_id}/hours": frozenset({"operator"}),
    "GET /api/v1/pickup/settings": frozenset({"operator"}),
    "PUT /api/v1/pickup/settings": frozenset({"operator"}),
    "POST /api/v1/pickup/assignment-runs": frozenset({"operator"}),
    "GET /api/v1/pickup/assignment-runs": frozenset({"operator"}),
    "GET /api/v1/pickup/nearby": frozenset({"member"}),
    # delivery (即时配送): warehouse settings, riders, the member's 送货上门, batches with a route, the rider's steps
    "GET /api/v1/delivery/warehouses": frozenset({"leader", "operator"}),
    "PUT /api/v1/delivery/warehouses/{warehouse_id}": frozenset({"operator"}),
    "GET /api/v1/delivery/riders": frozenset({"leader", "operator"}),
    "POST /api/v1/delivery/warehouses/{warehouse_id}/riders": frozenset({"leader", "operator"}),
    "PATCH /api/v1/delivery/riders/{rider_id}": frozenset({"leader", "operator"}),
    "GET /api/v1/delivery/quote": frozenset({"member"}),
    "POST /api/v1/delivery/orders/{order_id}": frozenset({"member"}),
    "GET /api/v1/delivery/orders/{order_id}": EVERYONE,
    "GET /api/v1/delivery/deliveries": frozenset({"leader", "operator"}),
    "POST /api/v1/delivery/batches": frozenset({"leader", "operator"}),
    "GET /api/v1/delivery/batches": frozenset({"leader", "operator"}),
    "GET /api/v1/delivery/batches/{delivery_batch_id}": frozenset({"leader", "operator"}),
    "POST /api/v1/delivery/batches/{delivery_batch_id}/depart": frozenset({"leader", "operator"}),
    "POST /api/v1/delivery/deliveries/{home_delivery_id}/delivered": frozenset({"leader", "operator"}),
    "POST /api/v1/delivery/deliveries/{home_delivery_id}/failed": frozenset({"leader", "operator"}),
    "POST /api/v1/delivery/deliveries/{home_delivery_id}/redispatch": frozenset({"leader", "operator"}),
    "GET /api/v1/delivery/stats": frozenset({"operator"}),
}
# the operator-only operations API.md names
DOCUMENTED_OPERATOR_ONLY = {
    "POST /api/v1/members", "GET /api/v1/members", "GET /api/v1/members/{member_id}",
    "POST /api/v1/communities", "GET /api/v1/communities", "POST /api/v1/pickup-points",
    "POST /api/v1/products", "POST /api/v1/products/{product_id}/stock-adjustments",
    "POST /api/v1/flash-sales", "POST /api/v1/group-buys", "POST /api/v1/points/grants", "POST /api/v1/coupons",
}
# the member-only operations API.md names: operators and leaders are refused
DOCUMENTED_MEMBER_ONLY = {"GET /api/v1/me/points", "POST /api/v1/points/redemptions",
                          "POST /api/v1/coupons/{coupon_id}/claim"}

# a valid request body for each route that takes one
BODIES: dict[str, Callable[[Populated], Any]] = {
    "PUT /api/v1/recommend-settings": lambda w: {"half_life_days": 21, "dwell": 4.5},
    "POST /api/v1/auth/login": lambda w: {"tenant": w.t.slug, "username": "admin", "password": PASSWORD},
    "POST /api/v1/members": lambda w: {"username": f"walker{next(_n)}", "password": PASSWORD, "name": "居民",
                                       "phone": "13800001234", "community_id": w.community_id},
    "PUT /api/v1/me/pickup-point": lambda w: {"pickup_point_id": w.point_id},
    "POST /api/v1/communities": lambda w: {"name": "新小区", "address": "文三路2号", "lat": 30.2, "lng": 120.1},
    "POST /api/v1/pickup-points": lambda w: {"community_id": w.community_id, "name": "便利店", "kind": "store",
                                             "lat": 30.2, "lng": 120.1},
    "POST /api/v1/products": lambda w: {"name": "苹果", "price_fen": 500, "stock": 3, "category": "水果"},
    "POST /api/v1/products/{product_id}/stock-adjustments": lambda w: {"delta": 2},
    "POST /api/v1/orders": lambda w: {"items": [{"product_id": w.product_id, "quantity": 1}]},
    "POST /api/v1/orders/{order_id}/pay": lambda w: None,
    "POST /api/v1/orders/{order_id}/cancel": lambda w: {"reason": "不要了"},
    "POST /api/v1/orders/{order_id}/refund": lambda w: {"reason": "不要了"},
    "POST /api/v1/orders/{order_id}/pickup": lambda w: {"code": w.pickup_code()},
    "POST /api/v1/flash-sales": lambda w: flash_sale_body(w.product_id),
    "POST /api/v1/flash-sales/{flash_sale_id}/purchase": lambda w: {"quantity": 1},
    "POST /api/v1/group-buys": lambda w: group_buy_body(w.product_id),
    "POST /api/v1/group-buys/{group_buy_id}/close": lambda w: None,
    "POST /api/v1/group-buys/{group_buy_id}/groups": lambda w: None,
    "POST /api/v1/groups/{group_id}/join": lambda w: None,
    "POST /api/v1/communities/{community_id}/buildings": lambda w: {"name": "2幢"},
    "POST /api/v1/buildings/{building_id}/households": lambda w: household_body(f"{next(_n)}"),
    "POST /api/v1/bundles": lambda w: {"name": "新套餐", "price_fen": 900, "items": [
        {"product_id": w.product_id, "quantity": 1}, {"product_id": w.other_product_id, "quantity": 1}]},
    "POST /api/v1/bundles/{bundle_id}/orders": lambda w: {"quantity": 1},
    "POST /api/v1/presales": lambda w: presale_body(w.product_id),
    "POST /api/v1/presales/{presale_id}/orders": lambda w: {"quantity": 1},
    "POST /api/v1/referrals": lambda w: {"code": w.invitee_code},
    "POST /api/v1/referrals/{referral_id}/review": lambda w: {"approve": True},
    "PUT /api/v1/referral-program": lambda w: {"ladder": [{"invites": 1, "points": 100}]},
    "POST /api/v1/points/grants": lambda w: {"member_id": w.member_id, "amount": 10, "reason": "活动奖励"},
    "POST /api/v1/points/redemptions": lambda w: {"amount": 100, "kind": "goods", "item_id": w.catalog_item_id,
                                                  "quantity": 1},
    "PUT /api/v1/points/rules": lambda w: {"checkin": {"points": 5, "daily_cap": 5}, "streak_days": 7},
    "POST /api/v1/points/catalog-items": lambda w: {"name": "雨伞", "points_cost": 300, "stock": 5},
    "PATCH /api/v1/points/catalog-items/{catalog_item_id}": lambda w: {"stock": 12},
    "POST /api/v1/coupons": lambda w: coupon_body("新券"),
    "PATCH /api/v1/coupons/{coupon_id}": lambda w: {"active": True},
    "POST /api/v1/coupons/{coupon_id}/claim": lambda w: None,
    "POST /api/v1/coupons/{coupon_id}/issue": lambda w: {"member_ids": [w.member_id]},
    "POST /api/v1/geo-spots": lambda w: geo_spot_body(w.geo_coupon_id),
    "PATCH /api/v1/geo-spots/{spot_id}": lambda w: {"radius_m": 2500},
    "POST /api/v1/geo-checkins": lambda w: {"spot_id": w.spot_id, "lat": SPOT[0], "lng": SPOT[1]},
    "POST /api/v1/checkins": lambda w: None,
    "PUT /api/v1/guardian-program": lambda w: {"title": "社区守护者", "bonus_points": 50},
    "PUT /api/v1/lifecycle/settings": lambda w: {"new_days": 7, "silent_days": 30, "dormant_days": 90},
    "PUT /api/v1/tiers": lambda w: tier_program_body(),
    "POST /api/v1/tiers/black-card/recompute": lambda w: None,
    "POST /api/v1/leader-applications": lambda w: application_body(w.community_id),
    "POST /api/v1/leader-applications/{application_id}/proof": lambda w: PROOF,
    "POST /api/v1/leader-applications/{application_id}/approve": lambda w: None,
    "POST /api/v1/leader-applications/{application_id}/reject": lambda w: {"reason": "地址不在小区内"},
    "PUT /api/v1/leader-tiers": lambda w: {"items": [{"tier": "steward", "commission_bp": 800,
                                                      "training_access": True, "priority_selection": False,
                                                      "marketing_subsidy_fen": 0}]},
    "POST /api/v1/leader/withdrawals": lambda w: {"amount_fen": 1},
    "POST /api/v1/leader/members/{member_id}/notes": lambda w: {"kind": "call", "note": "问候一下"},
    "POST /api/v1/withdrawals/{withdrawal_id}/approve": lambda w: None,
    "POST /api/v1/withdrawals/{withdrawal_id}/reject": lambda w: {"reason": "账户信息不全"},
    "POST /api/v1/orders/{order_id}/rating": lambda w: {"stars": 5},
    "POST /api/v1/leader/help-tasks/{task_id}/done": lambda w: None,
    "PUT /api/v1/assessments/settings": lambda w: {"w_sales": 40, "w_growth": 20, "w_service": 25,
                                                   "w_activity": 15},
    "POST /api/v1/assessments/run": lambda w: {"month": w.assessed_month},
    "POST /api/v1/leader-cases/{case_id}/decide": lambda w: {"decision": "keep", "note": "再观察一个月"},
    "PATCH /api/v1/products/{product_id}": lambda w: {"name": "新苹果"},
    "POST /api/v1/products/{product_id}/images": lambda w: PRODUCT_IMAGE,
    "PATCH /api/v1/flash-sales/{flash_sale_id}": lambda w: {"per_member_limit": 3},
    "POST /api/v1/flash-sales/{flash_sale_id}/stop": lambda w: None,
    "POST /api/v1/journeys": lambda w: journey_body(w.coupon_id),
    "POST /api/v1/journeys/from-template": lambda w: {"template": "fresh_recipe_3d"},
    "PATCH /api/v1/journeys/{journey_id}": lambda w: {"name": "新人欢迎（改）"},
    "POST /api/v1/tags": lambda w: {"code": f"tag_{next(_n)}", "name": f"标签{next(_n)}", "rule": "orders_30d >= 1"},
    "POST /api/v1/tags/preview": lambda w: {"rule": "orders_30d >= 1 and fresh_share > 0.5"},
    "PUT /api/v1/tags/{tag_id}": lambda w: {"name": "全部会员", "rule": "days_since_join >= 0"},
    "POST /api/v1/segments": lambda w: {"name": f"人群{next(_n)}", "definition": {"not": {"tag": "any"}}},
    "POST /api/v1/segments/preview": lambda w: {"definition": {"tag": "any"}},
    "PUT /api/v1/segments/{segment_id}": lambda w: {"name": "全部会员", "definition": {"tag": "any"}},
    "POST /api/v1/audience/refresh": lambda w: None,
    "POST /api/v1/journeys/{journey_id}/activate": lambda w: None,
    "POST /api/v1/journeys/{journey_id}/pause": lambda w: None,
    "POST /api/v1/leader/tasks/{leader_task_id}/done": lambda w: {"note": "已回访"},
    "POST /api/v1/me/messages/{message_id}/read": lambda w: None,
    "PUT /api/v1/me/message-preferences": lambda w: {"marketing": True, "sms": True, "wechat": True},
    "PUT /api/v1/messaging/settings": lambda w: messaging_settings_body(),
    "POST /api/v1/messages": lambda w: message_body([w.member_id]),
    "POST /api/v1/scenario-campaigns": lambda w: scenario_campaign_body(w.segment_id, 100 + next(_n)),
    "PATCH /api/v1/scenario-campaigns/{campaign_id}": lambda w: {"title": "中秋月饼（改）"},
    "POST /api/v1/scenario-campaigns/{campaign_id}/launch": lambda w: None,
    "POST /api/v1/scenario-campaigns/{campaign_id}/cancel": lambda w: None,
    "POST /api/v1/experiments": lambda w: experiment_body(),
    "POST /api/v1/experiments/{experiment_id}/start": lambda w: None,
    "POST /api/v1/experiments/{experiment_id}/stop": lambda w: None,
    "POST /api/v1/experiments/{experiment_id}/exposures": lambda w: {"member_id": w.member_id},
    "POST /api/v1/pilots": lambda w: {"name": "试点", "experiment_id": w.experiment_id,
                                      "community_ids": [w.community_id]},
    "POST /api/v1/pilots/{pilot_id}/reviewed": lambda w: {"note": "效果不错"},
    "POST /api/v1/pilots/{pilot_id}/roll-out": lambda w: {"community_ids": None},
    "POST /api/v1/pilots/{pilot_id}/abandon": lambda w: None,
    "POST /api/v1/calendar/events": lambda w: event_body(w.community_id),
    "PUT /api/v1/calendar/events/{event_id}": lambda w: event_body(w.community_id),
    "POST /api/v1/batches": lambda w: batch_body(w.product_id, f"AUTH-{next(_n)}"),
    "POST /api/v1/batches/{batch_id}/entries": lambda w: entry_body(),
    "POST /api/v1/moderation/check": lambda w: {"text": "加微信私聊"},
    "POST /api/v1/moderation/cases/{moderation_case_id}/decision": lambda w: {"decision": "approve"},
    "POST /api/v1/moderation/cases/{moderation_case_id}/escalate": lambda w: {"reason": "拿不准"},
    "POST /api/v1/moderation/words": lambda w: {"word": "团购黑话", "level": "review"},
    "POST /api/v1/moderation/words/disable": lambda w: {"word": "加微信"},
    "POST /api/v1/moderation/words/enable": lambda w: {"word": "加微信"},
    "PUT /api/v1/moderation/settings": lambda w: {"senior_user_ids": []},
    "PUT /api/v1/alerts/thresholds": lambda w: {"metric": "cancel_rate", "threshold": 20, "min_base": 10,
                                                "enabled": True},
    "POST /api/v1/alerts/evaluate": lambda w: None,
    "POST /api/v1/alerts/{alert_id}/acknowledge": lambda w: {"note": "已知悉"},
    "POST /api/v1/alerts/{alert_id}/resolve": lambda w: {"note": "已处理"},
    "POST /api/v1/crises": lambda w: {"title": "菜品变质投诉", "severity": 1},
    "PATCH /api/v1/crises/{crisis_id}/steps/{step_id}": lambda w: {"done": True},
    "POST /api/v1/crises/{crisis_id}/close": lambda w: {"note": "已复盘"},
    "POST /api/v1/crises/{crisis_id}/compensations/preview": lambda w: compensation_body(w.product_id),
    "POST /api/v1/crises/{crisis_id}/compensations": lambda w: compensation_body(w.product_id),
    "POST /api/v1/posts": lambda w: {"body": f"楼下的桂花开了 #秋天# {next(_n)}"},
    "POST /api/v1/posts/{post_id}/status": lambda w: {"action": "pin"},
    "PUT /api/v1/posts/{post_id}/like": lambda w: None,
    "PUT /api/v1/posts/{post_id}/favourite": lambda w: None,
    "POST /api/v1/posts/{post_id}/comments": lambda w: {"body": "真不错"},
    "POST /api/v1/posts/{post_id}/views": lambda w: None,
    "POST /api/v1/posts/{post_id}/dwell": lambda w: {"ms": 5000},
    "POST /api/v1/posts/{post_id}/shares": lambda w: None,
    "POST /api/v1/post-images": lambda w: PRODUCT_IMAGE,
    "POST /api/v1/reviews": lambda w: {"order_id": w.picked_order_id, "product_id": w.product_id, "stars": 5,
                                       "body": "很新鲜"},
    "POST /api/v1/polls": lambda w: {"title": "下周团购什么", "options": ["葡萄", "柚子"],
                                     "deadline": (clock.now() + timedelta(days=3)).isoformat()},
    "POST /api/v1/polls/{poll_id}/votes": lambda w: {"option_ids": [w.poll_option_id]},
    "POST /api/v1/polls/{poll_id}/options": lambda w: {"text": f"新菜{next(_n)}"},
    "POST /api/v1/poll-options/{poll_option_id}/decision": lambda w: {"approved": True},
    "PUT /api/v1/delivery/warehouses/{warehouse_id}": lambda w: {"radius_m": 3000, "promise_minutes": 30,
                                                                 "max_batch": 10, "active": True},
    "POST /api/v1/delivery/warehouses/{warehouse_id}/riders": lambda w: {"name": "王骑手", "phone": "13800003333"},
    "PATCH /api/v1/delivery/riders/{rider_id}": lambda w: {"name": "李师傅"},
    "POST /api/v1/delivery/orders/{order_id}": lambda w: None,
    "POST /api/v1/delivery/batches": lambda w: {"warehouse_id": w.warehouse_id, "rider_id": w.rider_id,
                                                "delivery_ids": [w.home_delivery_id]},
    "POST /api/v1/delivery/batches/{delivery_batch_id}/depart": lambda w: None,
    "POST /api/v1/delivery/deliveries/{home_delivery_id}/delivered": lambda w: None,
    "POST /api/v1/delivery/deliveries/{home_delivery_id}/failed": lambda w: {"reason": "家中无人"},
    "POST /api/v1/delivery/deliveries/{home_delivery_id}/redispatch": lambda w: None,
    "PUT /api/v1/lockers/settings": lambda w: {"hold_hours": 48, "remind_hours": 12},
    "POST /api/v1/lockers/parcels/{parcel_id}/taken-back": lambda w: None,
    "POST /api/v1/lockers/compartments/{compartment_id}/status": lambda w: {"status": "free"},
    "POST /api/v1/lockers/{locker_id}/compartments": lambda w: {"small": 1},
    "POST /api/v1/lockers/{locker_id}/deposits": locker_deposit_body,
    "POST /api/v1/lockers/{locker_id}/collect": lambda w: {"code": "000000"},
    "POST /api/v1/feedback/tickets": lambda w: {"category": "功能建议", "text": "希望增加夜间配送"},
    "POST /api/v1/feedback/tickets/{ticket_id}/attachments": lambda w: PRODUCT_IMAGE,
    "POST /api/v1/feedback/tickets/{ticket_id}/confirm": lambda w: {"solved": True, "rating": 5},
    "POST /api/v1/feedback/bot/ask": lambda w: {"question": "几点可以去拿货"},
    "POST /api/v1/feedback/bot/exchanges/{exchange_id}/helpful": lambda w: {"helpful": True},
    "POST /api/v1/feedback/bot/exchanges/{exchange_id}/handoff": lambda w: None,
    "POST /api/v1/feedback/tickets/{ticket_id}/replies": lambda w: {"body": "收到，马上处理"},
    "POST /api/v1/feedback/tickets/{ticket_id}/assign": lambda w: {},
    "POST /api/v1/feedback/tickets/{ticket_id}/resolve": lambda w: {"note": "已补发"},
    "POST /api/v1/feedback/tickets/{ticket_id}/follow-up": lambda w: {"note": "回访满意"},
    "POST /api/v1/feedback/faq": lambda w: {"question": f"可以开发票吗{next(_n)}", "answer": "可以，在订单详情申请。",
                                            "category": "其他"},
    "PUT /api/v1/feedback/faq/{faq_id}": lambda w: {"question": "自提点几点可以取货？", "answer": "每天 8:00-21:00。",
                                                    "category": "配送与自提"},
    "PUT /api/v1/feedback/settings": lambda w: {"first_response_minutes": 60, "resolution_minutes": 4320,
                                                "follow_up_minutes": 7200},
    "POST /api/v1/local-services/merchants": lambda w: {"name": "萌宠之家", "category": "宠物托管",
                                                        "phone": "0571-1234567", "community_ids": [w.community_id]},
    "PATCH /api/v1/local-services/merchants/{merchant_id}": lambda w: {"phone": "0571-7654321"},
    "POST /api/v1/local-services/merchants/{merchant_id}/services": lambda w: {
        "name": "宠物寄养一天", "price_fen": 6000, "duration_minutes": 60, "capacity": 2},
    "POST /api/v1/local-services/services/{service_id}/schedules": lambda w: {"weekday": next(_n) % 7,
                                                                              "start_time": "10:00"},
    "POST /api/v1/local-services/services/{service_id}/slots": lambda w: {
        "starts_at": (clock.now() + timedelta(days=3, minutes=next(_n))).replace(microsecond=0).isoformat()},
    "POST /api/v1/local-services/bookings": lambda w: {"slot_id": w.slot_id},  # already booked: 409
    "POST /api/v1/local-services/bookings/{booking_id}/cancel": lambda w: {"reason": "临时有事"},
    "POST /api/v1/local-services/bookings/{booking_id}/complete": lambda w: None,  # not started: 409
    "POST /api/v1/local-services/bookings/{booking_id}/rating": lambda w: {"stars": 5},  # not completed: 409
    "PUT /api/v1/packing/settings": lambda w: {"cutoff": "23:00"},
    "POST /api/v1/packing/scan": lambda w: {"token": picked_order_token(w)},  # already picked up: 409
    "POST /api/v1/pickup/points/{point_id}/pause": lambda w: {"reason": "团长外出"},
    "POST /api/v1/pickup/points/{point_id}/close": lambda w: {"reason": "团长搬家"},
    "POST /api/v1/pickup/points/{point_id}/reopen": lambda w: {"reason": "团长回来了"},
    "POST /api/v1/pickup/points/{point_id}/closures": lambda w: pickup_closure_body(),
    "PUT /api/v1/pickup/points/{point_id}/capacity": lambda w: {"daily_capacity": 80},
    "PUT /api/v1/pickup/points/{point_id}/hours": lambda w: {"days": [{"weekday": 0, "hours": "08:00-21:00"}]},
    "PUT /api/v1/pickup/settings": lambda w: {"max_distance_m": 1500, "preference_penalty_m": 300},
    "POST /api/v1/pickup/assignment-runs": lambda w: {},
}


def compensation_body(product_id: int) -> dict[str, Any]:
    return {"product_id": product_id, "since": (clock.now() - timedelta(days=30)).isoformat(),
            "until": (clock.now() + timedelta(days=1)).isoformat(), "kind": "points", "points": 10}


def _ids(w: Populated) -> dict[str, int]:
    return {"order_id": w.order_id, "product_id": w.product_id, "member_id": w.member_id,
            "community_id": w.community_id, "flash_sale_id": w.flash_sale_id,
            "group_buy_id": w.group_buy_id, "group_id": w.group_id, "building_id": w.building_id,
            "bundle_id": w.bundle_id, "presale_id": w.presale_id, "referral_id": w.referral_id,
            "coupon_id": w.coupon_id, "spot_id": w.spot_id, "catalog_item_id": w.catalog_item_id,
            "application_id": w.application_id, "leader_id": w.leader_id, "withdrawal_id": w.withdrawal_id,
            "task_id": w.help_task_id, "case_id": w.case_id, "journey_id": w.journey_id,
            "tag_id": w.tag_id, "segment_id": w.audience_segment_id,
            "leader_task_id": w.leader_task_id, "message_id": w.inbox_message_id, "delivery_id": w.delivery_id,
            "campaign_id": w.scenario_campaign_id, "experiment_id": w.experiment_id, "pilot_id": w.pilot_id,
            "batch_id": w.batch_id, "event_id": w.calendar_event_id,
            "moderation_case_id": w.moderation_case_id, "post_id": w.post_id, "poll_id": w.poll_id,
            "poll_option_id": w.poll_option_id,
            "ticket_id": w.ticket_id, "attachment_id": w.attachment_id, "faq_id": w.faq_id,
            "exchange_id": w.exchange_id, "alert_id": w.alert_id,
            "crisis_id": w.crisis_id, "step_id": w.crisis_step_id,
            "merchant_id": w.merchant_id, "service_id": w.service_id, "booking_id": w.booking_id,
            "point_id": w.point_id, "warehouse_id": w.warehouse_id, "rider_id": w.rider_id,
            "delivery_batch_id": w.delivery_batch_id, "home_delivery_id": w.home_delivery_id,
            "locker_id": w.locker_id, "compartment_id": w.compartment_id, "parcel_id": w.parcel_id}


def _query(e: Endpoint, w: Populated) -> dict[str, Any] | None:
    return REQUIRED_QUERY[e.key](w) if e.key in REQUIRED_QUERY else None


def _login(client: Any, tenant: str, username: str, password: str) -> Any:
    return client.post(f"{API}/auth/login", json={"tenant": tenant, "username": username, "password": password})


@pytest.fixture
def w(make: Any) -> Populated:
    return populated(make)[0]


# --- logging in -------------------------------------------------------------------------------


def test_login_answers_a_bearer_token(client: Any, w: Populated) -> None:
    r = _login(client, w.t.slug, "admin", PASSWORD)
    assert r.status_code == 200, r.text
    body = r.json()
    assert {"access_token", "token_type", "role", "user_id"} <= set(body)
    assert body["token_type"] == "bearer" and body["role"] == "operator"
    assert isinstance(body["access_token"], str) and body["access_token"]
    assert isinstance(body["user_id"], int)
    me = client.get(f"{API}/me", headers=bearer(body["access_token"])).json()
    assert me["user_id"] == body["user_id"] and me["tenant"] == w.t.slug

    r = _login(client, w.t.slug, w.member_username, PASSWORD)
    assert r.status_code == 200 and r.json()["role"] == "member"
    assert r.json()["user_id"] == w.member_user_id


def test_login_failures_all_look_the_same(client: Any, db: Any, w: Populated) -> None:
    """Wrong password, unknown tenant, unknown user: one answer, so none of them can be probed."""
    counts = row_counts(db)
    answers = []
    for tenant, username, password in [(w.t.slug, "admin", "wrong-password"), ("no-such-tenant", "admin", PASSWORD),
                                       (w.t.slug, "nobody", PASSWORD), ("no-such-tenant", "nobody", "x")]:
        r = _login(client, tenant, username, password)
        assert_error(r, 401, "invalid_credentials")
        answers.append(r.json())
    assert all(a == answers[0] for a in answers), answers
    assert row_counts(db) == counts


def test_login_throttling_per_account_then_per_address(client: Any, w: Populated) -> None:
    cfg = get_settings()
    per_account, per_address = cfg.login_max_failures_per_account, cfg.login_max_failures_per_address
    assert per_account == 5 and per_address > per_account
    for _ in range(per_account):
        assert_error(_login(client, w.t.slug, "admin", "wrong-password"), 401, "invalid_credentials")
    # the account is locked even for the right password
    assert_error(_login(client, w.t.slug, "admin", PASSWORD), 429, "too_many_attempts")
    # another account from the same address still logs in, until the address is over its limit
    for i in range(per_address - per_account - 1):
        assert_error(_login(client, w.t.slug, f"ghost{i}", "wrong-password"), 401, "invalid_credentials")
    assert _login(client, w.t.slug, w.member_username, PASSWORD).status_code == 200
    assert_error(_login(client, w.t.slug, "ghost-last", "wrong-password"), 401, "invalid_credentials")
    assert_error(_login(client, w.t.slug, w.member_username, PASSWORD), 429, "too_many_attempts")
    # the window passes: both locks lift
    clock.set_process_time(clock.now() + timedelta(minutes=cfg.login_failure_window_minutes, seconds=1))
    try:
        assert _login(client, w.t.slug, "admin", PASSWORD).status_code == 200
        assert _login(client, w.t.slug, w.member_username, PASSWORD).status_code == 200
    finally:
        clock.set_process_time(None)


def test_a_successful_login_resets_the_account_count(client: Any, w: Populated) -> None:
    for _ in range(2):
        for _ in range(get_settings().login_max_failures_per_account - 1):
            assert_error(_login(client, w.t.slug, "admin", "wrong-password"), 401, "invalid_credentials")
        assert _login(client, w.t.slug, "admin", PASSWORD).status_code == 200


# --- tokens -----------------------------------------------------------------------------------


def test_every_route_but_login_needs_a_token(client: Any, db: Any, w: Populated) -> None:
    counts = row_counts(db)
    for e in api_endpoints(client.app):
        if ROLES.get(e.key, EVERYONE) is None:
            continue
        body = BODIES[e.key](w) if e.key in BODIES else None
        url = e.url(**_ids(w))
        for headers in ({}, {"Authorization": "Basic YWRtaW46cGFzc3dvcmQtMQ=="}, {"Authorization": "Bearer"},
                        {"Authorization": "Bearer "}):
            r = send(client, e.method, url, headers, body, _query(e, w))
            assert_error(r, 401, "unauthorized")
    assert row_counts(db) == counts


def _forge(token: str, **claims: Any) -> str:
    body, _, sig = token.partition(".")
    data = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    data.update(claims)
    raw = base64.urlsafe_b64encode(json.dumps(data, separators=(",", ":")).encode()).rstrip(b"=").decode()
    return f"{raw}.{sig}"


def test_bad_tokens_are_refused(client: Any, db: Any, w: Populated) -> None:
    good = w.member_h["Authorization"].removeprefix("Bearer ")
    body, _, sig = good.partition(".")
    other_secret = TokenSigner(b"some-other-secret", timedelta(days=1)).issue(
        Principal(w.member_user_id, w.t.tenant_id, w.t.slug, "operator"))
    bad = [
        "not-a-token", "a.b", ".", f"{body}.", f".{sig}", f"{body}.{sig[:-2]}", f"{body}.{sig}x",
        f"{body[:-3]}abc.{sig}",  # tampered claims
        _forge(good, r="operator"),  # a member promoting themselves
        _forge(good, t=w.t.tenant_id + 1),  # another tenant
        _forge(good, exp=2**40),
        other_secret,
        f"{good} extra",
    ]
    counts = row_counts(db)
    for token in bad:
        for method, path, payload in (("GET", "/me", None), ("GET", "/products", None),
                                      ("POST", "/communities", BODIES["POST /api/v1/communities"](w))):
            r = client.request(method, f"{API}{path}", headers=bearer(token), json=payload)
            assert_error(r, 401, "invalid_token")
    assert row_counts(db) == counts


def test_non_ascii_tokens_are_refused(client: Any, w: Populated) -> None:
    """Header bytes outside ASCII reach the app as latin-1 text; they are a bad token, not a crash."""
    good = w.member_h["Authorization"].removeprefix("Bearer ")
    for raw in (b"Bearer \xe9\xe9.\xe9", b"Bearer " + good.encode() + b"\xff",
                b"Bearer " + good.encode()[:-2] + b"\xc3\xa9"):
        r = client.get(f"{API}/me", headers={"Authorization": raw})
        assert_error(r, 401, "invalid_token")


def test_expired_token(client: Any, w: Populated, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(get_runtime(), "signer", TokenSigner(b"expiry-test", timedelta(minutes=1)))
    r = _login(client, w.t.slug, w.member_username, PASSWORD)
    assert r.status_code == 200 and r.json()["expires_in"] == 60
    h = bearer(r.json()["access_token"])
    issued = clock.now()
    assert client.get(f"{API}/me", headers=h).status_code == 200
    try:
        clock.set_process_time(issued + timedelta(seconds=50))
        assert client.get(f"{API}/me", headers=h).status_code == 200
        clock.set_process_time(issued + timedelta(minutes=1, seconds=2))
        assert_error(client.get(f"{API}/me", headers=h), 401, "token_expired")
        assert_error(client.post(f"{API}/orders", headers=h, json=BODIES["POST /api/v1/orders"](w)),
                     401, "token_expired")
    finally:
        clock.set_process_time(None)


# --- roles ------------------------------------------------------------------------------------


def _role_headers(w: Populated) -> dict[str, dict[str, str]]:
    return {"operator": w.op, "leader": w.leader_h, "member": w.member_h}


def test_roles_table_covers_every_route(client: Any) -> None:
    keys = {e.key for e in api_endpoints(client.app)}
    assert keys == set(ROLES), f"new or removed routes, add them to ROLES: {keys ^ set(ROLES)}"
    takes_body = {e.key for e in api_endpoints(client.app) if e.method in ("POST", "PUT", "PATCH")}
    assert takes_body <= set(BODIES), takes_body - set(BODIES)


def test_wrong_roles_are_forbidden_everywhere(client: Any, db: Any, w: Populated) -> None:
    counts = row_counts(db)
    forbidden_for_member, forbidden_for_operator = set(), set()
    for e in api_endpoints(client.app):
        allowed = ROLES[e.key]
        if allowed is None:
            continue
        body = BODIES[e.key](w) if e.key in BODIES else None
        for role, headers in _role_headers(w).items():
            if role in allowed:
                continue
            r = send(client, e.method, e.url(**_ids(w)), headers, body, _query(e, w))
            assert_error(r, 403, "forbidden")
            if role == "member":
                forbidden_for_member.add(e.key)
            if role == "operator":
                forbidden_for_operator.add(e.key)
    assert forbidden_for_member >= DOCUMENTED_OPERATOR_ONLY
    assert forbidden_for_operator >= DOCUMENTED_MEMBER_ONLY
    assert "POST /api/v1/orders/{order_id}/pickup" in forbidden_for_member
    assert row_counts(db) == counts


def test_right_roles_pass_the_role_check(client: Any, w: Populated) -> None:
    picture = send(client, "POST", f"{API}/products/{w.product_id}/images", w.op, PRODUCT_IMAGE).json()
    ids = {**_ids(w), "name": picture["image_url"].rsplit("/", 1)[1]}  # the public picture's stored name
    for e in api_endpoints(client.app):
        allowed = ROLES[e.key]
        body = BODIES[e.key](w) if e.key in BODIES else None
        for role, headers in _role_headers(w).items():
            if allowed is not None and role not in allowed:
                continue
            r = send(client, e.method, e.url(**ids), headers if allowed else {}, body, _query(e, w))
            assert r.status_code not in (401, 403, 404, 422, 500), (e.key, role, r.text)


def test_a_member_cannot_hand_out_their_own_order(client: Any, w: Populated) -> None:
    code = w.pickup_code()
    r = client.post(f"{API}/orders/{w.order_id}/pickup", headers=w.member_h, json={"code": code})
    assert_error(r, 403, "forbidden")
    assert w.get(f"/orders/{w.order_id}")["status"] == "paid"
    r = client.post(f"{API}/orders/{w.order_id}/pickup", headers=w.leader_h, json={"code": code})
    assert r.status_code == 200 and r.json()["status"] == "picked_up"


def test_me_for_each_role(client: Any, db: Any, w: Populated) -> None:
    with db.unit_of_work() as s:
        leader = leaders.create(s, w.t.tenant_id, "leader-me", PASSWORD, "王团长", "13900000001",
                                w.community_id)
        leader_id, leader_user = leader.id, leader.user_id
    logins = {"operator": "admin", "member": w.member_username, "leader": "leader-me"}
    seen = {}
    for role, username in logins.items():
        r = _login(client, w.t.slug, username, PASSWORD)
        assert r.status_code == 200 and r.json()["role"] == role
        me = client.get(f"{API}/me", headers=bearer(r.json()["access_token"]))
        assert me.status_code == 200
        seen[role] = me.json()
        assert seen[role]["role"] == role and seen[role]["tenant"] == w.t.slug
        assert seen[role]["user_id"] == r.json()["user_id"]
    assert seen["operator"]["member_id"] is None and seen["operator"]["leader_id"] is None
    assert seen["member"]["member_id"] == w.member_id and seen["member"]["leader_id"] is None
    assert seen["member"]["user_id"] == w.member_user_id
    assert seen["leader"]["leader_id"] == leader_id and seen["leader"]["member_id"] is None
    assert seen["leader"]["user_id"] == leader_user
