"""The compensation generator (补偿方案即时生成器): the members affected — a paid or picked-up order of the
product in the window (a traceability batch's sale window by default), optionally in one community — get a
coupon or points once per case (the unique (case, member) key: reruns and concurrent runs give nobody
twice), each with a service message."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from linli.catalog import service as catalog
from linli.community import service as communities
from linli.core import clock
from linli.core.errors import Conflict, Invalid, NotFound
from linli.core.security import Principal
from linli.coupon import service as coupons
from linli.crisis import repository as repo
from linli.crisis.schemas import CompensationIn, CompensationOut, PreviewOut
from linli.crisis.service import require
from linli.messaging import service as messaging
from linli.messaging.schemas import OutgoingMessage
from linli.models import CrisisCompensation, CrisisRecipient
from linli.order import service as orders
from linli.points import service as points
from linli.traceability import service as traceability

SAMPLE = 20


@dataclass(frozen=True)
class Criteria:
    since: datetime
    until: datetime
    member_ids: list[int]


def _criteria(s: Session, tenant_id: int, data: CompensationIn) -> Criteria:
    catalog.brief(s, tenant_id, data.product_id)  # 422 unknown_product
    since, until = data.since, data.until
    if data.batch_id is not None:
        try:
            batch = traceability.batch_info(s, tenant_id, data.batch_id)
        except NotFound:
            raise Invalid("batch_id: no such batch", code="unknown_batch") from None
        if batch.product_id != data.product_id:
            raise Invalid("the batch is of another product", code="batch_product_mismatch")
        since = since or batch.first_at
        # the batch's last entry is inside its window: the window ends just after it
        until = until or (batch.last_at + timedelta(seconds=1) if batch.last_at else None)
    if since is None or until is None:
        raise Invalid("give since and until (or a batch with a sale window)", code="window_required")
    since, until = clock.as_utc(since), clock.as_utc(until)
    if until <= since:
        raise Invalid("until must be after since", code="invalid_window")
    point_ids = None
    if data.community_id is not None:
        communities.require_community(s, tenant_id, data.community_id, as_input=True)
        point_ids = communities.point_ids(s, tenant_id, data.community_id, None)
    if data.kind == "coupon":
        assert data.coupon_template_id is not None
        try:
            coupons.require_template(s, tenant_id, data.coupon_template_id)
        except NotFound:
            raise Invalid("coupon_template_id: no such coupon", code="unknown_coupon_template") from None
    return Criteria(since, until, orders.buyers_of_product(s, tenant_id, data.product_id, since, until, point_ids))


def preview(s: Session, p: Principal, case_id: int, data: CompensationIn) -> PreviewOut:
    require(s, p.tenant_id, case_id)
    c = _criteria(s, p.tenant_id, data)
    done = repo.compensated_members(s, p.tenant_id, case_id, c.member_ids)
    left = [m for m in c.member_ids if m not in done]
    return PreviewOut(matched=len(c.member_ids), already_compensated=len(done), to_issue=len(left),
                      since=c.since, until=c.until, sample_member_ids=left[:SAMPLE])


def issue(s: Session, p: Principal, case_id: int, data: CompensationIn) -> CompensationOut:
    case = require(s, p.tenant_id, case_id)
    if case.status != "open":
        raise Conflict("the case is closed", code="crisis_closed")
    c = _criteria(s, p.tenant_id, data)
    now = clock.now()
    text = data.message.strip() or f"关于「{case.title}」,我们深表歉意,已为您发放补偿,请在「我的」中查看。"
    comp = CrisisCompensation(tenant_id=p.tenant_id, case_id=case.id, kind=data.kind, product_id=data.product_id,
                              batch_id=data.batch_id, community_id=data.community_id, since=c.since, until=c.until,
                              coupon_template_id=data.coupon_template_id if data.kind == "coupon" else None,
                              points=data.points if data.kind == "points" else 0, message=text,
                              matched=len(c.member_ids), issued=0, created_by=p.user_id, created_at=now)
    s.add(comp)
    s.flush()
    for member_id in c.member_ids:
        r = CrisisRecipient(tenant_id=p.tenant_id, case_id=case.id, compensation_id=comp.id, member_id=member_id,
                            points=comp.points, issued_at=now)
        if not repo.add_recipient(s, r):
            continue  # compensated in this case already
        key = f"crisis:{case.id}:{member_id}"
        if data.kind == "coupon":
            assert comp.coupon_template_id is not None
            r.member_coupon_id = coupons.issue_to(s, p.tenant_id, comp.coupon_template_id, member_id, "issue", key)
            if r.member_coupon_id is None:
                raise Conflict("the coupon is closed or has too few left for every member", code="coupon_unavailable")
        else:
            points.grant(s, p.tenant_id, member_id, comp.points, f"危机补偿:{case.title}"[:100], key)
        messaging.send_to_member(s, p.tenant_id, member_id, OutgoingMessage(
            category="service", title="补偿已发放", body=text, dedupe_key=f"{key}:compensation", source="crisis"))
        comp.issued += 1
    s.flush()
    return CompensationOut.model_validate(comp)
