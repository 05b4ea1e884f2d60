"""A/B tests: experiments with weighted variants, stable assignment, exposures, conversions, results.

On a campaign the sender assigns and exposes (sending.py); a standalone experiment is exposed by
`expose` (another channel showed the member their arm). A conversion is a paid order by the member in
[exposed_at, exposed_at + conversion_days] — the `order.paid` handler, once per exposure."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from linli.campaign import repository as repo
from linli.campaign import sending, stats
from linli.campaign.schemas import (
    AssignmentOut,
    ExperimentIn,
    ExperimentOut,
    ResultsOut,
    VariantOut,
    VariantResultOut,
)
from linli.campaign.service import check_coupon
from linli.core import clock
from linli.core.errors import Conflict, Invalid, NotFound
from linli.core.pagination import fetch_page
from linli.core.security import Principal
from linli.member import service as members
from linli.models import Experiment, ExperimentVariant

# --- definitions ------------------------------------------------------------------------------


def _check_variants(s: Session, tenant_id: int, data: ExperimentIn) -> None:
    arms = data.variants
    if len(arms) < 2:
        raise Invalid("an experiment needs at least two variants", code="experiment_too_few_variants")
    if sum(a.weight for a in arms) != 100:
        raise Invalid("variant weights must add up to 100", code="experiment_weights_not_100")
    if len({a.code for a in arms}) != len(arms):
        raise Invalid("variant codes must differ", code="experiment_duplicate_variant")
    if sum(1 for a in arms if a.is_control) > 1:
        raise Invalid("at most one control variant", code="experiment_two_controls")
    for a in arms:
        check_coupon(s, tenant_id, a.coupon_template_id)


def _out(e: Experiment, arms: list[ExperimentVariant]) -> ExperimentOut:
    return ExperimentOut(
        id=e.id, name=e.name, campaign_id=e.campaign_id, conversion_days=e.conversion_days,
        community_ids=e.community_ids, status=e.status, started_at=e.started_at, stopped_at=e.stopped_at,
        created_at=e.created_at,
        variants=[VariantOut(id=a.id, code=a.code, name=a.name, weight=a.weight, is_control=a.is_control,
                             title=a.title, body=a.body, coupon_template_id=a.coupon_template_id) for a in arms])


def create(s: Session, p: Principal, data: ExperimentIn) -> ExperimentOut:
    _check_variants(s, p.tenant_id, data)
    if data.campaign_id is not None:
        c = repo.campaign(s, p.tenant_id, data.campaign_id, lock=True)
        if c is None:
            raise Invalid(f"campaign {data.campaign_id} not found", code="unknown_campaign")
        if c.status != "draft":
            raise Conflict("an experiment is added to a draft campaign", code="campaign_not_draft")
        if repo.experiment_of_campaign(s, p.tenant_id, c.id) is not None:
            raise Conflict("the campaign already has an experiment", code="campaign_has_experiment")
    e = Experiment(tenant_id=p.tenant_id, name=data.name, campaign_id=data.campaign_id, salt=secrets.token_hex(8),
                   conversion_days=data.conversion_days, status="draft", created_at=clock.now())
    s.add(e)
    s.flush()
    control = next((i for i, a in enumerate(data.variants) if a.is_control), 0)
    arms = [ExperimentVariant(tenant_id=p.tenant_id, experiment_id=e.id, code=a.code, name=a.name, weight=a.weight,
                              position=i, is_control=(i == control), title=a.title, body=a.body,
                              coupon_template_id=a.coupon_template_id) for i, a in enumerate(data.variants)]
    s.add_all(arms)
    s.flush()
    return _out(e, arms)


def require(s: Session, tenant_id: int, experiment_id: int, lock: bool = False) -> Experiment:
    e = repo.experiment(s, tenant_id, experiment_id, lock=lock)
    if e is None:
        raise NotFound("experiment not found", code="experiment_not_found")
    return e


def get(s: Session, p: Principal, experiment_id: int) -> ExperimentOut:
    e = require(s, p.tenant_id, experiment_id)
    return _out(e, repo.variants(s, p.tenant_id, [e.id]))


def search(s: Session, p: Principal, status: str | None, limit: int,
           cursor: str | None) -> tuple[list[ExperimentOut], str | None]:
    rows, nxt = fetch_page(s, repo.experiments(p.tenant_id, status), Experiment.id, limit, cursor)
    arms = repo.variants(s, p.tenant_id, [e.id for e in rows])
    return [_out(e, [a for a in arms if a.experiment_id == e.id]) for e in rows], nxt


def start(s: Session, p: Principal, experiment_id: int) -> ExperimentOut:
    """Standalone experiments only: one on a campaign starts when the campaign launches."""
    e = require(s, p.tenant_id, experiment_id, lock=True)
    if e.campaign_id is not None:
        raise Conflict("this experiment starts with its campaign", code="experiment_on_campaign")
    if e.status != "draft":
        raise Conflict(f"the experiment is {e.status}", code="experiment_bad_transition")
    e.status, e.started_at = "running", clock.now()
    return _out(e, repo.variants(s, p.tenant_id, [e.id]))


def stop(s: Session, p: Principal, experiment_id: int) -> ExperimentOut:
    """No new exposures; members already exposed may still convert within their window."""
    e = require(s, p.tenant_id, experiment_id, lock=True)
    if e.status != "running":
        raise Conflict(f"the experiment is {e.status}", code="experiment_bad_transition")
    e.status, e.stopped_at = "stopped", clock.now()
    return _out(e, repo.variants(s, p.tenant_id, [e.id]))


# --- assignment and exposure ------------------------------------------------------------------

def arm_of(e: Experiment, arms: list[ExperimentVariant], member_id: int) -> ExperimentVariant:
    return arms[stats.assign(e.salt, member_id, [a.weight for a in arms])]


def assignment(s: Session, p: Principal, experiment_id: int, member_id: int) -> AssignmentOut:
    e = require(s, p.tenant_id, experiment_id)
    members.require_member(s, p.tenant_id, member_id)
    seen = repo.exposure(s, p.tenant_id, e.id, member_id)
    arms = repo.variants(s, p.tenant_id, [e.id])
    arm = next(a for a in arms if a.id == seen.variant_id) if seen else arm_of(e, arms, member_id)
    return AssignmentOut(experiment_id=e.id, member_id=member_id, variant_id=arm.id, code=arm.code,
                         exposed_at=seen.exposed_at if seen else None)


def expose(s: Session, p: Principal, experiment_id: int, member_id: int) -> AssignmentOut:
    """Record that the member saw their arm now (a repeat keeps the first time)."""
    e = require(s, p.tenant_id, experiment_id)
    try:
        members.require_member(s, p.tenant_id, member_id)
    except NotFound as exc:
        raise Invalid(f"member {member_id} not found", code="unknown_member") from exc
    if e.campaign_id is not None:
        raise Conflict("its campaign exposes members when it sends", code="experiment_on_campaign")
    if e.status != "running":
        raise Conflict(f"the experiment is {e.status}", code="experiment_not_running")
    if not sending.in_scope(s, p.tenant_id, [member_id], e.community_ids):
        raise Conflict("the member lives outside the pilot's communities", code="outside_pilot")
    arms = repo.variants(s, p.tenant_id, [e.id])
    arm = arm_of(e, arms, member_id)
    now = clock.now()
    repo.add_exposure(s, {"tenant_id": p.tenant_id, "experiment_id": e.id, "variant_id": arm.id,
                          "member_id": member_id, "exposed_at": now,
                          "convert_by": now + timedelta(days=e.conversion_days)})
    return assignment(s, p, experiment_id, member_id)


def order_converts(s: Session, tenant_id: int, member_id: int, paid_at: datetime, order_id: int) -> int:
    return repo.convert(s, tenant_id, member_id, paid_at, order_id)


def set_scope(s: Session, tenant_id: int, experiment_id: int, community_ids: list[int] | None) -> None:
    e = require(s, tenant_id, experiment_id, lock=True)
    e.community_ids = community_ids


# --- results ----------------------------------------------------------------------------------

def results(s: Session, p: Principal, experiment_id: int) -> ResultsOut:
    e = require(s, p.tenant_id, experiment_id)
    arms = repo.variants(s, p.tenant_id, [e.id])
    counts = repo.results(s, p.tenant_id, e.id)
    control = next(a for a in arms if a.is_control)
    cn, cx = counts.get(control.id, (0, 0))
    alpha = stats.alpha_per_comparison(len(arms))
    rows: list[VariantResultOut] = []
    for a in arms:
        n, x = counts.get(a.id, (0, 0))
        rate = x / n if n else 0.0
        cmp = None if a.is_control else stats.two_proportions(cx, cn, x, n)
        rows.append(VariantResultOut(
            variant_id=a.id, code=a.code, name=a.name, is_control=a.is_control, weight=a.weight, exposed=n,
            converted=x, rate=round(rate, 6),
            lift=round(rate / (cx / cn) - 1, 6) if not a.is_control and cn and cx else None,
            diff=round(cmp.diff, 6) if cmp else None, ci_low=round(cmp.ci_low, 6) if cmp else None,
            ci_high=round(cmp.ci_high, 6) if cmp else None, z=round(cmp.z, 4) if cmp else None,
            p_value=cmp.p_value if cmp else None, significant=bool(cmp and cmp.p_value < alpha)))
    chi = stats.chi_square([(x, n - x) for n, x in (counts.get(a.id, (0, 0)) for a in arms)])
    return ResultsOut(experiment_id=e.id, status=e.status, conversion_days=e.conversion_days, alpha=alpha,
                      chi2=round(chi[0], 6) if chi else None, chi2_p_value=chi[1] if chi else None,
                      variants=rows, winner=_winner(rows))


def _winner(rows: list[VariantResultOut]) -> str | None:
    """The best significant treatment that beats the control; the control when every treatment is
    significantly worse; else nobody."""
    better = [r for r in rows if r.significant and (r.diff or 0) > 0]
    if better:
        return max(better, key=lambda r: r.rate).code
    treatments = [r for r in rows if not r.is_control]
    if treatments and all(r.significant and (r.diff or 0) < 0 for r in treatments):
        return next(r.code for r in rows if r.is_control)
    return None
