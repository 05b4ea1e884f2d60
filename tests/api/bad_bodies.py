"""Bad-input cases, the building blocks (a Spec per operation, body variants), the loyalty operations'
cases (points, coupons, geo check-ins, check-in guardians, lifecycle stages and tiers) and the leader
operations' (applications, leader tiers, withdrawals, ratings, assessments)."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from linli.checkin import months
from linli.leader.idcard import check_char
from tests.api.conftest import (
    SPOT,
    Populated,
    application_body,
    coupon_body,
    geo_spot_body,
    journey_body,
    message_body,
    messaging_settings_body,
    tier_program_body,
)

NOWHERE = 2**61  # a well-formed id that no row has
TOO_BIG = 2**63  # past any id (and past BIGINT)


@dataclass
class Spec:
    """One operation with a body (POST, PUT, PATCH): where, as whom, a body it accepts, and bad variants."""

    key: str
    url: str
    who: str  # operator | member | leader | newcomer (a member with no orders, groups or application yet)
    valid: dict[str, Any]
    bad: list[tuple[str, Any, int, str | None]] = field(default_factory=list)  # label, body, status, code
    ok: tuple[int, ...] = (200, 201)  # what the valid body gets (a state conflict still proves it valid)

    @property
    def method(self) -> str:
        return self.key.split(" ", 1)[0]


def changed(body: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    """A copy of body with the value at a dotted path ("items.0.quantity") replaced."""
    out = copy.deepcopy(body)
    *parents, last = path.split(".")
    node: Any = out
    for part in parents:
        node = node[int(part)] if isinstance(node, list) else node[part]
    if isinstance(node, list):
        node[int(last)] = value
    else:
        node[last] = value
    return out


def without(body: dict[str, Any], key: str) -> dict[str, Any]:
    return {k: v for k, v in body.items() if k != key}


def loyalty_specs(w: Populated) -> list[Spec]:
    """Points, coupons, geo check-ins, check-in guardians, lifecycle stages and tiers."""
    grant = {"member_id": w.member_id, "amount": 50, "reason": "活动奖励"}
    redeem = {"amount": 100, "kind": "goods", "item_id": w.catalog_item_id, "quantity": 1}
    item = {"name": "雨伞", "points_cost": 300, "stock": 5}
    coupon = coupon_body("新券")
    spot = geo_spot_body(w.geo_coupon_id)
    here = {"spot_id": w.spot_id, "lat": SPOT[0], "lng": SPOT[1]}
    settings = {"new_days": 7, "silent_days": 30, "dormant_days": 90, "core_days": 90, "core_orders": 3}
    tiers = tier_program_body()
    return [
        Spec("POST /api/v1/points/grants", "/points/grants", "operator", grant, [
            ("zero amount", changed(grant, "amount", 0), 422, "validation_error"),
            ("negative amount", changed(grant, "amount", -1), 422, "validation_error"),
            ("string amount", changed(grant, "amount", "50"), 422, "validation_error"),
            ("float amount", changed(grant, "amount", 1.5), 422, "validation_error"),
            ("absurd amount", changed(grant, "amount", 10**9 + 1), 422, "validation_error"),
            ("empty reason", changed(grant, "reason", ""), 422, "validation_error"),
            ("blank reason", changed(grant, "reason", "   "), 422, "validation_error"),
            ("unknown member_id", changed(grant, "member_id", NOWHERE), 422, "unknown_member"),
            ("zero member_id", changed(grant, "member_id", 0), 422, "validation_error"),
            ("member_id past BIGINT", changed(grant, "member_id", TOO_BIG), 422, "validation_error"),
        ]),
        Spec("POST /api/v1/points/redemptions", "/points/redemptions", "member", redeem, [
            ("zero amount", changed(redeem, "amount", 0), 422, "validation_error"),
            ("negative amount", changed(redeem, "amount", -100), 422, "validation_error"),
            ("unknown kind", changed(redeem, "kind", "cash"), 422, "validation_error"),
            ("goods without item_id", without(redeem, "item_id"), 422, "validation_error"),
            ("zero quantity", changed(redeem, "quantity", 0), 422, "validation_error"),
            ("unknown item_id", changed(redeem, "item_id", NOWHERE), 422, "unknown_item"),
            ("not the item's price", changed(redeem, "amount", 99), 422, "amount_mismatch"),
            ("not the price of the quantity", changed(redeem, "quantity", 2), 422, "amount_mismatch"),
            ("property fee without a note", {"amount": 100, "kind": "property_fee"}, 422, "validation_error"),
            ("charity naming an item", {"amount": 100, "kind": "charity", "item_id": w.catalog_item_id}, 422,
             "validation_error"),
            ("more than the balance", {"amount": w.member_points + 1, "kind": "charity"}, 409,
             "insufficient_points"),
        ]),
        Spec("PUT /api/v1/points/rules", "/points/rules", "operator", {"streak_days": 7}, [
            ("streak of one day", {"streak_days": 1}, 422, "validation_error"),
            ("negative rule points", {"checkin": {"points": -1}}, 422, "validation_error"),
            ("zero daily cap", {"checkin": {"points": 5, "daily_cap": 0}}, 422, "validation_error"),
            ("zero deduction rate", {"points_per_yuan_deduction": 0}, 422, "validation_error"),
            ("over 100 percent", {"max_order_deduction_percent": 101}, 422, "validation_error"),
            ("expiry in days without days", {"expiry": "days"}, 422, "validation_error"),
            ("unknown expiry", {"expiry": "never"}, 422, "validation_error"),
            ("unknown action", {"dancing": {"points": 5}}, 422, "validation_error"),
        ]),
        Spec("POST /api/v1/points/catalog-items", "/points/catalog-items", "operator", item, [
            ("zero points_cost", changed(item, "points_cost", 0), 422, "validation_error"),
            ("negative points_cost", changed(item, "points_cost", -5), 422, "validation_error"),
            ("string points_cost", changed(item, "points_cost", "300"), 422, "validation_error"),
            ("negative stock", changed(item, "stock", -1), 422, "validation_error"),
            ("empty name", changed(item, "name", ""), 422, "validation_error"),
            ("number for name", changed(item, "name", 3), 422, "validation_error"),
        ]),
        Spec("PATCH /api/v1/points/catalog-items/{catalog_item_id}", f"/points/catalog-items/{w.catalog_item_id}",
             "operator", {"stock": 12}, [
                 ("zero points_cost", {"points_cost": 0}, 422, "validation_error"),
                 ("negative stock", {"stock": -1}, 422, "validation_error"),
                 ("empty name", {"name": ""}, 422, "validation_error"),
                 ("null name", {"name": None}, 422, "validation_error"),
                 ("null points_cost", {"stock": 3, "points_cost": None}, 422, "validation_error"),
                 ("string active", {"active": "no"}, 422, "validation_error"),
             ]),
        Spec("POST /api/v1/coupons", "/coupons", "operator", coupon, [
            ("negative discount_fen", changed(coupon, "discount_fen", -1), 422, "validation_error"),
            ("fixed with no discount", changed(coupon, "discount_fen", 0), 422, "validation_error"),
            ("string discount_fen", changed(coupon, "discount_fen", "500"), 422, "validation_error"),
            ("percent without percent_off", {**coupon, "kind": "percent", "discount_fen": 0}, 422,
             "validation_error"),
            ("hundred percent off", {**coupon, "kind": "percent", "discount_fen": 0, "percent_off": 100}, 422,
             "validation_error"),
            ("fixed with a cap", {**coupon, "max_discount_fen": 100}, 422, "validation_error"),
            ("negative min_spend_fen", changed(coupon, "min_spend_fen", -1), 422, "validation_error"),
            ("zero total", changed(coupon, "total", 0), 422, "validation_error"),
            ("zero per_member_limit", changed(coupon, "per_member_limit", 0), 422, "validation_error"),
            ("no end at all", without(coupon, "valid_days"), 422, "validation_error"),
            ("ends before it starts", {**coupon, "valid_to": "2020-01-01T00:00:00+08:00"}, 422,
             "validation_error"),
            ("not a time", {**coupon, "valid_to": "soon"}, 422, "validation_error"),
            ("empty product_ids", {**coupon, "product_ids": []}, 422, "validation_error"),
            ("zero in category_ids", {**coupon, "category_ids": [0]}, 422, "validation_error"),
            ("bad tier code", {**coupon, "tier_only": ["Gold!"]}, 422, "validation_error"),
            ("empty name", changed(coupon, "name", ""), 422, "validation_error"),
        ]),
        Spec("PATCH /api/v1/coupons/{coupon_id}", f"/coupons/{w.coupon_id}", "operator", {"active": True}, [
            ("string active", {"active": "maybe"}, 422, "validation_error"),
            ("null active", {"active": None}, 422, "validation_error"),
        ]),
        Spec("POST /api/v1/coupons/{coupon_id}/issue", f"/coupons/{w.coupon_id}/issue", "operator",
             {"member_ids": [w.member_id, w.invitee_member_id]}, [
                 ("no target", {}, 422, "validation_error"),
                 ("both targets", {"member_ids": [w.member_id], "community_id": w.community_id}, 422,
                  "validation_error"),
                 ("empty member_ids", {"member_ids": []}, 422, "validation_error"),
                 ("string member_ids", {"member_ids": str(w.member_id)}, 422, "validation_error"),
                 ("a known and an unknown member", {"member_ids": [w.member_id, NOWHERE]}, 422, "unknown_member"),
                 ("unknown community_id", {"community_id": NOWHERE}, 422, "unknown_community"),
             ]),
        Spec("POST /api/v1/geo-spots", "/geo-spots", "operator", spot, [
            ("unknown coupon_template_id", changed(spot, "coupon_template_id", NOWHERE), 422, "unknown_coupon"),
            ("zero radius", changed(spot, "radius_m", 0), 422, "validation_error"),
            ("radius past 50 km", changed(spot, "radius_m", 50_001), 422, "validation_error"),
            ("lat out of range", changed(spot, "lat", 200), 422, "validation_error"),
            ("unknown kind", changed(spot, "kind", "castle"), 422, "validation_error"),
            ("empty name", changed(spot, "name", ""), 422, "validation_error"),
        ]),
        Spec("PATCH /api/v1/geo-spots/{spot_id}", f"/geo-spots/{w.spot_id}", "operator", {"radius_m": 2500}, [
            ("zero radius", {"radius_m": 0}, 422, "validation_error"),
            ("negative radius", {"radius_m": -1}, 422, "validation_error"),
            ("empty name", {"name": ""}, 422, "validation_error"),
            ("string active", {"active": "on"}, 422, "validation_error"),
            ("moving the spot", {"lat": 31.0}, 422, "validation_error"),
        ]),
        Spec("POST /api/v1/geo-checkins", "/geo-checkins", "newcomer", here, [
            ("lat 200", changed(here, "lat", 200), 422, "validation_error"),
            ("lng out of range", changed(here, "lng", -181), 422, "validation_error"),
            ("string lat", changed(here, "lat", "30.2"), 422, "validation_error"),
            ("unknown spot_id", changed(here, "spot_id", NOWHERE), 422, "unknown_spot"),
            ("zero spot_id", changed(here, "spot_id", 0), 422, "validation_error"),
            ("a city away", changed(here, "lat", SPOT[0] + 1), 409, "too_far"),
        ]),
        Spec("PUT /api/v1/guardian-program", "/guardian-program", "operator",
             {"title": "社区守护者", "benefit": "优先采购权", "bonus_points": 50}, [
                 ("empty title", {"title": ""}, 422, "validation_error"),
                 ("overlong title", {"title": "守" * 21}, 422, "validation_error"),
                 ("blank benefit", {"benefit": "  "}, 422, "validation_error"),
                 ("negative bonus", {"bonus_points": -1}, 422, "validation_error"),
                 ("string bonus", {"bonus_points": "50"}, 422, "validation_error"),
             ]),
        Spec("PUT /api/v1/lifecycle/settings", "/lifecycle/settings", "operator", settings, [
            ("dormant before silent", {**settings, "silent_days": 90, "dormant_days": 30}, 422,
             "validation_error"),
            ("dormant as silent", {**settings, "silent_days": 30, "dormant_days": 30}, 422, "validation_error"),
            ("zero new_days", changed(settings, "new_days", 0), 422, "validation_error"),
            ("negative silent_days", changed(settings, "silent_days", -30), 422, "validation_error"),
            ("zero core_orders", changed(settings, "core_orders", 0), 422, "validation_error"),
            ("string core_days", changed(settings, "core_days", "90"), 422, "validation_error"),
        ]),
        Spec("PUT /api/v1/tiers", "/tiers", "operator", tiers, [
            ("a flat ladder", tier_program_body(silver=1000, gold=1000), 422, "validation_error"),
            ("a ladder going down", tier_program_body(silver=5000, gold=1000), 422, "validation_error"),
            ("regular above zero", changed(tiers, "levels.0.min_growth", 10), 422, "validation_error"),
            ("levels out of order", changed(tiers, "levels", tiers["levels"][::-1]), 422, "validation_error"),
            ("two levels", changed(tiers, "levels", tiers["levels"][:2]), 422, "validation_error"),
            ("unknown tier code", changed(tiers, "levels.2.code", "platinum"), 422, "validation_error"),
            ("negative min_growth", changed(tiers, "levels.1.min_growth", -1), 422, "validation_error"),
            ("discount over 50", changed(tiers, "levels.2.discount_percent", 51), 422, "validation_error"),
            ("group of one", changed(tiers, "levels.2.group_size_max", 1), 422, "validation_error"),
            ("empty level name", changed(tiers, "levels.1.name", ""), 422, "validation_error"),
            ("bad action kind", {**tiers, "action_growth": {"Share!": 1}}, 422, "validation_error"),
        ]),
    ]


def leader_specs(w: Populated) -> list[Spec]:
    """Leader applications and tiers, commission withdrawals, ratings and the monthly assessment."""
    body = application_body(w.community_id)
    number = body["id_number"]
    flipped = number[:17] + ("0" if number[17] != "0" else "1")
    tier = {"tier": "steward", "commission_bp": 800, "training_access": True, "priority_selection": False,
            "marketing_subsidy_fen": 0}
    tiers = {"items": [tier]}
    weights = {"w_sales": 40, "w_growth": 20, "w_service": 25, "w_activity": 15}
    this_month = months.month_of(months.today())
    return [
        Spec("POST /api/v1/leader-applications", "/leader-applications", "newcomer", body, [
            ("bad ID checksum", changed(body, "id_number", flipped), 422, "invalid_id_number"),
            ("17-character ID", changed(body, "id_number", number[:17]), 422, "invalid_id_number"),
            ("letters in the ID", changed(body, "id_number", "A" + number[1:]), 422, "invalid_id_number"),
            ("born on 1990-13-07", changed(body, "id_number", _id("33010619901307123")), 422, "invalid_id_number"),
            ("born in 1899", changed(body, "id_number", _id("33010618990307123")), 422, "invalid_id_number"),
            ("unknown community_id", changed(body, "community_id", NOWHERE), 422, "unknown_community"),
            ("zero community_id", changed(body, "community_id", 0), 422, "validation_error"),
            ("empty real_name", changed(body, "real_name", ""), 422, "validation_error"),
            ("blank address", changed(body, "address", "   "), 422, "validation_error"),
            ("lat 200", changed(body, "lat", 200), 422, "validation_error"),
            ("unknown pickup_kind", changed(body, "pickup_kind", "castle"), 422, "validation_error"),
            ("unknown leader_type", changed(body, "leader_type", "boss"), 422, "validation_error"),
            ("overlong intro", changed(body, "intro", "长" * 1001), 422, "validation_error"),
        ]),
        Spec("POST /api/v1/leader-applications/{application_id}/reject",
             f"/leader-applications/{w.application_id}/reject", "operator", {"reason": "地址不在小区内"}, [
                 ("empty reason", {"reason": ""}, 422, "validation_error"),
                 ("blank reason", {"reason": "   "}, 422, "validation_error"),
                 ("number for reason", {"reason": 5}, 422, "validation_error"),
             ]),
        Spec("PUT /api/v1/leader-tiers", "/leader-tiers", "operator", tiers, [
            ("no items", {"items": []}, 422, "validation_error"),
            ("unknown tier", changed(tiers, "items.0.tier", "gold"), 422, "validation_error"),
            ("negative commission_bp", changed(tiers, "items.0.commission_bp", -1), 422, "validation_error"),
            ("commission over 100 %", changed(tiers, "items.0.commission_bp", 10001), 422, "validation_error"),
            ("negative subsidy", changed(tiers, "items.0.marketing_subsidy_fen", -1), 422, "validation_error"),
            ("string training_access", changed(tiers, "items.0.training_access", "yes"), 422,
             "validation_error"),
            ("five items", {"items": [tier] * 5}, 422, "validation_error"),
        ]),
        Spec("POST /api/v1/leader/withdrawals", "/leader/withdrawals", "leader", {"amount_fen": 1}, [
            ("zero amount", {"amount_fen": 0}, 422, "validation_error"),
            ("negative amount", {"amount_fen": -1}, 422, "validation_error"),
            ("string amount", {"amount_fen": "1"}, 422, "validation_error"),
            ("float amount", {"amount_fen": 1.5}, 422, "validation_error"),
            ("absurd amount", {"amount_fen": 10**12 + 1}, 422, "validation_error"),
            ("more than available", {"amount_fen": 10**12}, 409, "insufficient_commission"),
        ]),
        Spec("POST /api/v1/leader/members/{member_id}/notes", f"/leader/members/{w.member_id}/notes", "leader",
             {"kind": "visit", "note": "送了试吃装"}, [
                 ("unknown kind", {"kind": "email", "note": "你好"}, 422, "validation_error"),
                 ("blank note", {"kind": "call", "note": "  "}, 422, "validation_error"),
                 ("no note", {"kind": "call"}, 422, "validation_error"),
                 ("overlong note", {"kind": "call", "note": "长" * 501}, 422, "validation_error"),
                 ("number for note", {"kind": "call", "note": 5}, 422, "validation_error"),
             ]),
        Spec("POST /api/v1/withdrawals/{withdrawal_id}/reject", f"/withdrawals/{w.withdrawal_id}/reject",
             "operator", {"reason": "账户信息不全"}, [
                 ("empty reason", {"reason": ""}, 422, "validation_error"),
                 ("blank reason", {"reason": " "}, 422, "validation_error"),
                 ("overlong reason", {"reason": "长" * 201}, 422, "validation_error"),
             ]),
        Spec("POST /api/v1/orders/{order_id}/rating", f"/orders/{w.picked_order_id}/rating", "member",
             {"stars": 5}, [
                 ("zero stars", {"stars": 0}, 422, "validation_error"),
                 ("six stars", {"stars": 6}, 422, "validation_error"),
                 ("negative stars", {"stars": -1}, 422, "validation_error"),
                 ("string stars", {"stars": "5"}, 422, "validation_error"),
                 ("half a star", {"stars": 4.5}, 422, "validation_error"),
                 ("overlong comment", {"stars": 5, "comment": "好" * 501}, 422, "validation_error"),
             ], ok=(409,)),  # the populated rating is already there: already_rated
        Spec("POST /api/v1/orders/{order_id}/rating", f"/orders/{w.order_id}/rating", "member", {"stars": 5}, [
            ("an order not picked up", {"stars": 5}, 409, "not_picked_up"),
        ], ok=(201, 409)),  # picked up by the pickup template before the templates' own run
        Spec("PUT /api/v1/assessments/settings", "/assessments/settings", "operator", weights, [
            ("weights summing to 110", changed(weights, "w_sales", 50), 422, "validation_error"),
            ("weights summing to 90", changed(weights, "w_sales", 30), 422, "validation_error"),
            ("negative weight", {**weights, "w_sales": -10, "w_growth": 70}, 422, "validation_error"),
            ("weight over 100", {**weights, "w_sales": 101}, 422, "validation_error"),
            ("bottom over 50 %", {**weights, "warning_bottom_pct": 51}, 422, "validation_error"),
            ("replace after 2", {**weights, "replace_after": 2}, 422, "validation_error"),
            ("string weight", changed(weights, "w_sales", "40"), 422, "validation_error"),
        ]),
        Spec("POST /api/v1/assessments/run", "/assessments/run", "operator", {"month": w.assessed_month}, [
            ("month 13", {"month": "2026-13"}, 422, "invalid_month"),
            ("one-digit month", {"month": "2026-1"}, 422, "validation_error"),
            ("not a month", {"month": "last"}, 422, "validation_error"),
            ("this month", {"month": this_month}, 422, "month_not_over"),
            ("number for month", {"month": 202610}, 422, "validation_error"),
        ]),
        Spec("POST /api/v1/leader-cases/{case_id}/decide", f"/leader-cases/{w.case_id}/decide", "operator",
             {"decision": "keep", "note": "再观察一个月"}, [
                 ("unknown decision", {"decision": "maybe"}, 422, "validation_error"),
                 ("empty decision", {"decision": ""}, 422, "validation_error"),
                 ("overlong note", {"decision": "keep", "note": "长" * 501}, 422, "validation_error"),
                 ("number for note", {"decision": "keep", "note": 5}, 422, "validation_error"),
             ]),
    ]


def _id(first17: str) -> str:
    return first17 + check_char(first17)


def commerce_specs(w: Populated) -> list[Spec]:
    """Product edits, flash-sale edits (the populated sale has started: its valid edit is a 409) and the
    member's pickup-point choice."""
    patch = {"name": "新苹果", "price_fen": 600, "is_active": True}
    sale = {"per_member_limit": 3}
    choice = {"pickup_point_id": w.point_id}
    return [
        Spec("PATCH /api/v1/products/{product_id}", f"/products/{w.product_id}", "operator", patch, [
            ("stock is never patched", {"stock": 5}, 422, "validation_error"),
            ("string for price_fen", changed(patch, "price_fen", "600"), 422, "validation_error"),
            ("zero price_fen", changed(patch, "price_fen", 0), 422, "validation_error"),
            ("empty name", changed(patch, "name", ""), 422, "validation_error"),
            ("name too long", changed(patch, "name", "长" * 101), 422, "validation_error"),
            ("string for is_active", changed(patch, "is_active", "yes"), 422, "validation_error"),
            ("unknown field", {"colour": "red"}, 422, "validation_error"),
        ]),
        Spec("PATCH /api/v1/flash-sales/{flash_sale_id}", f"/flash-sales/{w.flash_sale_id}", "operator", sale, [
            ("zero per_member_limit", {"per_member_limit": 0}, 422, "validation_error"),
            ("string for quantity", {"quantity": "5"}, 422, "validation_error"),
            ("negative price_fen", {"price_fen": -1}, 422, "validation_error"),
            ("not a time", {"starts_at": "tomorrow morning"}, 422, "validation_error"),
            ("product is not editable", {"product_id": w.other_product_id}, 422, "validation_error"),
        ], ok=(200, 409)),
        Spec("PUT /api/v1/me/pickup-point", "/me/pickup-point", "member", choice, [
            ("unknown pickup_point_id", changed(choice, "pickup_point_id", NOWHERE), 422, "unknown_pickup_point"),
            ("zero pickup_point_id", changed(choice, "pickup_point_id", 0), 422, "validation_error"),
            ("string pickup_point_id", changed(choice, "pickup_point_id", "1"), 422, "validation_error"),
            ("pickup_point_id past BIGINT", changed(choice, "pickup_point_id", TOO_BIG), 422, "validation_error"),
        ]),
    ]


