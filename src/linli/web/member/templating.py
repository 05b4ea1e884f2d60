"""Jinja2 set-up for the member app (H5), and the filters its pages use."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates
from starlette.responses import Response

from linli.core import clock
from linli.core.money import yuan
from linli.web import leader_labels
from linli.web.console import labels

templates = Jinja2Templates(directory=Path(__file__).resolve().parents[1] / "templates")
PAGE_SIZE = 20


def local_time(at: datetime | None, fmt: str = "%m-%d %H:%M") -> str:
    """An instant in Asia/Shanghai time; '—' when there is none."""
    return clock.local(at).strftime(fmt) if at is not None else "—"


def epoch_ms(at: datetime) -> int:
    """For the countdowns: milliseconds since the epoch (the browser corrects for its own clock)."""
    return int(clock.as_utc(at).timestamp() * 1000)


def left(at: datetime) -> str:
    """Time from now until `at` as the countdown shows it: '1天 02:03:04' or '02:03:04'."""
    seconds = max(0, int((clock.as_utc(at) - clock.now()).total_seconds()))
    days, rest = divmod(seconds, 86400)
    clock_text = f"{rest // 3600:02d}:{rest % 3600 // 60:02d}:{rest % 60:02d}"
    return f"{days}天 {clock_text}" if days else clock_text


def mask(name: str) -> str:
    """A neighbour's name as other members see it: the first character only, e.g. '王**'."""
    return f"{name[:1]}**" if name else "邻居"


def percent(part: int, whole: int) -> int:
    """Whole percent for bar widths, 0–100."""
    return max(0, min(100, part * 100 // whole)) if whole > 0 else 0


templates.env.filters.update(yuan=yuan, local_time=local_time, epoch_ms=epoch_ms, left=left, mask=mask,
                             status_label=labels.status, action_label=labels.action, detail_text=labels.detail,
                             group_status=labels.group_status, group_action=labels.group_action,
                             sale_status=labels.flash_sale_status, source_label=labels.source,
                             stage_label=labels.stage, points_kind=labels.points_kind,
                             coupon_status=labels.coupon_status, benefits=labels.benefits,
                             discount=labels.discount)
templates.env.globals.update(percent=percent)
leader_labels.install(templates.env)


def render(request: Request, name: str, status_code: int = 200, **context: Any) -> Response:
    context.setdefault("now_ms", epoch_ms(clock.now()))
    response = templates.TemplateResponse(request, name, context, status_code=status_code)
    response.headers["Cache-Control"] = "no-store"  # figures and countdowns are live
    return response
