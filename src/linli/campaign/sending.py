"""The sender of scenario campaigns: recipients written once per scope, then sent to in batches.

One batch = one transaction holding the campaign row's lock, so two workers (or the handler and the due
job) take turns instead of sending the same batch twice; every send is also idempotent by itself (the
messaging log is unique per member, channel and `campaign:<id>:<member>`, coupons per issue key, an
exposure per experiment and member), so a batch retried after a crash sends nothing twice either."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from linli.campaign import audiences, stats
from linli.campaign import repository as repo
from linli.core import clock
from linli.core.errors import NotFound
from linli.core.outbox import emit
from linli.coupon import service as coupons
from linli.member import service as members
from linli.messaging import service as messaging
from linli.messaging.schemas import OutgoingMessage
from linli.models import CampaignRecipient, Experiment, ExperimentVariant, ScenarioCampaign

BATCH = 200
REACHED = ("queued", "deferred", "sent")  # delivery states that put the message in front of the member


def dedupe_key(campaign_id: int, member_id: int) -> str:
    return f"campaign:{campaign_id}:{member_id}"


def start_experiment(s: Session, tenant_id: int, campaign_id: int, now: datetime) -> None:
    e = repo.experiment_of_campaign(s, tenant_id, campaign_id)
    if e is not None and e.status == "draft":
        e.status, e.started_at = "running", now


def in_scope(s: Session, tenant_id: int, member_ids: list[int], community_ids: list[int] | None) -> list[int]:
    if community_ids is None:
        return member_ids
    wanted = set(community_ids)
    where = members.communities_of(s, tenant_id, member_ids)
    return [m for m in member_ids if where.get(m) in wanted]


def _build(s: Session, c: ScenarioCampaign, e: Experiment | None, arms: list[ExperimentVariant]) -> int:
    """Write the members of the segment in scope who are not recipients yet; their arm is fixed now."""
    now = clock.now()
    everyone = sorted(set(audiences.segment_member_ids(s, c.tenant_id, c.segment_id)))
    known = repo.recipient_member_ids(s, c.tenant_id, c.id)
    new = [m for m in in_scope(s, c.tenant_id, everyone, c.community_ids) if m not in known]
    weights = [a.weight for a in arms]
    rows = [{"tenant_id": c.tenant_id, "campaign_id": c.id, "member_id": m, "status": "pending",
             "variant_id": arms[stats.assign(e.salt, m, weights)].id if e is not None and arms else None,
             "created_at": now} for m in new]
    repo.add_recipients(s, rows)
    c.built_revision = c.scope_revision
    return len(rows)


def send_batch(s: Session, tenant_id: int, campaign_id: int) -> int:
    """Send one batch; emits the next `campaign.send` while members are left. Returns how many were sent."""
    c = repo.campaign(s, tenant_id, campaign_id, lock=True)
    if c is None or c.status != "running":
        return 0
    e = repo.experiment_of_campaign(s, tenant_id, c.id)
    arms = repo.variants(s, tenant_id, [e.id]) if e is not None else []
    if c.built_revision < c.scope_revision:
        _build(s, c, e, arms)
    by_id = {a.id: a for a in arms}
    batch = repo.pending_recipients(s, tenant_id, c.id, BATCH)
    for r in batch:
        _send_one(s, c, e, by_id.get(r.variant_id) if r.variant_id else None, r)
    s.flush()
    if repo.has_pending(s, tenant_id, c.id):
        emit(s, tenant_id, "campaign.send", {"campaign_id": c.id})
    return len(batch)


def _send_one(s: Session, c: ScenarioCampaign, e: Experiment | None, arm: ExperimentVariant | None,
              r: CampaignRecipient) -> None:
    now = clock.now()
    key = dedupe_key(c.id, r.member_id)
    url = link(c)
    msg = OutgoingMessage(category="marketing", title=(arm.title if arm and arm.title else c.title),
                          body=(arm.body if arm and arm.body else c.body), dedupe_key=key,
                          source=f"campaign:{c.id}", link=url)
    try:
        deliveries = messaging.send_to_member(s, c.tenant_id, r.member_id, msg)
    except NotFound:  # the member is gone
        r.status, r.outcome, r.sent_at = "skipped", "member_not_found", now
        return
    reached = [d for d in deliveries if d.status in REACHED]
    if not reached:
        r.status, r.outcome, r.sent_at = "skipped", (deliveries[0].reason or deliveries[0].status)[:40], now
        return
    coupon_id = arm.coupon_template_id if arm and arm.coupon_template_id else c.coupon_template_id
    outcome = reached[0].status
    if coupon_id is not None:
        try:
            issued = coupons.issue_to(s, c.tenant_id, coupon_id, r.member_id, "issue", key)
        except NotFound:
            issued = None
        outcome += "+coupon" if issued is not None else "+no_coupon"
    if e is not None and arm is not None:
        seen = min(clock.as_utc(d.due_at) for d in reached)  # deferred by quiet hours: seen when it goes out
        repo.add_exposure(s, {"tenant_id": c.tenant_id, "experiment_id": e.id, "variant_id": arm.id,
                              "member_id": r.member_id, "exposed_at": seen,
                              "convert_by": seen + timedelta(days=e.conversion_days)})
    r.status, r.outcome, r.sent_at = "sent", outcome, now


def link(c: ScenarioCampaign) -> str | None:
    paths = {"product": "products", "group_buy": "group-buys", "flash_sale": "flash-sales"}
    return f"/m/{paths[c.link_kind]}/{c.link_id}" if c.link_kind in paths and c.link_id else None


def skip_pending(s: Session, c: ScenarioCampaign, reason: str) -> None:
    while True:
        batch = repo.pending_recipients(s, c.tenant_id, c.id, 1000)
        if not batch:
            return
        now = clock.now()
        for r in batch:
            r.status, r.outcome, r.sent_at = "skipped", reason, now
        s.flush()
