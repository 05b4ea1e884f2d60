"""Tenant isolation, walked over every API route: tenant B can neither see, change nor reference
tenant A's data, and the answer to B is the same as for an id that never existed."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from sqlalchemy import select

from linli.core import clock
from linli.models import InboxMessage, MessageDelivery
from tests.api.alert_bodies import compensation
from tests.api.conftest import (
    API,
    PRODUCT_IMAGE,
    PROOF,
    PUBLIC_FILES,
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
    populated,
    presale_body,
    row_counts,
    scenario_campaign_body,
    send,
    tier_program_body,
)
from tests.api.localservice_bodies import SLOT_AT
from tests.api.packing_bodies import picked_order_token
from tests.api.pickup_bodies import closure_body as pickup_closure_body
from tests.api.trace_calendar_bodies import batch_body, entry_body, event_body
from tests.factories import PASSWORD

MISSING = 2**61  # a valid id that no row has

# path parameter -> which of A's ids to put there (all of them are tried)
PATH_IDS: dict[str, tuple[str, ...]] = {
    "order_id": ("order_id", "pending_order_id", "group_order_id", "picked_order_id"),
    "product_id": ("product_id",),
    "member_id": ("member_id",),
    "community_id": ("community_id",),
    "flash_sale_id": ("flash_sale_id",),
    "group_buy_id": ("group_buy_id",),
    "group_id": ("group_id",),
    "building_id": ("building_id",),
    "bundle_id": ("bundle_id",),
    "presale_id": ("presale_id",),
    "referral_id": ("referral_id",),
    "coupon_id": ("coupon_id", "geo_coupon_id"),
    "spot_id": ("spot_id",),
    "catalog_item_id": ("catalog_item_id",),
    "application_id": ("application_id", "recruit_application_id"),
    "leader_id": ("leader_id", "recruit_leader_id"),
    "withdrawal_id": ("withdrawal_id",),
    "task_id": ("help_task_id",),
    "case_id": ("case_id",),
    "journey_id": ("journey_id",),
    "leader_task_id": ("leader_task_id",),
    "message_id": ("inbox_message_id",),
    "delivery_id": ("delivery_id",),
    "tag_id": ("tag_id",),
    "segment_id": ("audience_segment_id",),
    "campaign_id": ("scenario_campaign_id", "pilot_campaign_id"),
    "experiment_id": ("experiment_id",),
    "pilot_id": ("pilot_id",),
    "post_id": ("post_id",),
    "poll_id": ("poll_id",),
    "poll_option_id": ("poll_option_id",),
    "batch_id": ("batch_id",),
    "event_id": ("calendar_event_id",),
    "ticket_id": ("ticket_id",),
    "attachment_id": ("attachment_id",),
    "faq_id": ("faq_id",),
    "exchange_id": ("exchange_id",),
    "alert_id": ("alert_id",),
    "crisis_id": ("crisis_id",),
    "step_id": ("crisis_step_id",),
    "moderation_case_id": ("moderation_case_id",),
    "merchant_id": ("merchant_id",),
    "service_id": ("service_id",),
    "booking_id": ("booking_id",),
    "point_id": ("point_id", "recruit_point_id"),
    "locker_id": ("locker_id",),
    "compartment_id": ("compartment_id",),
    "parcel_id": ("parcel_id",),
    "warehouse_id": ("warehouse_id",),
    "rider_id": ("rider_id",),
    "delivery_batch_id": ("delivery_batch_id",),
    "home_delivery_id": ("home_delivery_id",),
}

# A body that passes validation for each route with a path parameter that takes one, built from A's
# own data where it matters (A's real pickup code, A's order line), so a leak would really act.
Body = Callable[[Populated], Any]
BODIES: dict[str, Body] = {
    "POST /api/v1/pickup/points/{point_id}/pause": lambda a: {"reason": "tenant B tries"},
    "POST /api/v1/pickup/points/{point_id}/close": lambda a: {"reason": "tenant B tries"},
    "POST /api/v1/pickup/points/{point_id}/reopen": lambda a: {"reason": "tenant B tries"},
    "POST /api/v1/pickup/points/{point_id}/closures": lambda a: pickup_closure_body(),
    "PUT /api/v1/pickup/points/{point_id}/capacity": lambda a: {"daily_capacity": 1},
    "PUT /api/v1/pickup/points/{point_id}/hours": lambda a: {"days": [{"weekday": 0, "hours": "08:00-09:00"}]},
    "POST /api/v1/lockers/parcels/{parcel_id}/taken-back": lambda a: None,
    "POST /api/v1/lockers/compartments/{compartment_id}/status": lambda a: {"status": "out_of_order"},
    "POST /api/v1/lockers/{locker_id}/compartments": lambda a: {"small": 1},
    "POST /api/v1/lockers/{locker_id}/deposits": lambda a: {"order_id": a.locker_order_id, "size": "S"},
    "POST /api/v1/lockers/{locker_id}/collect": lambda a: {"code": "000000"},
    "POST /api/v1/orders/{order_id}/pay": lambda a: None,
    "POST /api/v1/orders/{order_id}/cancel": lambda a: {"reason": "tenant B tries"},
    "POST /api/v1/orders/{order_id}/refund": lambda a: {"reason": "tenant B tries",
                                                        "lines": [{"item_id": a.item_id, "quantity": 1}]},
    "POST /api/v1/orders/{order_id}/pickup": lambda a: {"code": a.pickup_code()},
    "POST /api/v1/products/{product_id}/stock-adjustments": lambda a: {"delta": -1, "reason": "damage"},
    "POST /api/v1/flash-sales/{flash_sale_id}/purchase": lambda a: {"quantity": 1},
    "POST /api/v1/group-buys/{group_buy_id}/close": lambda a: None,
    "POST /api/v1/group-buys/{group_buy_id}/groups": lambda a: None,
    "POST /api/v1/groups/{group_id}/join": lambda a: None,
    "POST /api/v1/communities/{community_id}/buildings": lambda a: {"name": "越界楼"},
    "POST /api/v1/buildings/{building_id}/households": lambda a: household_body("999"),
    "POST /api/v1/bundles/{bundle_id}/orders": lambda a: {"quantity": 1},
    "POST /api/v1/presales/{presale_id}/orders": lambda a: {"quantity": 1},
    "POST /api/v1/referrals/{referral_id}/review": lambda a: {"approve": False},
    "PATCH /api/v1/coupons/{coupon_id}": lambda a: {"active": False},
    "POST /api/v1/coupons/{coupon_id}/claim": lambda a: None,
    "POST /api/v1/coupons/{coupon_id}/issue": lambda a: {"member_ids": [a.invitee_member_id]},
    "PATCH /api/v1/geo-spots/{spot_id}": lambda a: {"active": False, "radius_m": 1},
    "PATCH /api/v1/points/catalog-items/{catalog_item_id}": lambda a: {"stock": 0, "points_cost": 1},
    "POST /api/v1/leader-applications/{application_id}/proof": lambda a: PROOF,
    "POST /api/v1/leader-applications/{application_id}/approve": lambda a: None,
    "POST /api/v1/leader-applications/{application_id}/reject": lambda a: {"reason": "tenant B tries"},
    "POST /api/v1/withdrawals/{withdrawal_id}/approve": lambda a: None,
    "POST /api/v1/withdrawals/{withdrawal_id}/reject": lambda a: {"reason": "tenant B tries"},
    "POST /api/v1/orders/{order_id}/rating": lambda a: {"stars": 1, "comment": "tenant B tries"},
    "POST /api/v1/leader/help-tasks/{task_id}/done": lambda a: None,
    "POST /api/v1/leader-cases/{case_id}/decide": lambda a: {"decision": "replace", "note": "tenant B tries"},
    "POST /api/v1/leader/members/{member_id}/notes": lambda a: {"kind": "call", "note": "tenant B tries"},
    "PATCH /api/v1/products/{product_id}": lambda a: {"price_fen": 1, "is_active": False},
    "POST /api/v1/products/{product_id}/images": lambda a: PRODUCT_IMAGE,
    "PATCH /api/v1/flash-sales/{flash_sale_id}": lambda a: {"per_member_limit": 1},
    "POST /api/v1/flash-sales/{flash_sale_id}/stop": lambda a: None,
    "PATCH /api/v1/journeys/{journey_id}": lambda a: {"name": "tenant B tries"},
    "POST /api/v1/journeys/{journey_id}/activate": lambda a: None,
    "POST /api/v1/journeys/{journey_id}/pause": lambda a: None,
    "POST /api/v1/leader/tasks/{leader_task_id}/done": lambda a: {"note": "tenant B tries"},
    "POST /api/v1/me/messages/{message_id}/read": lambda a: None,
    "PUT /api/v1/tags/{tag_id}": lambda a: {"name": "tenant B tries", "rule": "orders_30d >= 99"},
    "DELETE /api/v1/tags/{tag_id}": lambda a: None,
    "PUT /api/v1/segments/{segment_id}": lambda a: {"name": "tenant B tries", "definition": {"not": {"tag": "any"}}},
    "DELETE /api/v1/segments/{segment_id}": lambda a: None,
    "PATCH /api/v1/scenario-campaigns/{campaign_id}": lambda a: {"title": "tenant B tries"},
    "POST /api/v1/scenario-campaigns/{campaign_id}/launch": lambda a: None,
    "POST /api/v1/scenario-campaigns/{campaign_id}/cancel": lambda a: None,
    "POST /api/v1/experiments/{experiment_id}/start": lambda a: None,
    "POST /api/v1/experiments/{experiment_id}/stop": lambda a: None,
    "POST /api/v1/experiments/{experiment_id}/exposures": lambda a: {"member_id": a.member_id},
    "POST /api/v1/pilots/{pilot_id}/reviewed": lambda a: {"note": "tenant B tries"},
    "POST /api/v1/pilots/{pilot_id}/roll-out": lambda a: None,
    "POST /api/v1/pilots/{pilot_id}/abandon": lambda a: None,
    "POST /api/v1/posts/{post_id}/status": lambda a: {"action": "take_down"},
    "PUT /api/v1/posts/{post_id}/like": lambda a: None,
    "DELETE /api/v1/posts/{post_id}/like": lambda a: None,
    "PUT /api/v1/posts/{post_id}/favourite": lambda a: None,
    "DELETE /api/v1/posts/{post_id}/favourite": lambda a: None,
    "POST /api/v1/posts/{post_id}/comments": lambda a: {"body": "tenant B tries"},
    "POST /api/v1/posts/{post_id}/views": lambda a: None,
    "POST /api/v1/posts/{post_id}/dwell": lambda a: {"ms": 5000},
    "POST /api/v1/posts/{post_id}/shares": lambda a: None,
    "POST /api/v1/polls/{poll_id}/votes": lambda a: {"option_ids": [a.poll_option_id]},
    "POST /api/v1/polls/{poll_id}/options": lambda a: {"text": "tenant B tries"},
    "POST /api/v1/poll-options/{poll_option_id}/decision": lambda a: {"approved": False},
    "PUT /api/v1/calendar/events/{event_id}": lambda a: event_body(None),
    "DELETE /api/v1/calendar/events/{event_id}": lambda a: None,
    "POST /api/v1/batches/{batch_id}/entries": lambda a: entry_body(),
    "POST /api/v1/feedback/tickets/{ticket_id}/attachments": lambda a: PRODUCT_IMAGE,
    "POST /api/v1/feedback/tickets/{ticket_id}/confirm": lambda a: {"solved": True, "rating": 1},
    "POST /api/v1/feedback/tickets/{ticket_id}/replies": lambda a: {"body": "tenant B tries"},
    "POST /api/v1/feedback/tickets/{ticket_id}/assign": lambda a: {},
    "POST /api/v1/feedback/tickets/{ticket_id}/resolve": lambda a: {"note": "tenant B tries"},
    "POST /api/v1/feedback/tickets/{ticket_id}/follow-up": lambda a: {"note": "tenant B tries"},
    "POST /api/v1/feedback/bot/exchanges/{exchange_id}/helpful": lambda a: {"helpful": False},
    "POST /api/v1/feedback/bot/exchanges/{exchange_id}/handoff": lambda a: None,
    "PUT /api/v1/feedback/faq/{faq_id}": lambda a: {"question": "越界问题？", "answer": "越界答案", "category": "其他"},
    "DELETE /api/v1/feedback/faq/{faq_id}": lambda a: None,
    "POST /api/v1/alerts/{alert_id}/acknowledge": lambda a: {"note": "tenant B tries"},
    "POST /api/v1/alerts/{alert_id}/resolve": lambda a: {"note": "tenant B tries"},
    "PATCH /api/v1/crises/{crisis_id}/steps/{step_id}": lambda a: {"done": True},
    "POST /api/v1/crises/{crisis_id}/close": lambda a: {"note": "tenant B tries"},
    "POST /api/v1/crises/{crisis_id}/compensations/preview": lambda a: compensation(a.product_id),
    "POST /api/v1/crises/{crisis_id}/compensations": lambda a: compensation(a.product_id),
    "POST /api/v1/moderation/cases/{moderation_case_id}/decision": lambda a: {"decision": "reject",
                                                                              "reason": "tenant B tries"},
    "POST /api/v1/moderation/cases/{moderation_case_id}/escalate": lambda a: {"reason": "tenant B tries"},
    "PATCH /api/v1/local-services/merchants/{merchant_id}": lambda a: {"active": False},
    "POST /api/v1/local-services/merchants/{merchant_id}/services": lambda a: {"name": "越界服务",
                                                                               "duration_minutes": 60},
    "POST /api/v1/local-services/services/{service_id}/schedules": lambda a: {"weekday": 1, "start_time": "09:00"},
    "POST /api/v1/local-services/services/{service_id}/slots": lambda a: {
        "starts_at": SLOT_AT},
    "POST /api/v1/local-services/bookings/{booking_id}/cancel": lambda a: {"reason": "tenant B tries"},
    "POST /api/v1/local-services/bookings/{booking_id}/complete": lambda a: None,
    "POST /api/v1/local-services/bookings/{booking_id}/rating": lambda a: {"stars": 1, "comment": "tenant B tries"},
    "PUT /api/v1/delivery/warehouses/{warehouse_id}": lambda a: {"radius_m": 20000},
    "POST /api/v1/delivery/warehouses/{warehouse_id}/riders": lambda a: {"name": "越界骑手", "phone": "13800004444"},
    "PATCH /api/v1/delivery/riders/{rider_id}": lambda a: {"active": False},
    "POST /api/v1/delivery/orders/{order_id}": lambda a: None,
    "POST /api/v1/delivery/batches/{delivery_batch_id}/depart": lambda a: None,
    "POST /api/v1/delivery/deliveries/{home_delivery_id}/delivered": lambda a: None,
    "POST /api/v1/delivery/deliveries/{home_delivery_id}/failed": lambda a: {"reason": "tenant B tries"},
    "POST /api/v1/delivery/deliveries/{home_delivery_id}/redispatch": lambda a: None,
}

# list routes -> (A's ids that must never show up, query filters that name A's ids)
LISTS: dict[str, tuple[Callable[[Populated], set[int]], Callable[[Populated], list[dict[str, int]]]]] = {
    "GET /api/v1/orders": (lambda a: {a.order_id, a.pending_order_id, a.group_order_id, a.picked_order_id},
                           lambda a: [{"member_id": a.member_id}]),
    "GET /api/v1/products": (lambda a: {a.product_id}, lambda a: [{"category_id": a.category_id}]),
    "GET /api/v1/members": (lambda a: {a.member_id, a.recruit_member_id},
                            lambda a: [{"community_id": a.community_id}]),
    "GET /api/v1/communities": (lambda a: {a.community_id}, lambda a: []),
    "GET /api/v1/feedback/tickets": (lambda a: {a.ticket_id}, lambda a: [{"community_id": a.community_id}]),
    "GET /api/v1/pickup-points": (lambda a: {a.point_id, a.recruit_point_id},
                                  lambda a: [{"community_id": a.community_id}, {"leader_id": a.leader_id}]),
    "GET /api/v1/flash-sales": (lambda a: {a.flash_sale_id}, lambda a: []),
    "GET /api/v1/group-buys": (lambda a: {a.group_buy_id}, lambda a: []),
    "GET /api/v1/bundles": (lambda a: {a.bundle_id}, lambda a: []),
    "GET /api/v1/presales": (lambda a: {a.presale_id}, lambda a: []),
    "GET /api/v1/referrals": (lambda a: {a.referral_id}, lambda a: []),
    "GET /api/v1/coupons": (lambda a: {a.coupon_id, a.geo_coupon_id}, lambda a: []),
    "GET /api/v1/geo-spots": (lambda a: {a.spot_id}, lambda a: []),
    "GET /api/v1/points/catalog-items": (lambda a: {a.catalog_item_id}, lambda a: []),
    "GET /api/v1/me/coupons": (lambda a: {a.member_coupon_id, a.geo_member_coupon_id}, lambda a: []),
    "GET /api/v1/leader-applications": (lambda a: {a.application_id, a.recruit_application_id}, lambda a: []),
    "GET /api/v1/leaders": (lambda a: {a.leader_id, a.recruit_leader_id}, lambda a: []),
    "GET /api/v1/withdrawals": (lambda a: {a.withdrawal_id}, lambda a: [{"leader_id": a.leader_id}]),
    "GET /api/v1/leader/feedback": (lambda a: {a.rating_id}, lambda a: []),
    "GET /api/v1/leader/members": (lambda a: _member_ids(a), lambda a: []),
    "GET /api/v1/assessments": (lambda a: _assessment_ids(a), lambda a: []),
    "GET /api/v1/journeys": (lambda a: {a.journey_id}, lambda a: []),
    "GET /api/v1/leader/tasks": (lambda a: {a.leader_task_id}, lambda a: []),
    "GET /api/v1/me/messages": (lambda a: {a.inbox_message_id}, lambda a: []),
    "GET /api/v1/message-deliveries": (lambda a: {a.delivery_id}, lambda a: [{"member_id": a.member_id}]),
    "GET /api/v1/tags": (lambda a: {a.tag_id}, lambda a: []),
    "GET /api/v1/segments": (lambda a: {a.audience_segment_id, a.segment_id}, lambda a: []),
    "GET /api/v1/scenario-campaigns": (lambda a: {a.scenario_campaign_id, a.pilot_campaign_id}, lambda a: []),
    "GET /api/v1/experiments": (lambda a: {a.experiment_id}, lambda a: []),
    "GET /api/v1/pilots": (lambda a: {a.pilot_id}, lambda a: []),
    "GET /api/v1/posts": (lambda a: {a.post_id}, lambda a: [{"community_id": a.community_id}]),
    "GET /api/v1/polls": (lambda a: {a.poll_id}, lambda a: []),
    "GET /api/v1/me/favourites": (lambda a: {a.post_id}, lambda a: []),
    "GET /api/v1/batches": (lambda a: {a.batch_id}, lambda a: [{"product_id": a.product_id}]),
    "GET /api/v1/alerts": (lambda a: {a.alert_id}, lambda a: [{"community_id": a.community_id}]),
    "GET /api/v1/crises": (lambda a: {a.crisis_id}, lambda a: []),
    "GET /api/v1/moderation/cases": (lambda a: {a.moderation_case_id}, lambda a: []),
    "GET /api/v1/local-services/merchants": (lambda a: {a.merchant_id}, lambda a: []),
    "GET /api/v1/local-services/bookings": (lambda a: {a.booking_id}, lambda a: [{"merchant_id": a.merchant_id},
                                                                               {"community_id": a.community_id}]),
    # naming A's warehouse in the query is 404 like a warehouse that never existed: tests/delivery
    "GET /api/v1/delivery/warehouses": (lambda a: {a.warehouse_id}, lambda a: []),
    "GET /api/v1/delivery/riders": (lambda a: {a.rider_id}, lambda a: []),
    "GET /api/v1/delivery/deliveries": (lambda a: {a.home_delivery_id}, lambda a: []),
    "GET /api/v1/delivery/batches": (lambda a: {a.delivery_batch_id}, lambda a: []),
}


def _assessment_ids(w: Populated) -> set[int]:
    return {row["id"] for row in w.get("/assessments", month=w.assessed_month, limit=200)["items"]}


def _member_ids(w: Populated) -> set[int]:
    return {row["id"] for row in w.get("/members", limit=200)["items"]}

# routes that name a row in the query string -> query strings naming each of A's rows
QUERY_IDS: dict[str, Callable[[Populated], list[dict[str, Any]]]] = {
    "GET /api/v1/predictions/participation": lambda a: [{"kind": "group_buy", "id": a.group_buy_id},
                                                       {"kind": "flash_sale", "id": a.flash_sale_id},
                                                       {"kind": "presale", "id": a.presale_id}],
    "GET /api/v1/insight/heatmap": lambda a: [{"community_id": a.community_id}],
    "GET /api/v1/insight/activity": lambda a: [{"community_id": a.community_id}],
    "GET /api/v1/insight/assortment": lambda a: [{"community_id": a.community_id}],
    "GET /api/v1/pickup/points": lambda a: [{"community_id": a.community_id}],
}

# create routes -> attempts by B that reference A's ids: (role, body, status, code)
Attempt = tuple[str, Callable[[Populated, Populated], Any], int, str]
CREATES: dict[str, list[Attempt]] = {
    "POST /api/v1/delivery/batches": [
        ("operator", lambda a, b: {"warehouse_id": a.warehouse_id, "rider_id": a.rider_id,
                                   "delivery_ids": [a.home_delivery_id]}, 422, "unknown_warehouse"),
        ("operator", lambda a, b: {"warehouse_id": b.warehouse_id, "rider_id": a.rider_id,
                                   "delivery_ids": [b.home_delivery_id]}, 422, "unknown_rider"),
    ],
    "POST /api/v1/pickup/assignment-runs": [
        ("operator", lambda a, b: {"point_ids": [a.point_id]}, 404, "pickup_point_not_found"),
    ],
    "PUT /api/v1/me/pickup-point": [
        ("member", lambda a, b: {"pickup_point_id": a.point_id}, 422, "unknown_pickup_point"),
    ],
    "POST /api/v1/orders": [
        ("member", lambda a, b: {"items": [{"product_id": a.product_id, "quantity": 1}]}, 422, "unknown_product"),
        ("member", lambda a, b: {"items": [{"product_id": b.product_id, "quantity": 1},
                                           {"product_id": a.product_id, "quantity": 1}]}, 422, "unknown_product"),
        ("member", lambda a, b: {"items": [{"product_id": b.product_id, "quantity": 1}],
                                 "pickup_point_id": a.point_id}, 422, "unknown_pickup_point"),
    ],
    "POST /api/v1/members": [
        ("operator", lambda a, b: {"username": "intruder", "password": "password-9", "name": "外人",
                                   "phone": "13800009999", "community_id": a.community_id},
         422, "unknown_community"),
    ],
    "POST /api/v1/pickup-points": [
        ("operator", lambda a, b: {"community_id": a.community_id, "name": "越界点", "kind": "store",
                                   "lat": 30.1, "lng": 120.1}, 422, "unknown_community"),
        ("operator", lambda a, b: {"community_id": b.community_id, "name": "越界点", "kind": "leader_home",
                                   "lat": 30.1, "lng": 120.1, "leader_id": a.leader_id}, 422, "unknown_leader"),
    ],
    "POST /api/v1/flash-sales": [
        ("operator", lambda a, b: flash_sale_body(a.product_id), 422, "unknown_product"),
    ],
    "POST /api/v1/group-buys": [
        ("operator", lambda a, b: group_buy_body(a.product_id), 422, "unknown_product"),
    ],
    "POST /api/v1/bundles": [
        ("operator", lambda a, b: {"name": "越界套餐", "price_fen": 500, "items": [
            {"product_id": b.product_id, "quantity": 1}, {"product_id": a.product_id, "quantity": 1}]},
         422, "unknown_product"),
    ],
    "POST /api/v1/presales": [
        ("operator", lambda a, b: presale_body(a.product_id), 422, "unknown_product"),
    ],
    "POST /api/v1/referrals": [  # A's member's invite code, by a new member of B
        ("invitee", lambda a, b: {"code": a.invite_code}, 422, "unknown_invite_code"),
    ],
    "POST /api/v1/points/grants": [
        ("operator", lambda a, b: {"member_id": a.member_id, "amount": 10, "reason": "越界"}, 422, "unknown_member"),
    ],
    "POST /api/v1/points/redemptions": [
        ("member", lambda a, b: {"amount": 100, "kind": "goods", "item_id": a.catalog_item_id, "quantity": 1},
         422, "unknown_item"),
    ],
    "POST /api/v1/geo-spots": [
        ("operator", lambda a, b: geo_spot_body(a.geo_coupon_id), 422, "unknown_coupon"),
    ],
    "POST /api/v1/geo-checkins": [  # standing on A's spot
        ("member", lambda a, b: {"spot_id": a.spot_id, "lat": SPOT[0], "lng": SPOT[1]}, 422, "unknown_spot"),
        ("invitee", lambda a, b: {"spot_id": a.spot_id, "lat": SPOT[0], "lng": SPOT[1]}, 422, "unknown_spot"),
    ],
    "POST /api/v1/communities": [],  # the body names no ids
    "POST /api/v1/coupons": [  # a scope naming A's goods
        ("operator", lambda a, b: {**coupon_body(), "product_ids": [b.product_id, a.product_id]}, 422,
         "unknown_product"),
        ("operator", lambda a, b: {**coupon_body(), "category_ids": [a.category_id]}, 422, "unknown_category"),
    ],
    "POST /api/v1/points/catalog-items": [],  # the body names no ids
    "POST /api/v1/checkins": [],  # no body: the member's own day
    "POST /api/v1/products": [],  # the category is named, not referenced: see the test below
    "POST /api/v1/leader-applications": [  # B's member applying to lead A's community
        ("invitee", lambda a, b: application_body(a.community_id), 422, "unknown_community"),
    ],
    "POST /api/v1/journeys": [  # a step issuing A's coupon
        ("operator", lambda a, b: journey_body(a.coupon_id), 422, "unknown_coupon_template"),
    ],
    "POST /api/v1/messages": [  # A's member among B's
        ("operator", lambda a, b: message_body([b.member_id, a.member_id]), 422, "unknown_member"),
    ],
    "POST /api/v1/posts": [  # A's community or product
        ("operator", lambda a, b: {"kind": "pgc", "body": "x", "community_id": a.community_id}, 422,
         "unknown_community"),
        ("operator", lambda a, b: {"kind": "recipe", "body": "x", "product_ids": [a.product_id]}, 422,
         "unknown_product"),
    ],
    "POST /api/v1/reviews": [  # A's picked-up order
        ("member", lambda a, b: {"order_id": a.picked_order_id, "product_id": a.product_id, "stars": 5,
                                 "body": "x"}, 404, "order_not_found"),
    ],
    "POST /api/v1/polls": [  # A's community
        ("operator", lambda a, b: {"title": "x", "options": ["a", "b"], "community_id": a.community_id,
                                   "deadline": "2099-01-01T00:00:00+08:00"}, 422, "unknown_community"),
    ],
    "POST /api/v1/scenario-campaigns": [  # A's segment, coupon, product or community
        ("operator", lambda a, b: scenario_campaign_body(a.segment_id, 200), 422, "unknown_segment"),
        ("operator", lambda a, b: {**scenario_campaign_body(b.segment_id, 200), "coupon_template_id": a.coupon_id},
         422, "unknown_coupon_template"),
        ("operator", lambda a, b: {**scenario_campaign_body(b.segment_id, 200),
                                   "link": {"kind": "product", "id": a.product_id}}, 422, "unknown_link_target"),
        ("operator", lambda a, b: {**scenario_campaign_body(b.segment_id, 200), "community_ids": [a.community_id]},
         422, "unknown_community"),
    ],
    "POST /api/v1/experiments": [  # on A's campaign, or a variant issuing A's coupon
        ("operator", lambda a, b: {**experiment_body(), "campaign_id": a.scenario_campaign_id}, 422,
         "unknown_campaign"),
        ("operator", lambda a, b: {**experiment_body(), "variants": [
            {"code": "A", "name": "甲", "weight": 50}, {"code": "B", "name": "乙", "weight": 50,
                                                        "coupon_template_id": a.coupon_id}]},
         422, "unknown_coupon_template"),
    ],
    "POST /api/v1/pilots": [  # A's campaign or experiment, or B's campaign in A's community
        ("operator", lambda a, b: {"name": "越界", "campaign_id": a.scenario_campaign_id,
                                   "community_ids": [b.community_id]}, 422, "unknown_campaign"),
        ("operator", lambda a, b: {"name": "越界", "experiment_id": a.experiment_id,
                                   "community_ids": [b.community_id]}, 422, "unknown_experiment"),
        ("operator", lambda a, b: {"name": "越界", "campaign_id": b.scenario_campaign_id,
                                   "community_ids": [a.community_id]}, 422, "unknown_community"),
    ],
    # tags name the tenant's own fields and category names, segments the tenant's own tag codes: B's "any" is B's
    "POST /api/v1/tags": [],
    "POST /api/v1/tags/preview": [],
    "POST /api/v1/segments": [],
    "POST /api/v1/segments/preview": [],
    "POST /api/v1/calendar/events": [  # an event in A's community
        ("operator", lambda a, b: event_body(a.community_id), 422, "unknown_community"),
    ],
    "POST /api/v1/feedback/tickets": [  # feedback linked to A's order
        ("member", lambda a, b: {"category": "其他", "text": "越界反馈", "order_id": a.order_id}, 404,
         "order_not_found"),
    ],
    "POST /api/v1/crises": [  # a case from A's alert
        ("operator", lambda a, b: {"title": "越界", "alert_id": a.alert_id}, 422, "unknown_alert"),
    ],
    "POST /api/v1/batches": [  # a batch of A's product
        ("operator", lambda a, b: batch_body(a.product_id, "ISO-1"), 422, "unknown_product"),
    ],
    "PUT /api/v1/moderation/settings": [  # A's operator or member as B's senior reviewer
        ("operator", lambda a, b: {"senior_user_ids": [a.get("/me")["user_id"]]}, 422, "invalid_senior_reviewer"),
        ("operator", lambda a, b: {"senior_user_ids": [a.member_user_id]}, 422, "invalid_senior_reviewer"),
    ],
    "POST /api/v1/packing/scan": [  # the QR code of A's order, scanned by B's leader
        ("leader", lambda a, b: {"token": picked_order_token(a)}, 422, "qr_other_tenant"),
    ],
    "POST /api/v1/local-services/merchants": [
        ("operator", lambda a, b: {"name": "越界商户", "category": "其他", "phone": "0571-1234567",
                                   "community_ids": [b.community_id, a.community_id]}, 422, "unknown_community"),
    ],
    "POST /api/v1/local-services/bookings": [
        ("member", lambda a, b: {"slot_id": a.slot_id}, 404, "slot_not_found"),
    ],
    "POST /api/v1/journeys/from-template": [
        ("operator", lambda a, b: {"template": "welcome_48h", "coupon_template_id": a.coupon_id}, 422,
         "unknown_coupon_template"),
    ],
}

# routes whose input names no tenant data at all
UNSCOPED = {"POST /api/v1/auth/login", "GET /api/v1/me", "GET /api/v1/me/referral", "GET /api/v1/me/pickup-point",
            "GET /api/v1/referral-program", "PUT /api/v1/referral-program",  # the caller's own; see below
            "GET /api/v1/me/points", "GET /api/v1/me/points/entries", "GET /api/v1/me/checkins",
            "GET /api/v1/me/guardian", "GET /api/v1/me/lifecycle", "GET /api/v1/me/tier",
            "GET /api/v1/points/rules", "PUT /api/v1/points/rules", "GET /api/v1/tiers", "PUT /api/v1/tiers",
            "GET /api/v1/guardian-program", "PUT /api/v1/guardian-program", "GET /api/v1/lifecycle/settings",
            "PUT /api/v1/lifecycle/settings", "GET /api/v1/lifecycle/distribution",
            "POST /api/v1/tiers/black-card/recompute",
            # the caller's own application, leader account and monthly settings
            "GET /api/v1/me/leader-application", "GET /api/v1/leader/profile", "GET /api/v1/leader-tiers",
            "PUT /api/v1/leader-tiers", "GET /api/v1/leader/dashboard", "GET /api/v1/leader/commission",
            "GET /api/v1/leader/statements", "POST /api/v1/leader/withdrawals", "GET /api/v1/leader/assessments",
            "GET /api/v1/assessments/settings", "PUT /api/v1/assessments/settings", "POST /api/v1/assessments/run",
            "GET /api/v1/leader/training", "GET /api/v1/journey-templates",
            "GET /api/v1/categories",  # the caller's own tenant's: test_categories_are_per_tenant
            # the member's own preferences, the tenant's own messaging settings
            "GET /api/v1/me/message-preferences", "PUT /api/v1/me/message-preferences",
            "GET /api/v1/messaging/settings", "PUT /api/v1/messaging/settings",
            # the tag language's fields; the tenant's own audience job
            "GET /api/v1/tag-fields", "GET /api/v1/audience/status", "POST /api/v1/audience/refresh",
            "GET /api/v1/scenario-campaigns/calendar",  # a month of the caller's own campaigns
            # the caller's own calendar; naming another tenant's community: tests/calendar/test_isolation.py
            "GET /api/v1/calendar", "GET /api/v1/calendar/upcoming",
            "POST /api/v1/post-images",
            # the member's own recommendations, the tenant's own ranking settings
            "GET /api/v1/recommendations", "GET /api/v1/recommend-settings", "PUT /api/v1/recommend-settings",
            # the member's own feedback and questions; the tenant's own FAQ, bot figures and SLA settings
            "GET /api/v1/feedback/tickets/mine", "POST /api/v1/feedback/bot/ask", "GET /api/v1/feedback/faq",
            "POST /api/v1/feedback/faq", "GET /api/v1/feedback/bot/stats", "GET /api/v1/feedback/settings",
            "PUT /api/v1/feedback/settings",
            # the tenant's own alert figures, metric catalogue, thresholds and evaluation
            "GET /api/v1/alerts/summary", "GET /api/v1/alerts/metrics", "GET /api/v1/alerts/thresholds",
            "PUT /api/v1/alerts/thresholds", "POST /api/v1/alerts/evaluate",
            # a text checked against the tenant's own word list; that list and its reviewers' settings
            "POST /api/v1/moderation/check", "GET /api/v1/moderation/words", "POST /api/v1/moderation/words",
            "POST /api/v1/moderation/words/disable", "POST /api/v1/moderation/words/enable",
            "GET /api/v1/insight/geo", "GET /api/v1/insight/turnover",  # the tenant's own figures, no id named
            "GET /api/v1/moderation/settings",
            # the day's lists of the caller's own points (another tenant's point or community is 404:
            # tests/packing/test_lists.py); the tenant's own cut-off
            "GET /api/v1/packing/stock-list", "GET /api/v1/packing/sorting-list",
            "GET /api/v1/packing/settings", "PUT /api/v1/packing/settings",
            # the tenant's own assignment settings and runs, the member's own nearby points (a run naming another
            # tenant's point: CREATES below)
            "GET /api/v1/pickup/settings", "PUT /api/v1/pickup/settings", "GET /api/v1/pickup/assignment-runs",
            "GET /api/v1/pickup/nearby",
            # the caller's own lockers, parcels and hold hours (another tenant's locker, compartment or parcel
            # named in a path: the path walk)
            "GET /api/v1/lockers", "GET /api/v1/lockers/settings", "PUT /api/v1/lockers/settings",
            "GET /api/v1/lockers/mine", "GET /api/v1/lockers/expired",
            # the member's own address against the tenant's own warehouses; the tenant's own delivery figures
            "GET /api/v1/delivery/quote", "GET /api/v1/delivery/stats"}


def _roles(b: Populated) -> dict[str, dict[str, str]]:
    return {"operator": b.op, "member": b.member_h, "leader": b.leader_h, "invitee": b.invitee_h}


def _call(client: Any, method: str, url: str, headers: dict[str, str], body: Any = None) -> Any:
    return send(client, method, url, headers, body)


def snapshot(a: Populated) -> dict[str, Any]:
    """Everything A's people can read about A's data."""
    paths = [f"/orders/{a.order_id}", f"/orders/{a.pending_order_id}", f"/products/{a.product_id}",
             f"/members/{a.member_id}", f"/communities/{a.community_id}", "/orders", "/products",
             "/members", "/communities", "/pickup-points", f"/flash-sales/{a.flash_sale_id}", "/flash-sales",
             f"/group-buys/{a.group_buy_id}", "/group-buys", f"/group-buys/{a.group_buy_id}/progress",
             f"/groups/{a.group_id}", f"/bundles/{a.bundle_id}", "/bundles", f"/presales/{a.presale_id}",
             "/presales", f"/presales/{a.presale_id}/orders", "/referrals", "/referral-program",
             f"/communities/{a.community_id}/buildings", f"/buildings/{a.building_id}/households",
             f"/members/{a.member_id}/points", f"/members/{a.member_id}/tier", f"/members/{a.member_id}/lifecycle",
             "/points/rules", "/points/catalog-items", f"/points/catalog-items/{a.catalog_item_id}",
             f"/communities/{a.community_id}/charity", f"/communities/{a.community_id}/guardians", "/coupons",
             f"/coupons/{a.coupon_id}", f"/coupons/{a.geo_coupon_id}", "/geo-spots", "/tiers", "/guardian-program",
             "/lifecycle/settings", "/lifecycle/distribution", "/leader-applications",
             f"/leader-applications/{a.application_id}", f"/leader-applications/{a.recruit_application_id}", "/leaders",
             f"/leaders/{a.leader_id}", f"/leaders/{a.recruit_leader_id}", f"/leaders/{a.leader_id}/statements",
             f"/leaders/{a.leader_id}/assessments", "/withdrawals", "/leader-tiers", "/assessments/settings",
             "/journeys", f"/journeys/{a.journey_id}", f"/journeys/{a.journey_id}/funnel",
             "/message-deliveries", f"/message-deliveries/{a.delivery_id}", "/messaging/settings",
             "/tags", f"/tags/{a.tag_id}", f"/tags/{a.tag_id}/members", "/segments",
             f"/segments/{a.audience_segment_id}", f"/segments/{a.audience_segment_id}/members",
             f"/members/{a.member_id}/tags",
             "/scenario-campaigns", f"/scenario-campaigns/{a.scenario_campaign_id}", "/experiments",
             f"/experiments/{a.experiment_id}/results", "/pilots", f"/pilots/{a.pilot_id}/review",
             f"/batches/{a.batch_id}", f"/calendar/events/{a.calendar_event_id}",
             f"/moderation/cases/{a.moderation_case_id}", "/moderation/cases", "/moderation/settings",
             f"/local-services/merchants/{a.merchant_id}", f"/local-services/services/{a.service_id}/slots",
             f"/local-services/bookings/{a.booking_id}", f"/local-services/services/{a.service_id}/schedules"]
    out = {p: a.get(p) for p in paths}
    out["member:/orders"] = a.get("/orders", a.member_h)
    out["member:/me"] = a.get("/me", a.member_h)
    out["leader:/orders"] = a.get("/orders", a.leader_h)
    out["member:/me/referral"] = a.get("/me/referral", a.member_h)
    out["member:/me/leader-application"] = a.get("/me/leader-application", a.member_h)
    out["/assessments"] = a.get("/assessments", month=a.assessed_month)
    for path in ("/leader/profile", "/leader/dashboard", "/leader/commission", "/leader/statements",
                 "/leader/feedback", "/leader/assessments", "/withdrawals", "/leader/members",
                 f"/leader/members/{a.member_id}/notes", "/leader/tasks"):
        out[f"leader:{path}"] = a.get(path, a.leader_h)
    out["recruit:/leader/profile"] = a.get("/leader/profile", a.recruit_h)
    for path in ("/me/points", "/me/points/entries", "/me/coupons", "/coupons", "/me/tier", "/me/lifecycle",
                 "/me/checkins", "/me/guardian", "/me/messages", "/me/message-preferences"):
        out[f"member:{path}"] = a.get(path, a.member_h)
    return out


@pytest.fixture
def two_tenants(make: Any) -> Iterator[tuple[Populated, Populated]]:
    """Both tenants, with the clock stopped so that snapshots (time left, statuses) compare."""
    a, b = populated(make, "tenant-a", "tenant-b")
    clock.set_process_time(clock.now())
    try:
        yield a, b
    finally:
        clock.set_process_time(None)


def test_every_route_is_known_to_the_walker(client: Any) -> None:
    """A new route must be added to the tables above (and so be exercised) before this passes."""
    unknown = []
    for e in api_endpoints(client.app):
        if e.key in PUBLIC_FILES:
            continue
        if e.params:
            unknown += [f"{e.key}: path parameter {p} has no id of A" for p in e.params if p not in PATH_IDS]
            if e.method != "GET" and e.key not in BODIES:
                unknown.append(f"{e.key}: no body in BODIES")
        elif e.key not in LISTS and e.key not in CREATES and e.key not in UNSCOPED and e.key not in QUERY_IDS:
            unknown.append(f"{e.key}: not in LISTS, CREATES, UNSCOPED or QUERY_IDS")
    assert not unknown, "routes the isolation walk cannot exercise:\n" + "\n".join(unknown)
    keys = {e.key for e in api_endpoints(client.app)}
    stale = (set(BODIES) | set(LISTS) | set(CREATES) | UNSCOPED | set(QUERY_IDS)) - keys
    assert not stale, f"tables name routes that no longer exist: {stale}"


def test_tenant_b_cannot_reach_a_through_any_path(client: Any, db: Any,
                                                 two_tenants: tuple[Populated, Populated]) -> None:
    a, b = two_tenants
    before, counts = snapshot(a), row_counts(db)
    exercised = 0
    for e in api_endpoints(client.app):
        if not e.params or e.key in PUBLIC_FILES:
            continue
        assert set(e.params) <= set(PATH_IDS) and (e.method == "GET" or e.key in BODIES), e.key
        body = BODIES[e.key](a) if e.key in BODIES else None
        for combo in _id_combos(e, a):
            statuses = {}
            for role, headers in _roles(b).items():
                got = _call(client, e.method, e.url(**combo), headers, body)
                ghost = _call(client, e.method, e.url(**dict.fromkeys(combo, MISSING)), headers, body)
                where = f"{e.key} {combo} as B's {role}"
                err = assert_error(got, got.status_code)
                assert got.status_code in (403, 404), where
                if got.status_code == 403:
                    assert err["code"] == "forbidden", where  # the role is refused, not the resource
                # A's id must look exactly like one that does not exist
                assert (got.status_code, got.json()) == (ghost.status_code, ghost.json()), where
                statuses[role] = got.status_code
            assert 404 in statuses.values(), f"{e.key}: no role of B got past the role check: {statuses}"
            if statuses["operator"] != 404:
                assert statuses["operator"] == 403  # member-only routes: B's member got the 404
            exercised += 1
    assert exercised >= 8
    assert row_counts(db) == counts
    assert snapshot(a) == before


def test_tenant_b_cannot_name_a_in_a_query(client: Any, db: Any, two_tenants: tuple[Populated, Populated]) -> None:
    """A's ids in B's query strings are answered exactly as ids that never existed; B's own answers name only B's
    members."""
    a, b = two_tenants
    before, counts = snapshot(a), row_counts(db)
    tried = 0
    for e in api_endpoints(client.app):
        for params in QUERY_IDS[e.key](a) if e.key in QUERY_IDS else []:
            ghost_params = {k: MISSING if isinstance(v, int) else v for k, v in params.items()}
            for role, headers in _roles(b).items():
                got = client.get(e.path, headers=headers, params=params)
                ghost = client.get(e.path, headers=headers, params=ghost_params)
                where = f"{e.key}?{params} as B's {role}"
                assert_error(got, got.status_code)
                assert got.status_code == (404 if role == "operator" else 403), where
                assert (got.status_code, got.json()) == (ghost.status_code, ghost.json()), where
            tried += 1
    assert tried >= 3
    own = b.get("/predictions/participation", kind="group_buy", id=b.group_buy_id, limit=200)
    assert own["items"] and {i["member_id"] for i in own["items"]} <= _member_ids(b)
    assert row_counts(db) == counts
    assert snapshot(a) == before


def _inbox_ids(b: Populated) -> set[int]:
    """B's member's inbox: the operator's message and the notices B's own locker and booking sent."""
    with b.t.db.unit_of_work() as s:
        found = set(s.scalars(select(InboxMessage.id).where(InboxMessage.tenant_id == b.t.tenant_id,
                                                            InboxMessage.member_id == b.member_id)))
    assert b.inbox_message_id in found
    return found


def _delivery_ids(b: Populated) -> set[int]:
    """B's delivery log: the operator's message and the notices B's own locker and booking sent."""
    with b.t.db.unit_of_work() as s:
        found = set(s.scalars(select(MessageDelivery.id).where(MessageDelivery.tenant_id == b.t.tenant_id)))
    assert b.delivery_id in found
    return found


