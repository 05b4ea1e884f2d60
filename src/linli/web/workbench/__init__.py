"""The leader workbench (团长作战室) under /w: phone-sized pages, one module per page group."""

from __future__ import annotations

from fastapi import FastAPI

from linli.web.workbench import calendar, commission, guard, home, login, materials, members, orders


def install(app: FastAPI) -> None:
    for module in (login, home, orders, members, materials, calendar, commission):
        app.include_router(module.router, prefix="/w", include_in_schema=False)
    guard.install(app)