def journey_specs(w: Populated) -> list[Spec]:
    """Journeys (a definition is checked whole: each fault has its own code) and the leader's tasks."""
    body = journey_body(w.coupon_id)
    steps = body["definition"]["steps"]
    cycle = changed(body, "definition.steps.3.next", "coupon")
    branch = {"id": "split", "type": "branch", "paths": [{"percent": 60, "next": None}, {"percent": 30, "next": None}]}
    template = {"template": "welcome_48h", "coupon_template_id": w.coupon_id}
    return [
        Spec("POST /api/v1/journeys", "/journeys", "operator", body, [
            ("a cycle", cycle, 422, "journey_cycle"),
            ("a step leading to itself", changed(body, "definition.steps.1.next", "wait"), 422, "journey_cycle"),
            ("unknown step type", changed(body, "definition.steps.1.type", "sleep"), 422, "journey_unknown_step_type"),
            ("unknown step field", changed(body, "definition.steps.1", {**steps[1], "colour": "red"}), 422,
             "journey_unknown_field"),
            ("missing target", changed(body, "definition.steps.1.next", "nowhere"), 422, "journey_missing_target"),
            ("missing start", changed(body, "definition", {**body["definition"], "start": "nowhere"}), 422,
             "journey_missing_target"),
            ("unreachable step", changed(body, "definition.steps.2.if_false", None), 422, "journey_unreachable_step"),
            ("duplicate step id", changed(body, "definition.steps.3.id", "wait"), 422, "journey_duplicate_step"),
            ("unknown trigger topic", changed(body, "definition.trigger.topic", "moon.rose"), 422,
             "journey_unknown_trigger"),
            ("unknown trigger filter", changed(body, "definition.trigger", {"kind": "event", "topic": "order.paid",
                                                                           "filter": {"colour": 1}}), 422,
             "journey_unknown_field"),
            ("unknown action", changed(body, "definition.steps.3.action", "teleport"), 422, "journey_unknown_action"),
            ("unknown check", changed(body, "definition.steps.2.check", {"kind": "is_happy"}), 422,
             "journey_unknown_condition"),
            ("wait of nothing", changed(body, "definition.steps.1", {"id": "wait", "type": "wait", "next": "ordered"}),
             422, "journey_missing_field"),
            ("wait until 25:00", changed(body, "definition.steps.1.until", "25:00"), 422, "journey_bad_value"),
            ("negative points", changed(body, "definition.steps.3.amount", -5), 422, "journey_bad_value"),
            ("string points", changed(body, "definition.steps.3.amount", "50"), 422, "journey_bad_value"),
            ("branch not adding up", changed(body, "definition.steps", [branch]), 422, "journey_bad_value"),
            ("no steps", changed(body, "definition.steps", []), 422, "journey_bad_value"),
            ("a coupon of nobody's", changed(body, "definition.steps.0.template_id", NOWHERE), 422,
             "unknown_coupon_template"),
            ("definition a list", changed(body, "definition", [steps]), 422, "validation_error"),
            ("empty name", changed(body, "name", ""), 422, "validation_error"),
            ("conversion_days 0", {**body, "conversion_days": 0}, 422, "validation_error"),
        ]),
        Spec("POST /api/v1/journeys/from-template", "/journeys/from-template", "operator", template, [
            ("unknown template", changed(template, "template", "moon_landing"), 422, "unknown_journey_template"),
            ("template code with capitals", changed(template, "template", "WELCOME"), 422, "validation_error"),
            ("no coupon for the welcome", without(template, "coupon_template_id"), 422,
             "journey_template_param_missing"),
            ("a coupon of nobody's", changed(template, "coupon_template_id", NOWHERE), 422, "unknown_coupon_template"),
            ("string coupon id", changed(template, "coupon_template_id", "1"), 422, "validation_error"),
        ]),
        Spec("PATCH /api/v1/journeys/{journey_id}", f"/journeys/{w.journey_id}", "operator", {"name": "新人欢迎"}, [
            ("a cycle", {"definition": cycle["definition"]}, 422, "journey_cycle"),
            ("empty name", {"name": ""}, 422, "validation_error"),
            ("conversion_days 91", {"conversion_days": 91}, 422, "validation_error"),
        ]),
        Spec("POST /api/v1/leader/tasks/{leader_task_id}/done", f"/leader/tasks/{w.leader_task_id}/done", "leader",
             {"note": "已电话回访"}, [
                 ("overlong note", {"note": "长" * 501}, 422, "validation_error"),
                 ("number for note", {"note": 5}, 422, "validation_error"),
             ]),
    ]


