"""Scenario campaigns (场景活动): drafts checked whole (segment, window, link, coupon), launch, cancel, the
month calendar, and the entry points of the sender (sending.py) for the handlers and the due job.

States: draft -> scheduled (launched before its start) -> running -> ended; draft/scheduled/running ->
cancelled. Launch only moves the state and emits `campaign.send`; the members are written and sent to in
batches by the outbox handler and the due job, never in the request."""

from __future__ import annotations

from calendar import monthrange
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from linli.campaign import audiences, sending
from linli.campaign import repository as repo
from linli.campaign.schemas import (
    CalendarDayOut,
    CalendarEntryOut,
    CalendarOut,
    CampaignIn,
    CampaignOut,
    CampaignPatch,
    LinkIn,
    LinkOut,
    SendingOut,
)
from linli.catalog import service as catalog
from linli.community import service as community
from linli.core import clock
from linli.core.errors import Conflict, Invalid, NotFound
from linli.core.outbox import emit
from linli.core.pagination import fetch_page
from linli.core.security import Principal
from linli.coupon import service as coupons
from linli.flashsale import service as flashsales
from linli.groupbuy import service as groupbuys
from linli.models import ScenarioCampaign

SCENARIOS = {"back_to_school": "开学季", "spring_festival": "春节", "lantern_festival": "元宵节",
             "dragon_boat": "端午节", "mid_autumn": "中秋节", "national_day": "国庆节",
             "water_outage": "停水通知", "power_outage": "停电通知", "custom": "自定义"}
MAX_DAYS = 92  # a campaign is a season at most


# --- checks -----------------------------------------------------------------------------------

def check_window(start: datetime, end: datetime, code: str = "invalid_window") -> None:
    if end <= start:
        raise Invalid("ends_at must be after starts_at", code=code)
    if end - start > timedelta(days=MAX_DAYS):
        raise Invalid(f"a window is at most {MAX_DAYS} days", code=code)


def _check_link(s: Session, p: Principal, link: LinkIn | None) -> None:
    if link is None:
        return
    try:
        if link.kind == "product":
            catalog.brief(s, p.tenant_id, link.id)
        elif link.kind == "group_buy":
            groupbuys.get(s, p, link.id)
        else:
            flashsales.get(s, p, link.id)
    except (NotFound, Invalid) as exc:  # the catalogue answers unknown_product, the campaigns 404
        raise Invalid(f"{link.kind} {link.id} not found", code="unknown_link_target") from exc


def check_coupon(s: Session, tenant_id: int, template_id: int | None) -> None:
    if template_id is None:
        return
    try:
        coupons.require_template(s, tenant_id, template_id)
    except NotFound as exc:
        raise Invalid(f"coupon {template_id} not found", code="unknown_coupon_template") from exc


def check_communities(s: Session, tenant_id: int, ids: list[int] | None) -> list[int] | None:
    if ids is None:
        return None
    for cid in ids:
        community.require_community(s, tenant_id, cid, as_input=True)
    return sorted(set(ids))


def _check_overlap(s: Session, tenant_id: int, segment_id: int, start: datetime, end: datetime,
                   other_than: int | None) -> None:
    clash = repo.overlapping(s, tenant_id, segment_id, start, end, other_than)
    if clash is not None:
        raise Invalid(f"campaign {clash} already reaches this segment in that window", code="window_overlaps")


# --- shapes -----------------------------------------------------------------------------------

def _outs(s: Session, tenant_id: int, rows: list[ScenarioCampaign]) -> list[CampaignOut]:
    ids = [c.id for c in rows]
    counts = repo.sending_counts(s, tenant_id, ids)
    experiments = repo.experiment_ids_of_campaigns(s, tenant_id, ids)
    out = []
    for c in rows:
        n = counts.get(c.id, {})
        url = sending.link(c)
        out.append(CampaignOut(
            id=c.id, name=c.name, scenario=c.scenario, scenario_label=SCENARIOS.get(c.scenario, c.scenario),
            segment_id=c.segment_id, starts_at=c.starts_at, ends_at=c.ends_at, title=c.title, body=c.body,
            link=LinkOut(kind=c.link_kind, id=c.link_id, url=url) if url and c.link_id else None,
            coupon_template_id=c.coupon_template_id, community_ids=c.community_ids, status=c.status,
            experiment_id=experiments.get(c.id), launched_at=c.launched_at, finished_at=c.finished_at,
            created_at=c.created_at,
            sending=SendingOut(recipients=sum(n.values()), pending=n.get("pending", 0), sent=n.get("sent", 0),
                               skipped=n.get("skipped", 0))))
    return out


