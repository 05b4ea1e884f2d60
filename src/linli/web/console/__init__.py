"""The operator console (运营后台) under /console: one module per page group."""

from __future__ import annotations

from fastapi import FastAPI

from linli.web.console import catalog, communities, flashsales, groupbuys, guard, home, login, members, orders


def install(app: FastAPI) -> None:
    for module in (login, home, orders, flashsales, groupbuys, catalog, members, communities):
        app.include_router(module.router, prefix="/console", include_in_schema=False)
    guard.install(app)
