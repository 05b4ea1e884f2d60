"""The leader workbench (团长作战室) under /w: phone-sized pages, one module per page group."""

from __future__ import annotations

from fastapi import FastAPI

from linli.core.routing import face
from linli.web.form_text import FORM_TEXT
from linli.web.workbench import (
    calendar,
    commission,
    community_calendar,
    delivery_pages,
    feedback,
    home,
    locker_pages,
    login,
    materials,
    members,
    orders,
    packing_pages,
    tasks,
    training,
)


def install(app: FastAPI) -> None:
    modules = (login, home, orders, members, materials, calendar, community_calendar, commission, training,
               tasks, feedback,
               locker_pages, packing_pages, delivery_pages)
    app.include_router(face("/w", [m.router for m in modules], include_in_schema=False,
                            dependencies=FORM_TEXT))