def out(s: Session, c: ScenarioCampaign) -> CampaignOut:
    return _outs(s, c.tenant_id, [c])[0]


# --- operator actions -------------------------------------------------------------------------

def create(s: Session, p: Principal, data: CampaignIn) -> CampaignOut:
    check_window(data.starts_at, data.ends_at)
    audiences.require_segment(s, p.tenant_id, data.segment_id)
    _check_overlap(s, p.tenant_id, data.segment_id, data.starts_at, data.ends_at, None)
    _check_link(s, p, data.link)
    check_coupon(s, p.tenant_id, data.coupon_template_id)
    scope = check_communities(s, p.tenant_id, data.community_ids)
    now = clock.now()
    c = ScenarioCampaign(
        tenant_id=p.tenant_id, name=data.name, scenario=data.scenario, segment_id=data.segment_id,
        starts_at=data.starts_at, ends_at=data.ends_at, title=data.title, body=data.body,
        link_kind=data.link.kind if data.link else "none", link_id=data.link.id if data.link else None,
        coupon_template_id=data.coupon_template_id, community_ids=scope, status="draft", scope_revision=1,
        built_revision=0, created_at=now, updated_at=now)
    s.add(c)
    s.flush()
    return out(s, c)


def require(s: Session, tenant_id: int, campaign_id: int, lock: bool = False) -> ScenarioCampaign:
    c = repo.campaign(s, tenant_id, campaign_id, lock=lock)
    if c is None:
        raise NotFound("campaign not found", code="campaign_not_found")
    return c


def get(s: Session, p: Principal, campaign_id: int) -> CampaignOut:
    return out(s, require(s, p.tenant_id, campaign_id))


def search(s: Session, p: Principal, status: str | None, limit: int,
           cursor: str | None) -> tuple[list[CampaignOut], str | None]:
    rows, nxt = fetch_page(s, repo.campaigns(p.tenant_id, status), ScenarioCampaign.id, limit, cursor)
    return _outs(s, p.tenant_id, list(rows)), nxt


def update(s: Session, p: Principal, campaign_id: int, data: CampaignPatch) -> CampaignOut:
    c = require(s, p.tenant_id, campaign_id, lock=True)
    if c.status != "draft":
        raise Conflict("only a draft can be edited", code="campaign_not_draft")
    given = data.model_fields_set
    start = data.starts_at or c.starts_at
    end = data.ends_at or c.ends_at
    segment_id = data.segment_id or c.segment_id
    check_window(start, end)
    if data.segment_id is not None:
        audiences.require_segment(s, p.tenant_id, data.segment_id)
    _check_overlap(s, p.tenant_id, segment_id, start, end, c.id)
    if "link" in given:
        _check_link(s, p, data.link)
        c.link_kind, c.link_id = (data.link.kind, data.link.id) if data.link else ("none", None)
    if "coupon_template_id" in given:
        check_coupon(s, p.tenant_id, data.coupon_template_id)
        c.coupon_template_id = data.coupon_template_id
    c.starts_at, c.ends_at, c.segment_id = start, end, segment_id
    for name in ("name", "scenario", "title", "body"):
        value = getattr(data, name)
        if value is not None:
            setattr(c, name, value)
    c.updated_at = clock.now()
    s.flush()
    return out(s, c)


def launch(s: Session, p: Principal, campaign_id: int) -> CampaignOut:
    """draft -> scheduled, or running at once when its window has begun. The row lock makes two launches
    at once one launch and one 409; nothing is sent here."""
    c = require(s, p.tenant_id, campaign_id, lock=True)
    if c.status != "draft":
        raise Conflict(f"the campaign is {c.status}, not a draft", code="campaign_already_launched")
    now = clock.now()
    if c.ends_at <= now:
        raise Conflict("the campaign's window is over", code="campaign_window_over")
    audiences.require_segment(s, p.tenant_id, c.segment_id)
    c.launched_at = c.updated_at = now
    c.status = "scheduled"
    if c.starts_at <= now:
        _start(s, c)
    sending.start_experiment(s, c.tenant_id, c.id, now)
    s.flush()
    return out(s, c)


