"""Audience: tags, segments and RFM — what other domains call, and what the operator API calls."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from linli.audience import bulk, evaluate, incremental, rules
from linli.audience import repository as repo
from linli.audience.features import FIELDS, GROUP_LABELS
from linli.audience.schemas import (
    AudienceMemberOut,
    AudienceStatusOut,
    FieldOut,
    MemberAudienceOut,
    MemberTagOut,
    PreviewOut,
    RfmOut,
    RunOut,
    SegmentIn,
    SegmentOut,
    TagIn,
    TagOut,
    TagUpdate,
)
from linli.core import clock
from linli.core.errors import Conflict, NotFound
from linli.core.pagination import Page, parse_cursor
from linli.core.security import Principal
from linli.models import Segment, Tag

# --- public functions other domains call (journeys, campaigns) ---------------------------------


def segment_member_ids(s: Session, tenant_id: int, segment_id: int) -> list[int]:
    """The members in a segment as last computed (bulk job or incremental), in id order."""
    _segment_exists(s, tenant_id, segment_id)
    return repo.segment_member_ids(s, tenant_id, segment_id)


def member_in_segment(s: Session, tenant_id: int, segment_id: int, member_id: int) -> bool:
    _segment_exists(s, tenant_id, segment_id)
    return repo.in_segment(s, tenant_id, segment_id, member_id)


def member_tag_codes(s: Session, tenant_id: int, member_id: int) -> set[str]:
    """The codes of the tags a member carries now (empty for an unknown member)."""
    return repo.member_tag_codes(s, tenant_id, member_id)


def _segment_exists(s: Session, tenant_id: int, segment_id: int) -> None:
    if repo.segment(s, tenant_id, segment_id) is None:
        raise NotFound("segment not found", code="segment_not_found")


# --- computing ------------------------------------------------------------------------------------


def refresh(s: Session, tenant_id: int, at: datetime | None = None) -> RunOut:
    """The bulk job for one tenant, now (or as of `at`)."""
    r = bulk.refresh(s, tenant_id, at or clock.now())
    return RunOut(members=r.members, tags=r.tags, tags_added=r.tags_added, tags_removed=r.tags_removed,
                  segments_entered=r.segments_entered, segments_left=r.segments_left, seconds=round(r.seconds, 3))


OWN_TABLE_KINDS = repo.OWN_TABLE_KINDS  # interactions the bulk job reads from their own tables (check-ins, reviews)
# a change this much older than a bulk run was committed before that run read the tables (requests and jobs commit
# within seconds), so the run already computed the member with it
SEEN_BY_BULK_AFTER = timedelta(minutes=5)


def refresh_member(s: Session, tenant_id: int, member_id: int, changed_at: datetime | None = None) -> None:
    """Incremental: one member's features, tags, segments and RFM, after something happened to them — unless a
    bulk run made after the change (`changed_at`, when the change lives in tables the bulk job reads) already did:
    a backlog of old events (a restored worker, the demo's history) then costs one lookup each, not a recompute."""
    run = repo.last_run(s, tenant_id)
    if run is None and not repo.tags(s, tenant_id):
        return  # this tenant does not use tags yet: nothing to keep current
    if run is not None and changed_at is not None:
        started = run.created_at - timedelta(seconds=run.seconds)  # the row is written when the run ends
        if changed_at <= started - SEEN_BY_BULK_AFTER:
            return
    incremental.refresh_member(s, tenant_id, member_id, clock.now())


def record_interaction(s: Session, tenant_id: int, event_id: int, member_id: int, kind: str, at: datetime) -> None:
    """Kept once per event; check-ins and reviews are read from their own tables instead."""
    if kind not in repo.OWN_TABLE_KINDS:
        repo.record_interaction(s, tenant_id, event_id, member_id, kind, at)


def tenants_due(s: Session, stale_before: datetime) -> list[int]:
    """Tenants with tags whose last bulk run is older than `stale_before` (or that never had one)."""
    due = []
    for tenant_id in repo.tenants_with_tags(s):
        run = repo.last_run(s, tenant_id)
        if run is None or run.at < stale_before:
            due.append(tenant_id)
    return due


def status(s: Session, p: Principal) -> AudienceStatusOut:
    run = repo.last_run(s, p.tenant_id)
    return AudienceStatusOut(last_run_at=run.at if run else None, rfm_classes=repo.rfm_distribution(s, p.tenant_id))


# --- tags -------------------------------------------------------------------------------------------


def fields() -> list[FieldOut]:
    return [FieldOut(name=f.name, type=f.type, group=f.group, group_label=GROUP_LABELS[f.group], label=f.label,
                     takes_category=f.takes_category) for f in FIELDS.values()]


def _tag_out(t: Tag, members: int) -> TagOut:
    return TagOut(id=t.id, code=t.code, name=t.name, description=t.description, rule=t.rule, ast=t.ast,
                  members=members, updated_at=t.updated_at)


def list_tags(s: Session, p: Principal) -> list[TagOut]:
    counts = repo.tag_counts(s, p.tenant_id)
    return [_tag_out(t, counts.get(t.id, 0)) for t in repo.tags(s, p.tenant_id)]


def _tag(s: Session, tenant_id: int, tag_id: int) -> Tag:
    t = repo.tag(s, tenant_id, tag_id)
    if t is None:
        raise NotFound("tag not found", code="tag_not_found")
    return t


def get_tag(s: Session, p: Principal, tag_id: int) -> TagOut:
    return _tag_out(_tag(s, p.tenant_id, tag_id), repo.tag_counts(s, p.tenant_id).get(tag_id, 0))


def parse_rule(s: Session, tenant_id: int, rule: str) -> dict[str, Any]:
    return rules.parse(rule, repo.category_names(s, tenant_id))


def create_tag(s: Session, p: Principal, data: TagIn) -> TagOut:
    ast = parse_rule(s, p.tenant_id, data.rule)  # 422 before anything is written
    if repo.tag_by(s, p.tenant_id, code=data.code) is not None:
        raise Conflict(f"a tag with code {data.code} exists", code="tag_code_taken")
    _name_free(s, p.tenant_id, data.name, None)
    now = clock.now()
    t = Tag(tenant_id=p.tenant_id, code=data.code, name=data.name, description=data.description, rule=data.rule,
            ast=ast, created_at=now, updated_at=now)
    s.add(t)
    s.flush()
    return _tag_out(t, 0)


def _name_free(s: Session, tenant_id: int, name: str, tag_id: int | None) -> None:
    other = repo.tag_by(s, tenant_id, name=name)
    if other is not None and other.id != tag_id:
        raise Conflict(f"a tag named {name} exists", code="tag_name_taken")


def update_tag(s: Session, p: Principal, tag_id: int, data: TagUpdate) -> TagOut:
    """A new rule applies from the next refresh (bulk job, or a member's next event)."""
    t = _tag(s, p.tenant_id, tag_id)
    ast = parse_rule(s, p.tenant_id, data.rule)
    _name_free(s, p.tenant_id, data.name, tag_id)
    t.name, t.description, t.rule, t.ast, t.updated_at = data.name, data.description, data.rule, ast, clock.now()
    s.flush()
    return get_tag(s, p, tag_id)


def delete_tag(s: Session, p: Principal, tag_id: int) -> None:
    t = _tag(s, p.tenant_id, tag_id)
    users = [g.name for g in repo.segments(s, p.tenant_id, archived=True) if t.code in _codes(g.definition)]
    if users:
        raise Conflict(f"tag {t.code} is used by segment(s): {', '.join(users)}", code="tag_in_use")
    repo.delete_tag_rows(s, p.tenant_id, tag_id)
    s.delete(t)
    s.flush()


def preview_rule(s: Session, p: Principal, rule: str) -> PreviewOut:
    ast = parse_rule(s, p.tenant_id, rule)
    members, total = bulk.preview(s, p.tenant_id, ast, clock.now())
    return PreviewOut(members=members, total=total, ast=ast)


# --- segments ---------------------------------------------------------------------------------------


def _codes(definition: dict[str, Any]) -> set[str]:
    if "tag" in definition:
        return {definition["tag"]}
    parts = definition.get("and") or definition.get("or") or [definition.get("not", {})]
    return set().union(*(_codes(d) for d in parts if isinstance(d, dict)))


def _segment_out(g: Segment, members: int) -> SegmentOut:
    return SegmentOut(id=g.id, name=g.name, description=g.description, definition=g.definition, members=members,
                      archived=g.archived_at is not None, updated_at=g.updated_at)


def _segment(s: Session, tenant_id: int, segment_id: int) -> Segment:
    g = repo.segment(s, tenant_id, segment_id)
    if g is None:
        raise NotFound("segment not found", code="segment_not_found")
    return g


def list_segments(s: Session, p: Principal) -> list[SegmentOut]:
    counts = repo.segment_counts(s, p.tenant_id)
    return [_segment_out(g, counts.get(g.id, 0)) for g in repo.segments(s, p.tenant_id)]


def get_segment(s: Session, p: Principal, segment_id: int) -> SegmentOut:
    return _segment_out(_segment(s, p.tenant_id, segment_id), repo.segment_counts(s, p.tenant_id).get(segment_id, 0))


def _checked(s: Session, tenant_id: int, definition: dict[str, Any]) -> None:
    rules.check_segment(definition, set(repo.tag_codes(s, tenant_id)))


def _segment_name_free(s: Session, tenant_id: int, name: str, segment_id: int | None) -> None:
    other = repo.segment_by_name(s, tenant_id, name)
    if other is not None and other.id != segment_id:
        raise Conflict(f"a segment named {name} exists", code="segment_name_taken")


def create_segment(s: Session, p: Principal, data: SegmentIn) -> SegmentOut:
    """Members join from the next refresh (bulk job, or a member's next event)."""
    _checked(s, p.tenant_id, data.definition)
    _segment_name_free(s, p.tenant_id, data.name, None)
    now = clock.now()
    g = Segment(tenant_id=p.tenant_id, name=data.name, description=data.description, definition=data.definition,
                created_at=now, updated_at=now)
    s.add(g)
    s.flush()
    return _segment_out(g, 0)


def update_segment(s: Session, p: Principal, segment_id: int, data: SegmentIn) -> SegmentOut:
    g = _segment(s, p.tenant_id, segment_id)
    if g.archived_at is not None:
        raise Conflict("this segment was deleted", code="segment_archived")
    _checked(s, p.tenant_id, data.definition)
    _segment_name_free(s, p.tenant_id, data.name, segment_id)
    g.name, g.description, g.definition, g.updated_at = data.name, data.description, data.definition, clock.now()
    s.flush()
    return get_segment(s, p, segment_id)


def delete_segment(s: Session, p: Principal, segment_id: int) -> None:
    """Archived, not removed: journeys and campaigns may still name it (it then has no members); its name is
    freed for a new segment. Deleting twice is the same as once."""
    g = _segment(s, p.tenant_id, segment_id)
    if g.archived_at is None:
        repo.delete_segment_rows(s, p.tenant_id, segment_id)
        g.archived_at = clock.now()
        g.name = f"{g.name[:27]}（已删除#{g.id}）"
        s.flush()


def preview_segment(s: Session, p: Principal, definition: dict[str, Any]) -> PreviewOut:
    """Over the tags as last computed."""
    _checked(s, p.tenant_id, definition)
    codes_by_id = {i: c for c, i in repo.tag_codes(s, p.tenant_id).items()}
    carried: dict[int, set[str]] = {m: set() for m in repo.member_ids(s, p.tenant_id)}
    for tag_id, member_id in repo.export_member_tags(s, p.tenant_id):
        carried.setdefault(member_id, set()).add(codes_by_id[tag_id])
    members = sum(1 for codes in carried.values() if evaluate.in_segment(definition, codes))
    return PreviewOut(members=members, total=len(carried))


# --- member lists ------------------------------------------------------------------------------------


def _rows(s: Session, p: Principal, kind: str, key: int, after: int, limit: int) -> Sequence[Any]:
    if kind == "tag":
        return repo.members_rows(s, p.tenant_id, tag_id=key, after=after, limit=limit)
    return repo.members_rows(s, p.tenant_id, segment_id=key, after=after, limit=limit)


def _exists(s: Session, p: Principal, kind: str, key: int) -> None:
    if kind == "tag":
        _tag(s, p.tenant_id, key)
    else:
        _segment(s, p.tenant_id, key)


def _member_out(row: Any) -> AudienceMemberOut:
    return AudienceMemberOut(id=row.id, name=row.name, phone=row.phone, community=row.community, since=row.since)


def members_page(s: Session, p: Principal, kind: str, key: int, limit: int, cursor: str | None
                 ) -> Page[AudienceMemberOut]:
    """Members in id order; the cursor is the last id seen."""
    _exists(s, p, kind, key)
    rows = _rows(s, p, kind, key, parse_cursor(cursor) or 0, limit + 1)
    more = len(rows) > limit
    rows = rows[:limit]
    return Page[AudienceMemberOut](items=[_member_out(r) for r in rows],
                                   next_cursor=str(rows[-1].id) if more and rows else None)


def members_csv(s: Session, p: Principal, kind: str, key: int) -> bytes:
    """The whole member list as CSV (UTF-8 with a BOM, so that Excel reads the Chinese), read 1000 at a time."""
    _exists(s, p, kind, key)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["会员ID", "姓名", "手机号", "小区", "加入时间"])
    after = 0
    while True:
        rows = _rows(s, p, kind, key, after, 1000)
        writer.writerows([str(r.id), _cell(r.name), r.phone, _cell(r.community),
                          clock.local(r.since).strftime("%Y-%m-%d %H:%M")] for r in rows)
        if len(rows) < 1000:
            return ("\ufeff" + out.getvalue()).encode()
        after = rows[-1].id


def _cell(text: str) -> str:
    """No formula injection: a cell that a spreadsheet would run starts with a quote."""
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def of_member(s: Session, p: Principal, member_id: int) -> MemberAudienceOut:
    if not repo.member_exists(s, p.tenant_id, member_id):
        raise NotFound("member not found", code="member_not_found")
    rfm = repo.member_rfm(s, p.tenant_id, member_id)
    return MemberAudienceOut(
        member_id=member_id,
        tags=[MemberTagOut(id=t.id, code=t.code, name=t.name, since=since)
              for t, since in repo.member_tags(s, p.tenant_id, member_id)],
        segments=sorted(repo.member_segment_ids(s, p.tenant_id, member_id)),
        rfm=RfmOut.model_validate(rfm) if rfm else None)
