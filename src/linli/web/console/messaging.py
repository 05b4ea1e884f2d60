"""消息触达: the delivery log (filters, pages, export) with a form to send one message to members, and the
messaging settings (quiet hours, marketing caps, SMS signature, sandbox failures)."""

from __future__ import annotations

import re
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from linli.core.errors import Invalid
from linli.core.http import Db
from linli.core.schemas import PageSearch
from linli.core.security import Principal
from linli.messaging import listing as delivery_listing
from linli.messaging import log, service
from linli.messaging.schemas import SendIn, SettingsIn
from linli.web import message_labels as words
from linli.web.console import listing
from linli.web.console.guard import ConsoleOperator
from linli.web.console.listing import Column, ListView, Source
from linli.web.console.loyalty_forms import Fields
from linli.web.console.templating import render, templates

router = APIRouter()
words.install(templates.env)
VIEW = ListView(
    "/console/messages", "消息触达", "消息发送记录", date_label="创建时间", statuses=words.STATUSES,
    search="会员ID或来源",
    columns=[
        Column("记录ID", lambda d, x: d.id),
        Column("会员ID", lambda d, x: d.member_id),
        Column("渠道", lambda d, x: words.CHANNELS.get(d.channel, d.channel)),
        Column("类型", lambda d, x: words.CATEGORIES.get(d.category, d.category)),
        Column("标题", lambda d, x: d.title),
        Column("状态", lambda d, x: words.STATUSES.get(d.status, d.status)),
        Column("原因", lambda d, x: words.REASONS.get(d.reason, d.reason) if d.reason else ""),
        Column("来源", lambda d, x: words.source(d.source)),
        Column("服务商消息ID", lambda d, x: d.provider_message_id or ""),
        Column("创建时间", lambda d, x: d.created_at),
        Column("计划发送", lambda d, x: d.due_at),
        Column("发送时间", lambda d, x: d.sent_at),
    ])
SOURCE = Source(delivery_listing.page, delivery_listing.export)
_IDS = re.compile(r"[\s,，、]+")
BLANK = {"member_ids": "", "category": "service", "title": "", "body": "", "link": "", "channel_inbox": "on"}


@router.get("/messages")
def delivery_log(request: Request, p: ConsoleOperator, s: Db, q: PageSearch = "", sent: str = "") -> Response:
    return _log(request, p, s, q, BLANK, {}, sent=sent)


def _log(request: Request, p: Principal, s: Db, q: str, values: dict[str, str], errors: dict[str, str], *,
         sent: str = "", status_code: int = 200) -> Response:
    return listing.answer(request, p, s, VIEW, listing.read(request, VIEW, q), SOURCE,
                          template="console/messages.html", table="console/_messages_table.html", nav="messages",
                          status_code=status_code, values=values, errors=errors,
                          sent=sent if sent.isascii() and sent.isdigit() else "",
                          channels=words.CHANNELS, categories=words.CATEGORIES)


@router.post("/messages")
def send_message(request: Request, p: ConsoleOperator, s: Db, fields: Fields) -> Response:
    errors: dict[str, str] = {}
    data = _read_send(fields, errors)
    if data is not None:
        try:
            out = log.send(s, p, data)
        except Invalid as exc:
            s.rollback()
            if exc.code == "unknown_member":
                errors["member_ids"] = "会员不存在（只能发给本租户的会员）。"
            else:
                errors["form"] = "内容不合法。"
        else:
            return RedirectResponse(f"/console/messages?sent={len(out.deliveries)}", status_code=303)
    return _log(request, p, s, "", fields, errors, status_code=422)