def _start(s: Session, c: ScenarioCampaign) -> None:
    c.status = "running"
    emit(s, c.tenant_id, "campaign.send", {"campaign_id": c.id})


def cancel(s: Session, p: Principal, campaign_id: int) -> CampaignOut:
    """Stops what has not been sent yet; what went out stays in the delivery log."""
    c = require(s, p.tenant_id, campaign_id, lock=True)
    if c.status not in repo.LIVE:
        raise Conflict(f"the campaign is already {c.status}", code="campaign_bad_transition")
    c.status, c.finished_at = "cancelled", clock.now()
    c.updated_at = c.finished_at
    sending.skip_pending(s, c, "cancelled")
    s.flush()
    return out(s, c)


def calendar(s: Session, p: Principal, month: str) -> CalendarOut:
    """The campaigns meeting a month (Asia/Shanghai), and for each day the ids of those running that day."""
    try:
        year, mon = int(month[:4]), int(month[5:7])
        first = clock.local(clock.now()).replace(year=year, month=mon, day=1, hour=0, minute=0, second=0,
                                                  microsecond=0)
    except ValueError as exc:
        raise Invalid("month must be YYYY-MM", code="invalid_month") from exc
    days = monthrange(year, mon)[1]
    start, end = clock.as_utc(first), clock.as_utc(first + timedelta(days=days))
    rows = repo.campaigns_between(s, p.tenant_id, start, end)
    day_list = []
    for d in range(days):
        day_start = clock.as_utc(first + timedelta(days=d))
        day_end = day_start + timedelta(days=1)
        day_list.append(CalendarDayOut(day=(first + timedelta(days=d)).strftime("%Y-%m-%d"),
                                       campaigns=[c.id for c in rows
                                                  if c.starts_at < day_end and c.ends_at > day_start]))
    return CalendarOut(month=f"{year:04d}-{mon:02d}", days=day_list, campaigns=[
        CalendarEntryOut(id=c.id, name=c.name, scenario=c.scenario, scenario_label=SCENARIOS[c.scenario],
                         status=c.status, starts_at=c.starts_at, ends_at=c.ends_at) for c in rows])


# --- scope (pilots) ---------------------------------------------------------------------------

def set_scope(s: Session, tenant_id: int, campaign_id: int, community_ids: list[int] | None) -> None:
    """A pilot narrows a campaign (or a roll-out widens it): the sender adds the new members once."""
    c = require(s, tenant_id, campaign_id, lock=True)
    if c.community_ids == community_ids:
        return
    c.community_ids = community_ids
    c.scope_revision += 1
    c.updated_at = clock.now()
    if c.status == "running":
        emit(s, tenant_id, "campaign.send", {"campaign_id": c.id})


# --- for the handlers and the due job ---------------------------------------------------------

def send_batch(s: Session, tenant_id: int, campaign_id: int) -> int:
    return sending.send_batch(s, tenant_id, campaign_id)


def starts_due(s: Session, now: datetime) -> list[tuple[int, int]]:
    return repo.due_to_start(s, now)


def start_if_due(s: Session, tenant_id: int, campaign_id: int, now: datetime) -> bool:
    c = require(s, tenant_id, campaign_id, lock=True)
    if c.status != "scheduled" or c.starts_at > now:
        return False
    _start(s, c)
    return True


def ends_due(s: Session, now: datetime) -> list[tuple[int, int]]:
    return repo.due_to_end(s, now)


def end_if_due(s: Session, tenant_id: int, campaign_id: int, now: datetime) -> bool:
    """Members not reached by the end are skipped (a notice after its window is noise)."""
    c = require(s, tenant_id, campaign_id, lock=True)
    if c.status != "running" or c.ends_at > now:
        return False
    sending.skip_pending(s, c, "window_over")
    c.status, c.finished_at, c.updated_at = "ended", now, now
    return True


def sending_due(s: Session) -> list[tuple[int, int]]:
    return repo.still_sending(s)


def scenario_label(code: str) -> str:
    return SCENARIOS.get(code, code)
