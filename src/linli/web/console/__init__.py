"""The operator console (运营后台) under /console: one module per page group."""

from __future__ import annotations

from fastapi import FastAPI

from linli.core.routing import face
from linli.web.console import (
    alert_pages,
    audience_pages,
    batch_pages,
    calendar_pages,
    catalog,
    communities,
    content_pages,
    coupons,
    crisis_pages,
    delivery_pages,
    experiment_pages,
    feedback_faq_pages,
    feedback_pages,
    flashsale_actions,
    flashsales,
    groupbuys,
    home,
    insight_pages,
    journeys,
    leader_applications,
    leaders,
    localservice_pages,
    locker_pages,
    login,
    member_detail,
    members,
    messaging,
    moderation_pages,
    order_actions,
    orders,
    packing_pages,
    pickup_pages,
    pilot_pages,
    points_rules,
    predictions,
    product_pages,
    scenario_campaigns,
    stages,
    tiers,
    withdrawals,
)
from linli.web.form_text import FORM_TEXT


def install(app: FastAPI) -> None:
    modules = (login, home, orders, flashsales, groupbuys, catalog, members, member_detail, communities,
               points_rules, tiers, coupons, stages, journeys, leader_applications, leaders, withdrawals,
               messaging, predictions, audience_pages,
               # after the lists: /products/{id} must not catch a list's own paths (e.g. an export)
               product_pages, order_actions, flashsale_actions,
               scenario_campaigns, experiment_pages, pilot_pages,
               alert_pages, crisis_pages, calendar_pages, batch_pages, moderation_pages, content_pages,
               feedback_faq_pages, feedback_pages,  # FAQ first: /feedback/faq is not a ticket id
               pickup_pages, locker_pages, packing_pages, delivery_pages, insight_pages, localservice_pages)
    app.include_router(face("/console", [m.router for m in modules], include_in_schema=False,
                            dependencies=FORM_TEXT))