def _id_combos(e: Endpoint, a: Populated) -> list[dict[str, int]]:
    combos: list[dict[str, int]] = [{}]
    for p in e.params:
        combos = [{**c, p: getattr(a, attr)} for c in combos for attr in PATH_IDS[p]]
    return combos


def test_tenant_b_lists_show_none_of_a(client: Any, two_tenants: tuple[Populated, Populated]) -> None:
    a, b = two_tenants
    own = {"GET /api/v1/orders": {b.order_id, b.pending_order_id, b.group_order_id, b.picked_order_id,
                                  b.locker_order_id},
           "GET /api/v1/products": {b.product_id, b.other_product_id},
           "GET /api/v1/members": {b.member_id, b.invitee_member_id, b.recruit_member_id},
           "GET /api/v1/communities": {b.community_id},
           "GET /api/v1/pickup-points": {b.point_id, b.recruit_point_id, b.locker_id, b.warehouse_id},
           "GET /api/v1/flash-sales": {b.flash_sale_id},
           "GET /api/v1/group-buys": {b.group_buy_id}, "GET /api/v1/bundles": {b.bundle_id},
           "GET /api/v1/presales": {b.presale_id}, "GET /api/v1/referrals": {b.referral_id},
           "GET /api/v1/coupons": {b.coupon_id, b.geo_coupon_id}, "GET /api/v1/geo-spots": {b.spot_id},
           "GET /api/v1/points/catalog-items": {b.catalog_item_id},
           "GET /api/v1/me/coupons": {b.member_coupon_id, b.geo_member_coupon_id},
           "GET /api/v1/leader-applications": {b.application_id, b.recruit_application_id},
           "GET /api/v1/leaders": {b.leader_id, b.recruit_leader_id}, "GET /api/v1/withdrawals": {b.withdrawal_id},
           "GET /api/v1/leader/feedback": {b.rating_id}, "GET /api/v1/assessments": _assessment_ids(b),
           "GET /api/v1/leader/members": _member_ids(b), "GET /api/v1/journeys": {b.journey_id},
           "GET /api/v1/leader/tasks": {b.leader_task_id}, "GET /api/v1/me/messages": _inbox_ids(b),
           "GET /api/v1/message-deliveries": _delivery_ids(b), "GET /api/v1/tags": {b.tag_id},
           "GET /api/v1/segments": {b.audience_segment_id, b.segment_id},
           "GET /api/v1/scenario-campaigns": {b.scenario_campaign_id, b.pilot_campaign_id},
           "GET /api/v1/experiments": {b.experiment_id}, "GET /api/v1/pilots": {b.pilot_id},
           "GET /api/v1/batches": {b.batch_id}, "GET /api/v1/posts": {b.post_id}, "GET /api/v1/polls": {b.poll_id},
           "GET /api/v1/me/favourites": set(),
           "GET /api/v1/feedback/tickets": {t["id"] for t in b.get("/feedback/tickets")["items"]},
           "GET /api/v1/alerts": {b.alert_id}, "GET /api/v1/crises": {b.crisis_id},
           "GET /api/v1/moderation/cases": {b.moderation_case_id},
           "GET /api/v1/local-services/merchants": {b.merchant_id},
           "GET /api/v1/local-services/bookings": {b.booking_id},
           "GET /api/v1/delivery/warehouses": {b.warehouse_id}, "GET /api/v1/delivery/riders": {b.rider_id},
           "GET /api/v1/delivery/deliveries": {b.home_delivery_id},
           "GET /api/v1/delivery/batches": {b.delivery_batch_id}}
    for e in api_endpoints(client.app):
        if e.key not in LISTS:
            continue
        a_ids, filters = LISTS[e.key]
        for role, headers in _roles(b).items():
            required = REQUIRED_QUERY[e.key](b) if e.key in REQUIRED_QUERY else {}
            for params in [{}, *filters(a)]:
                r = client.get(e.path, headers=headers, params={**required, **params})
                where = f"{e.key}?{params} as B's {role}"
                if r.status_code == 403:
                    assert_error(r, 403, "forbidden")
                    continue
                assert r.status_code == 200, (where, r.text)
                ids = {item["id"] for item in r.json()["items"]}
                assert not ids & a_ids(a), where
                assert ids <= own[e.key], where
                if role == "operator":
                    # a filter on A's id matches nothing; unfiltered, B's operator sees exactly B's rows
                    assert ids == (set() if params else own[e.key]), where


