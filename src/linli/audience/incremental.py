"""One member, now: features from plain SQL (the bulk export's queries filtered to the member), the same tag ASTs
evaluated in Python, and only the differences written (segment events as in the bulk job). RFM scores use the
cut-points of the tenant's last bulk run (none yet: every buyer scores 1)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from linli.audience import evaluate, member_features
from linli.audience import repository as repo
from linli.audience.bulk import rfm_values
from linli.audience.rules import categories_of
from linli.core import outbox
from linli.models import MemberTag, SegmentMember


def features(s: Session, tenant_id: int, member_id: int, at: datetime,
             categories: list[str], cuts: dict[str, list[int]]) -> dict[str, Any] | None:
    members = list(repo.export_members(s, tenant_id, member_id))
    if not members:
        return None
    return member_features.compute(
        repo.us(at), members[0], list(repo.export_orders(s, tenant_id, member_id)),
        list(repo.export_items(s, tenant_id, at - timedelta(days=366), member_id)),
        list(repo.export_interactions(s, tenant_id, at - timedelta(days=91), member_id)), categories, cuts)


def refresh_member(s: Session, tenant_id: int, member_id: int, at: datetime) -> bool:
    """Recompute one member; False when the member does not exist (in this tenant)."""
    tags = repo.tags(s, tenant_id)
    run = repo.last_run(s, tenant_id)
    cuts = run.cutpoints if run is not None else {"r": [], "f": [], "m": []}
    categories = sorted(set().union(*(categories_of(t.ast) for t in tags))) if tags else []
    f = features(s, tenant_id, member_id, at, categories, cuts)
    if f is None:
        return False
    want = {t.id for t in tags if evaluate.matches(t.ast, f)}
    have = repo.member_tag_ids(s, tenant_id, member_id)
    repo.remove_links(s, MemberTag, tenant_id, "tag_id", [(t, member_id) for t in sorted(have - want)])
    repo.add_links(s, MemberTag, tenant_id, "tag_id", [(t, member_id) for t in sorted(want - have)], at)

    codes = {t.code for t in tags if t.id in want}
    in_now = {g.id for g in repo.segments(s, tenant_id) if evaluate.in_segment(g.definition, codes)}
    was_in = repo.member_segment_ids(s, tenant_id, member_id)
    gone = repo.remove_links(s, SegmentMember, tenant_id, "segment_id",
                             [(g, member_id) for g in sorted(was_in - in_now)])
    new = repo.add_links(s, SegmentMember, tenant_id, "segment_id",
                         [(g, member_id) for g in sorted(in_now - was_in)], at)
    for topic, pairs in (("segment.left", gone), ("segment.entered", new)):
        for segment_id, mid in pairs:
            outbox.emit(s, tenant_id, topic, {"segment_id": segment_id, "member_id": mid})

    values = rfm_values((member_id, f["r_score"], f["f_score"], f["m_score"], f["rfm_class"], f["days_since_order"],
                         f["orders_365d"], f["spend_365d_fen"]), at)
    existing = repo.rfm_rows(s, tenant_id, member_id)
    repo.write_rfm(s, tenant_id, [values], set(existing))
    return True
