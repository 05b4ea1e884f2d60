"""场景活动 (scenario campaigns): the list with a month calendar and the create form; one campaign's page with
its sending figures, the draft editor, 发布 / 取消, an A/B test and a pilot to add. (The flash-sale and
group-buy "campaign" pages are others: campaign_forms.py, flashsales.py, groupbuys.py.)"""

from __future__ import annotations

from calendar import monthrange
from datetime import date, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from linli.audience import service as audience
from linli.calendar import service as community_calendar
from linli.campaign import service as campaigns
from linli.campaign.schemas import CampaignIn, CampaignOut, CampaignPatch
from linli.community import service as community
from linli.core import clock
from linli.core.errors import Conflict, Invalid, NotFound
from linli.core.http import Db
from linli.core.security import Principal
from linli.coupon import service as coupons
from linli.web.console import campaign_forms as forms
from linli.web.console.guard import ConsoleOperator
from linli.web.console.templating import is_id, render

router = APIRouter()
Text = Annotated[str, Form(max_length=100)]
LongText = Annotated[str, Form(max_length=1000)]
STATUS = {"draft": "草稿", "scheduled": "待开始", "running": "进行中", "ended": "已结束", "cancelled": "已取消"}
LINKS = {"": "不附链接", "product": "商品", "group_buy": "拼团", "flash_sale": "秒杀"}
ERRORS = {
    "unknown_segment": ("segment_id", "所选人群不存在。"),
    "invalid_window": ("ends_at", "结束时间须晚于开始时间，且活动最长 92 天。"),
    "window_overlaps": ("starts_at", "同一人群在这段时间已有活动，请错开时间。"),
    "unknown_link_target": ("link_id", "链接的商品/拼团/秒杀不存在。"),
    "unknown_coupon_template": ("coupon_template_id", "所选优惠券不存在。"),
    "unknown_community": ("form", "所选小区不存在。"),
    "campaign_not_draft": ("form", "只有草稿可以修改。"),
}
ACTION_ERRORS = {"campaign_already_launched": "活动已发布，不能重复发布。",
                 "campaign_window_over": "活动时间已过，无法发布。",
                 "campaign_bad_transition": "活动已结束或已取消。", "unknown_segment": "目标人群已不存在。"}
FIELDS = ("name", "scenario", "segment_id", "starts_at", "ends_at", "title", "body", "link_kind", "link_id",
          "coupon_template_id")


def status_label(code: str) -> str:
    return STATUS.get(code, code)


def _choices(s: Session, p: Principal) -> dict[str, Any]:
    items, _ = coupons.search(s, p, True, 200, None)
    return {"segments": [(g.id, g.name, g.members) for g in audience.list_segments(s, p) if not g.archived],
            "coupon_choices": [(c.id, c.name) for c in items], "scenarios": campaigns.SCENARIOS, "links": LINKS}


def _month(text: str) -> date:
    today = clock.local(clock.now()).date().replace(day=1)
    try:
        year, mon = int(text[:4]), int(text[5:7])
        return date(year, mon, 1) if len(text) == 7 and text[4] == "-" and 2000 <= year <= 2100 else today
    except ValueError:
        return today


def _calendar(s: Session, p: Principal, first: date) -> dict[str, Any]:
    """Weeks (Monday first) of days, each with the campaigns running that day."""
    cal = campaigns.calendar(s, p, first.strftime("%Y-%m"))
    names = {c.id: c for c in cal.campaigns}
    last = first.replace(day=monthrange(first.year, first.month)[1])
    marks, announced = community_calendar.marks_between(first, last)  # solar terms, festivals, days off
    lead = first.weekday()
    cells: list[dict[str, Any] | None] = [None] * lead
    for d in cal.days:
        cells.append({"day": int(d.day[-2:]), "date": d.day, "campaigns": [names[i] for i in d.campaigns],
                      "marks": marks.get(date.fromisoformat(d.day), [])})
    cells += [None] * (-len(cells) % 7)
    prev = (first - timedelta(days=1)).replace(day=1)
    nxt = first.replace(day=monthrange(first.year, first.month)[1]) + timedelta(days=1)
    return {"weeks": [cells[i:i + 7] for i in range(0, len(cells), 7)], "label": f"{first.year}年{first.month}月",
            "prev": prev.strftime("%Y-%m"), "next": nxt.strftime("%Y-%m"), "count": len(cal.campaigns),
            "announced": announced}