def test_tenant_b_cannot_reference_a_in_new_records(client: Any, db: Any,
                                                   two_tenants: tuple[Populated, Populated]) -> None:
    a, b = two_tenants
    before, counts = snapshot(a), row_counts(db)
    b_stock = b.get(f"/products/{b.product_id}")["stock"]
    b_sale = b.get(f"/flash-sales/{b.flash_sale_id}")
    b_campaign = b.get(f"/group-buys/{b.group_buy_id}/progress")
    tried = 0
    for e in api_endpoints(client.app):
        for role, make_body, status, code in CREATES.get(e.key, []):
            r = client.request(e.method, e.path, headers=_roles(b)[role], json=make_body(a, b))
            assert_error(r, status, code)
            tried += 1
    assert tried >= 16
    # B's own campaigns with A's pickup point
    for url in (f"/flash-sales/{b.flash_sale_id}/purchase", f"/group-buys/{b.group_buy_id}/groups",
                f"/bundles/{b.bundle_id}/orders", f"/presales/{b.presale_id}/orders"):
        r = client.post(f"{API}{url}", headers=b.member_h, json={"pickup_point_id": a.point_id})
        assert_error(r, 422, "unknown_pickup_point")
    # B's own coupon handed to A's people, B's order paying with A's member's coupon
    for body, code in (({"member_ids": [a.invitee_member_id]}, "unknown_member"),
                       ({"member_ids": [b.invitee_member_id, a.invitee_member_id]}, "unknown_member"),
                       ({"community_id": a.community_id}, "unknown_community")):
        assert_error(client.post(f"{API}/coupons/{b.coupon_id}/issue", headers=b.op, json=body), 422, code)
    order = {"items": [{"product_id": b.product_id, "quantity": 1}]}
    for coupon_id in (a.member_coupon_id, a.geo_member_coupon_id):
        r = client.post(f"{API}/orders", headers=b.member_h, json={**order, "coupon_id": coupon_id})
        assert_error(r, 422, "unknown_coupon")
    assert row_counts(db) == counts
    assert snapshot(a) == before
    assert b.get(f"/products/{b.product_id}")["stock"] == b_stock
    assert b.get(f"/flash-sales/{b.flash_sale_id}") == b_sale
    assert b.get(f"/group-buys/{b.group_buy_id}/progress") == b_campaign