def messaging_specs(w: Populated) -> list[Spec]:
    """Messages: the operator's sends and settings, the member's preferences."""
    send = message_body([w.member_id], "marketing")
    settings = messaging_settings_body()
    prefs = {"marketing": False, "sms": True, "wechat": True}
    return [
        Spec("POST /api/v1/messages", "/messages", "operator", send, [
            ("unknown member", changed(send, "member_ids", [w.member_id, NOWHERE]), 422, "unknown_member"),
            ("no members", changed(send, "member_ids", []), 422, "validation_error"),
            ("501 members", changed(send, "member_ids", [w.member_id] * 501), 422, "validation_error"),
            ("string member id", changed(send, "member_ids", ["1"]), 422, "validation_error"),
            ("member id past BIGINT", changed(send, "member_ids", [TOO_BIG]), 422, "validation_error"),
            ("unknown category", changed(send, "category", "spam"), 422, "validation_error"),
            ("unknown channel", {**send, "channels": ["fax"]}, 422, "validation_error"),
            ("no channels", {**send, "channels": []}, 422, "validation_error"),
            ("empty title", changed(send, "title", " "), 422, "validation_error"),
            ("overlong title", changed(send, "title", "长" * 101), 422, "validation_error"),
            ("overlong body", changed(send, "body", "长" * 1001), 422, "validation_error"),
            ("javascript link", {**send, "link": "javascript:alert(1)"}, 422, "validation_error"),
            ("http link", {**send, "link": "http://example.com"}, 422, "validation_error"),
        ]),
        Spec("PUT /api/v1/messaging/settings", "/messaging/settings", "operator", settings, [
            ("quiet_start 24:00", changed(settings, "quiet_start", "24:00"), 422, "validation_error"),
            ("quiet_end 8:00", changed(settings, "quiet_end", "8:00"), 422, "validation_error"),
            ("negative cap", changed(settings, "marketing_daily_cap", -1), 422, "validation_error"),
            ("string cap", changed(settings, "marketing_daily_cap", "2"), 422, "validation_error"),
            ("weekly below daily", changed(settings, "marketing_weekly_cap", 1), 422, "weekly_cap_below_daily"),
            ("unknown timezone", {**settings, "timezone": "Mars/Olympus"}, 422, "unknown_timezone"),
            ("path as timezone", {**settings, "timezone": "../../etc/passwd"}, 422, "unknown_timezone"),
            ("regex as fail pattern", {**settings, "sandbox_sms_fail_pattern": "(a+)+$"}, 422, "validation_error"),
        ]),
        Spec("PUT /api/v1/me/message-preferences", "/me/message-preferences", "member", prefs, [
            ("string marketing", changed(prefs, "marketing", "no"), 422, "validation_error"),
            ("number sms", changed(prefs, "sms", 0), 422, "validation_error"),
        ]),
    ]