def _defaults() -> dict[str, str]:
    start = forms.next_minutes(60)
    return {"name": "", "scenario": "mid_autumn", "segment_id": "", "starts_at": forms.local_input(start),
            "ends_at": forms.local_input(start + timedelta(days=7)), "title": "", "body": "",
            "link_kind": "", "link_id": "", "coupon_template_id": ""}


def _list(request: Request, p: Principal, s: Session, month: str, values: dict[str, str],
          errors: forms.FormErrors, status_code: int = 200) -> Response:
    rows, _ = campaigns.search(s, p, None, 200, None)
    return render(request, "console/scenario_campaigns.html", status_code=status_code, p=p,
                  nav="scenario_campaigns", title="场景活动", rows=rows, status_label=status_label,
                  cal=_calendar(s, p, _month(month)), values=values, errors=errors.fields, **_choices(s, p))


@router.get("/scenario-campaigns")
def campaign_list(request: Request, p: ConsoleOperator, s: Db,
                  month: Annotated[str, Query(max_length=7, pattern=r"^[0-9-]*$")] = "") -> Response:
    return _list(request, p, s, month, _defaults(), forms.FormErrors())


def _read(errors: forms.FormErrors, v: dict[str, str]) -> dict[str, Any]:
    """The form as the API's body (times as aware instants); errors per field."""
    out: dict[str, Any] = {"name": v["name"].strip(), "scenario": v["scenario"], "title": v["title"].strip(),
                           "body": v["body"].strip()}
    for name, label in (("name", "活动名称"), ("title", "消息标题"), ("body", "消息内容")):
        if not out[name]:
            errors.add(name, f"请填写{label}。")
    if v["scenario"] not in campaigns.SCENARIOS:
        errors.add("scenario", "请选择场景。")
    if is_id(v["segment_id"]):
        out["segment_id"] = int(v["segment_id"])
    else:
        errors.add("segment_id", "请选择目标人群。")
    out["starts_at"] = forms.local_time(errors, "starts_at", v["starts_at"], "开始时间")
    out["ends_at"] = forms.local_time(errors, "ends_at", v["ends_at"], "结束时间")
    if v["link_kind"]:
        if v["link_kind"] not in LINKS or not is_id(v["link_id"]):
            errors.add("link_id", "请填写链接的编号。")
        else:
            out["link"] = {"kind": v["link_kind"], "id": int(v["link_id"])}
    else:
        out["link"] = None
    out["coupon_template_id"] = int(v["coupon_template_id"]) if is_id(v["coupon_template_id"]) else None
    return out


def _apply_error(errors: forms.FormErrors, exc: Invalid | Conflict) -> None:
    field, message = ERRORS.get(exc.code, ("form", "保存失败，请检查填写的内容。"))
    errors.add(field, message)


@router.post("/scenario-campaigns")
def create_campaign(request: Request, p: ConsoleOperator, s: Db, name: Text = "", scenario: Text = "",
                    segment_id: Text = "", starts_at: Text = "", ends_at: Text = "", title: Text = "",
                    body: LongText = "", link_kind: Text = "", link_id: Text = "",
                    coupon_template_id: Text = "") -> Response:
    values = dict(zip(FIELDS, (name, scenario, segment_id, starts_at, ends_at, title, body, link_kind, link_id,
                               coupon_template_id), strict=True))
    errors = forms.FormErrors()
    data = _read(errors, values)
    if not errors:
        try:
            made = campaigns.create(s, p, CampaignIn.model_validate(data, strict=False))
            return RedirectResponse(f"/console/scenario-campaigns/{made.id}", status_code=303)
        except (Invalid, Conflict) as exc:
            s.rollback()
            _apply_error(errors, exc)
        except ValidationError:
            errors.add("form", "填写的内容不完整或过长。")
    return _list(request, p, s, "", values, errors, status_code=422)