def test_same_category_name_makes_a_category_of_b(two_tenants: tuple[Populated, Populated]) -> None:
    a, b = two_tenants
    a_product = a.get(f"/products/{a.product_id}")
    made = b.t.product(category=a_product["category"])
    assert made["category"] == a_product["category"]
    assert made["category_id"] != a.category_id
    assert made["category_id"] == b.category_id
    ids = {p["id"] for p in a.get("/products", category_id=a.category_id)["items"]}
    assert ids == {a.product_id, a.other_product_id}  # both of A's products are in that category


def test_a_token_works_only_in_its_own_tenant(client: Any, two_tenants: tuple[Populated, Populated]) -> None:
    """The tenant comes from the token: the same username in two tenants are two different people."""
    a, b = two_tenants
    me_a = a.get("/me")
    me_b = b.get("/me")
    assert (me_a["tenant"], me_b["tenant"]) == ("tenant-a", "tenant-b")
    assert me_a["user_id"] != me_b["user_id"]
    r = client.post(f"{API}/auth/login", json={"tenant": "tenant-a", "username": b.member_username,
                                                "password": PASSWORD})
    assert_error(r, 401, "invalid_credentials")


def test_tenant_settings_are_per_tenant(client: Any, two_tenants: tuple[Populated, Populated]) -> None:
    a, b = two_tenants
    a_program = a.get("/referral-program")
    ladder = [{"invites": 2, "points": 77}, {"invites": 9, "points": 999}]
    r = client.put(f"{API}/referral-program", headers=b.op, json={"ladder": ladder, "unlock_at": 9})
    assert r.status_code == 200, r.text
    assert b.get("/referral-program")["ladder"] == ladder
    assert a.get("/referral-program") == a_program


