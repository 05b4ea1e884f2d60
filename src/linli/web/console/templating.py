"""Jinja2 set-up for the console, and the helpers every page uses to answer."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.templating import Jinja2Templates
from starlette.responses import Response

from linli.core import clock
from linli.core.money import yuan
from linli.web import leader_labels
from linli.web.console import labels

templates = Jinja2Templates(directory=Path(__file__).resolve().parents[1] / "templates")
PAGE_SIZE = 20


def local_time(at: datetime | None, fmt: str = "%Y-%m-%d %H:%M:%S") -> str:
    """An instant shown in Asia/Shanghai time; '—' when there is none."""
    return clock.local(at).strftime(fmt) if at is not None else "—"


templates.env.filters.update(yuan=yuan, local_time=local_time, status_label=labels.status,
                             role_label=labels.role, action_label=labels.action,
                             detail_text=labels.detail, stage_label=labels.stage, tier_label=labels.tier,
                             points_kind=labels.points_kind, coupon_status=labels.coupon_status,
                             coupon_source=labels.coupon_source, stage_reason=labels.stage_reason,
                             tier_reason=labels.tier_reason, benefits=labels.benefits,
                             points_reference=labels.points_reference)
leader_labels.install(templates.env)


def render(request: Request, name: str, status_code: int = 200, **context: Any) -> Response:
    return templates.TemplateResponse(request, name, context, status_code=status_code)


def is_partial(request: Request) -> bool:
    """An htmx request wants only the fragment; a history restore wants the whole page."""
    return bool(request.headers.get("HX-Request")) and not request.headers.get("HX-History-Restore-Request")


def is_id(text: str) -> bool:
    """ASCII digits that fit a BIGINT ('²'.isdigit() is true, yet int('²') fails)."""
    return text.isascii() and text.isdigit() and len(text) <= 18


def cursor_param(cursor: str) -> str | None:
    """A well-formed cursor (an id), or None for the first page."""
    return cursor if is_id(cursor) else None


def page_url(path: str, **params: str | int | None) -> str:
    """A link to `path` with the non-empty query parameters."""
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    return f"{path}?{query}" if query else path
