"""The operator console (运营后台) under /console: one module per page group."""

from __future__ import annotations

from fastapi import FastAPI

from linli.web.console import (
    catalog,
    communities,
    coupons,
    flashsales,
    groupbuys,
    guard,
    home,
    login,
    member_detail,
    members,
    orders,
    points_rules,
    stages,
    tiers,
)


def install(app: FastAPI) -> None:
    for module in (login, home, orders, flashsales, groupbuys, catalog, members, member_detail, communities,
                   points_rules, tiers, coupons, stages):
        app.include_router(module.router, prefix="/console", include_in_schema=False)
    guard.install(app)