def _not_found(request: Request, p: Principal, what: str) -> Response:
    return render(request, "console/not_found.html", status_code=404, p=p, nav="scenario_campaigns",
                  title="未找到", message=f"场景活动 {what} 不存在。", back_url="/console/scenario-campaigns")


def _load(s: Session, p: Principal, campaign_id: str) -> CampaignOut:
    if not is_id(campaign_id):
        raise NotFound("campaign not found", code="campaign_not_found")
    return campaigns.get(s, p, int(campaign_id))


def _values_of(c: CampaignOut) -> dict[str, str]:
    return {"name": c.name, "scenario": c.scenario, "segment_id": str(c.segment_id),
            "starts_at": forms.local_input(c.starts_at), "ends_at": forms.local_input(c.ends_at), "title": c.title,
            "body": c.body, "link_kind": c.link.kind if c.link else "", "link_id": str(c.link.id) if c.link else "",
            "coupon_template_id": str(c.coupon_template_id or "")}


def _detail(request: Request, p: Principal, s: Session, c: CampaignOut, values: dict[str, str] | None = None,
            errors: forms.FormErrors | None = None, notice: str | None = None, status_code: int = 200) -> Response:
    segment = next((g for g in audience.list_segments(s, p) if g.id == c.segment_id), None)
    communities, _ = community.search_communities(s, p, None, 200, None)
    return render(request, "console/scenario_campaign_detail.html", status_code=status_code, p=p,
                  nav="scenario_campaigns", title=c.name, c=c, status=status_label(c.status),
                  segment=segment, values=values or _values_of(c), errors=(errors or forms.FormErrors()).fields,
                  notice=notice, communities=communities, **_choices(s, p))


@router.get("/scenario-campaigns/{campaign_id}")
def campaign_detail(request: Request, p: ConsoleOperator, s: Db, campaign_id: str) -> Response:
    try:
        c = _load(s, p, campaign_id)
    except NotFound:
        return _not_found(request, p, campaign_id)
    return _detail(request, p, s, c)


@router.post("/scenario-campaigns/{campaign_id}/edit")
def edit_campaign(request: Request, p: ConsoleOperator, s: Db, campaign_id: str, name: Text = "",
                  scenario: Text = "", segment_id: Text = "", starts_at: Text = "", ends_at: Text = "",
                  title: Text = "", body: LongText = "", link_kind: Text = "", link_id: Text = "",
                  coupon_template_id: Text = "") -> Response:
    try:
        c = _load(s, p, campaign_id)
    except NotFound:
        return _not_found(request, p, campaign_id)
    values = dict(zip(FIELDS, (name, scenario, segment_id, starts_at, ends_at, title, body, link_kind, link_id,
                               coupon_template_id), strict=True))
    errors = forms.FormErrors()
    data = _read(errors, values)
    if not errors:
        try:
            campaigns.update(s, p, c.id, CampaignPatch.model_validate(data, strict=False))
            return RedirectResponse(f"/console/scenario-campaigns/{c.id}", status_code=303)
        except (Invalid, Conflict) as exc:
            s.rollback()
            _apply_error(errors, exc)
        except ValidationError:
            errors.add("form", "填写的内容不完整或过长。")
    return _detail(request, p, s, c, values, errors, status_code=422)


@router.post("/scenario-campaigns/{campaign_id}/{action}")
def campaign_action(request: Request, p: ConsoleOperator, s: Db, campaign_id: str, action: str) -> Response:
    """发布 (launch) or 取消 (cancel); a refusal is shown on the page."""
    try:
        c = _load(s, p, campaign_id)
    except NotFound:
        return _not_found(request, p, campaign_id)
    try:
        if action == "launch":
            campaigns.launch(s, p, c.id)
        elif action == "cancel":
            campaigns.cancel(s, p, c.id)
        else:
            return _not_found(request, p, campaign_id)
    except (Conflict, Invalid) as exc:
        s.rollback()
        return _detail(request, p, s, campaigns.get(s, p, c.id), notice=ACTION_ERRORS.get(exc.code, "操作未成功。"),
                       status_code=409)
    return RedirectResponse(f"/console/scenario-campaigns/{c.id}", status_code=303)