def test_loyalty_settings_are_per_tenant(client: Any, two_tenants: tuple[Populated, Populated]) -> None:
    """B's operator rewrites every loyalty setting and reruns the black card; A sees none of it."""
    a, b = two_tenants
    before = snapshot(a)
    changes = {"/points/rules": {"checkin": {"points": 9, "daily_cap": 9}, "streak_days": 3,
                                 "max_order_deduction_percent": 10},
               "/tiers": tier_program_body(silver=77, gold=777),
               "/guardian-program": {"title": "楼道之星", "benefit": "免费停车", "bonus_points": 999},
               "/lifecycle/settings": {"new_days": 3, "silent_days": 10, "dormant_days": 20, "core_days": 30,
                                       "core_orders": 2}}
    for path, body in changes.items():
        r = client.put(f"{API}{path}", headers=b.op, json=body)
        assert r.status_code == 200, (path, r.text)
        assert b.get(path) != before[path], path  # B's own did change
    r = client.post(f"{API}/tiers/black-card/recompute", headers=b.op)
    assert r.status_code == 200, r.text
    # an interaction: growth and points under B's rules. B's invitee, not B's member: populate already checked
    # the member in today, and a second check-in the same day is 409 already_checked_in
    r = client.post(f"{API}/checkins", headers=b.invitee_h)
    assert r.status_code == 201, r.text
    assert r.json()["points"] == 9  # B's new check-in rule
    assert snapshot(a) == before