def _read_send(f: dict[str, str], errors: dict[str, str]) -> SendIn | None:
    ids = [t for t in _IDS.split(f.get("member_ids", "").strip()) if t]
    if not ids or not all(t.isascii() and t.isdigit() and len(t) <= 18 for t in ids):
        errors["member_ids"] = "请填写会员ID，多个用逗号分隔。"
    channels = [c for c in words.CHANNELS if f.get(f"channel_{c}") == "on"]
    if not channels:
        errors["channels"] = "请至少选择一个渠道。"
    if not f.get("title", "").strip():
        errors["title"] = "请填写标题（100 字以内）。"
    if not f.get("body", "").strip():
        errors["body"] = "请填写内容。"
    if errors:
        return None
    try:
        return SendIn.model_validate({"member_ids": [int(t) for t in ids], "category": f.get("category", ""),
                                      "title": f["title"], "body": f["body"],
                                      "link": f.get("link", "").strip() or None, "channels": channels})
    except ValidationError as exc:
        where = {str(e["loc"][0]) for e in exc.errors() if e["loc"]}
        for name, text in (("member_ids", "一次最多发给 500 位会员。"), ("category", "请选择消息类型。"),
                           ("title", "标题最多 100 字。"), ("body", "内容最多 1000 字。"),
                           ("link", "链接须是会员端页面（以 /m/ 开头）或加密网址。")):
            if name in where:
                errors[name] = text
        errors.setdefault("form", "请修改标红的内容后再提交。")
        return None


# --- settings --------------------------------------------------------------------------------------------------

SETTINGS_PATH = "/console/messaging/settings"


def _values(out: Any) -> dict[str, str]:
    v = {k: "" if val is None else str(val) for k, val in out.model_dump().items()}
    v["quiet_hours_enabled"] = "on" if out.quiet_hours_enabled else ""
    return v


@router.get("/messaging/settings")
def settings_page(request: Request, p: ConsoleOperator, s: Db, saved: str = "") -> Response:
    return _settings(request, p, _values(service.settings_out(s, p.tenant_id)), {}, saved=saved == "1")


@router.post("/messaging/settings")
def save_settings(request: Request, p: ConsoleOperator, s: Db, fields: Fields) -> Response:
    errors: dict[str, str] = {}
    caps = {}
    for name in ("marketing_daily_cap", "marketing_weekly_cap"):
        text = fields.get(name, "").strip()
        if not (text.isascii() and text.isdigit() and int(text) <= 100):
            errors[name] = "请填写 0 到 100 的整数。"
        else:
            caps[name] = int(text)
    if not errors:
        try:
            data = SettingsIn(
                quiet_hours_enabled=fields.get("quiet_hours_enabled") == "on",
                quiet_start=fields.get("quiet_start", ""), quiet_end=fields.get("quiet_end", ""),
                timezone=fields.get("timezone", "").strip() or "Asia/Shanghai",
                sms_signature=fields.get("sms_signature", "").strip() or "邻里",
                sandbox_sms_fail_pattern=fields.get("sandbox_sms_fail_pattern", "").strip() or None,
                sandbox_wechat_fail_pattern=fields.get("sandbox_wechat_fail_pattern", "").strip() or None, **caps)
            service.save_settings(s, p.tenant_id, data)
        except ValidationError as exc:
            for e in exc.errors():
                errors[str(e["loc"][0]) if e["loc"] else "form"] = "格式不正确。"
        except Invalid as exc:
            s.rollback()
            errors["marketing_weekly_cap" if exc.code == "weekly_cap_below_daily" else "timezone"] = (
                "每周上限不能小于每日上限。" if exc.code == "weekly_cap_below_daily" else "时区不存在。")
    if errors:
        return _settings(request, p, fields, errors, status_code=422)
    return RedirectResponse(f"{SETTINGS_PATH}?saved=1", status_code=303)


def _settings(request: Request, p: Principal, values: dict[str, str], errors: dict[str, str], *,
              saved: bool = False, status_code: int = 200) -> Response:
    return render(request, "console/messaging_settings.html", status_code=status_code, p=p,
                  nav="messaging_settings", title="消息设置", values=values, errors=errors, saved=saved)
