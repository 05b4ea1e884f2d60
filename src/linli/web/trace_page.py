"""The public trace page (/t/{token}): what the QR code on a product's label opens. No login: the token is
random and unguessable. Shows the product, its origin and the batch's entries, and whether the chain verifies."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, FastAPI, Request
from fastapi.templating import Jinja2Templates
from starlette.responses import Response

from linli.core import clock
from linli.core.http import Db
from linli.traceability import service

templates = Jinja2Templates(directory=Path(__file__).resolve().parent / "templates")
templates.env.filters["local_time"] = lambda at, fmt="%Y-%m-%d %H:%M": clock.local(at).strftime(fmt) if at else "—"
router = APIRouter(include_in_schema=False)


@router.get("/t/{token}")
def trace(token: str, request: Request, s: Db) -> Response:
    batch = service.public_trace(s, token)
    headers = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}  # the token is the key
    if batch is None:
        return templates.TemplateResponse(request, "trace.html", {"batch": None}, status_code=404, headers=headers)
    return templates.TemplateResponse(request, "trace.html", {"batch": batch}, headers=headers)


def install(app: FastAPI) -> None:
    app.include_router(router)