def test_leader_settings_are_per_tenant(client: Any, two_tenants: tuple[Populated, Populated]) -> None:
    """B's operator rewrites the leader tiers and the assessment weights, and re-runs a month; A sees none of it."""
    a, b = two_tenants
    before = snapshot(a)
    tiers = {"items": [{"tier": "steward", "commission_bp": 1234, "training_access": False,
                        "priority_selection": True, "marketing_subsidy_fen": 999}]}
    weights = {"w_sales": 10, "w_growth": 10, "w_service": 70, "w_activity": 10, "replace_after": 5}
    for path, body in (("/leader-tiers", tiers), ("/assessments/settings", weights)):
        r = client.put(f"{API}{path}", headers=b.op, json=body)
        assert r.status_code == 200, (path, r.text)
        assert b.get(path) != before[path], path
    r = client.post(f"{API}/assessments/run", headers=b.op, json={"month": b.assessed_month})
    assert r.status_code == 200 and r.json()["leaders"] == 2, r.text  # B's own two leaders
    assert snapshot(a) == before


def test_categories_are_per_tenant(client: Any, two_tenants: tuple[Populated, Populated]) -> None:
    a, b = two_tenants
    a_ids = {c["id"] for c in a.get("/categories")}
    for headers in (b.op, b.member_h, b.leader_h):
        r = client.get(f"{API}/categories", headers=headers)
        assert r.status_code == 200, r.text
        b_ids = {c["id"] for c in r.json()}
        assert b.category_id in b_ids and a.category_id in a_ids
        assert not b_ids & a_ids