def audience_specs(w: Populated) -> list[Spec]:
    """Tags (the rule language) and segments (boolean combinations of tags): 422 with the rule's own codes."""
    tag = {"code": "fresh_fan", "name": "生鲜达人", "rule": "fresh_share > 0.5 and orders_90d >= 2"}
    update = {"name": "全部会员", "rule": "days_since_join >= 0"}
    segment = {"name": "生鲜人群", "definition": {"and": [{"tag": "any"}, {"not": {"tag": "any"}}]}}
    own = {"name": "全部会员", "definition": {"tag": "any"}}  # the populated segment's own name
    rule_cases = [
        ("unknown field", "spend_forever > 3", 422, "unknown_tag_field"),
        ("unknown operator", "orders_90d ~ 3", 422, "unknown_tag_operator"),
        ("word as operator", "orders_90d like 3", 422, "unknown_tag_operator"),
        ("text against a number", 'orders_90d >= "三"', 422, "tag_type_mismatch"),
        ("number against a text", "building == 3", 422, "tag_type_mismatch"),
        ("order on a text", 'building > "3幢"', 422, "tag_type_mismatch"),
        ("unknown category", 'category_share("月球土壤") > 0.1', 422, "unknown_category"),
        ("unclosed bracket", "(orders_90d >= 3", 422, "tag_rule_syntax"),
        ("dangling and", "orders_90d >= 3 and", 422, "tag_rule_syntax"),
        ("empty rule", "   ", 422, "empty_tag_rule"),
        ("too deep", "not " * 30 + "orders_90d > 1", 422, "tag_rule_too_complex"),
        ("too long", "orders_90d > 1 or " * 150 + "orders_90d > 1", 422, "validation_error"),
        ("number for a rule", 3, 422, "validation_error"),
    ]
    definition_cases = [
        ("empty definition", {}, 422, "empty_segment"),
        ("and of nothing", {"and": []}, 422, "empty_segment"),
        ("unknown tag", {"tag": "nobody_has_this"}, 422, "unknown_tag"),
        ("two keys", {"tag": "any", "not": {"tag": "any"}}, 422, "invalid_segment_definition"),
        ("unknown key", {"xor": [{"tag": "any"}]}, 422, "invalid_segment_definition"),
        ("and of a text", {"and": "any"}, 422, "invalid_segment_definition"),
        ("tag as a number", {"tag": 1}, 422, "unknown_tag"),
    ]
    return [
        Spec("POST /api/v1/tags", "/tags", "operator", tag, [
            *((label, changed(tag, "rule", rule), status, code) for label, rule, status, code in rule_cases),
            ("bad code", changed(tag, "code", "生鲜"), 422, "validation_error"),
            ("code with a capital", changed(tag, "code", "Fresh"), 422, "validation_error"),
            ("blank name", changed(tag, "name", " "), 422, "validation_error"),
            ("overlong name", changed(tag, "name", "长" * 41), 422, "validation_error"),
            ("code taken", changed(tag, "code", "any"), 409, "tag_code_taken"),
        ]),
        Spec("POST /api/v1/tags/preview", "/tags/preview", "operator", {"rule": tag["rule"]}, [
            (label, {"rule": rule}, status, code) for label, rule, status, code in rule_cases]),
        Spec("PUT /api/v1/tags/{tag_id}", f"/tags/{w.tag_id}", "operator", update, [
            *((label, changed(update, "rule", rule), status, code) for label, rule, status, code in rule_cases),
            ("code given", {**update, "code": "other"}, 422, "validation_error"),
        ]),
        Spec("POST /api/v1/segments", "/segments", "operator", segment, [
            *((label, changed(segment, "definition", d), status, code) for label, d, status, code in definition_cases),
            ("definition a list", changed(segment, "definition", [{"tag": "any"}]), 422, "validation_error"),
            ("name taken", changed(segment, "name", "全部会员"), 409, "segment_name_taken"),
        ]),
        Spec("POST /api/v1/segments/preview", "/segments/preview", "operator", {"definition": {"tag": "any"}}, [
            (label, {"definition": d}, status, code) for label, d, status, code in definition_cases]),
        Spec("PUT /api/v1/segments/{segment_id}", f"/segments/{w.audience_segment_id}", "operator", own, [
            (label, changed(own, "definition", d), status, code) for label, d, status, code in definition_cases]),
    ]
