"""The member app (会员 H5) under /m: mobile web pages, one module per page group."""

from __future__ import annotations

from fastapi import FastAPI

from linli.core.routing import face
from linli.web.form_text import FORM_TEXT
from linli.web.member import (
    aftersale,
    cart,
    checkins,
    checkout,
    community,
    community_calendar,
    coupons,
    delivery_pages,
    feedback,
    flashsales,
    groupbuys,
    groups,
    home,
    inbox,
    invite,
    localservice_pages,
    locker_pages,
    login,
    me,
    orders,
    pickup_pages,
    polls,
    products,
    recommended,
)


def install(app: FastAPI) -> None:
    modules = (login, home, flashsales, groupbuys, groups, orders, invite, me, coupons, checkins, products, cart,
               checkout, aftersale, inbox, community_calendar, community, polls,
               recommended, feedback,
               pickup_pages, locker_pages, delivery_pages, localservice_pages)
    app.include_router(face("/m", [m.router for m in modules], include_in_schema=False,
                            dependencies=FORM_TEXT))
