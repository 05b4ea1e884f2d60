from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from linli.audience import service
from linli.audience.schemas import (
    AudienceMemberOut,
    AudienceStatusOut,
    FieldOut,
    MemberAudienceOut,
    PreviewOut,
    RulePreviewIn,
    RunOut,
    SegmentIn,
    SegmentOut,
    SegmentPreviewIn,
    TagIn,
    TagOut,
    TagUpdate,
)
from linli.core.http import Db, Operator
from linli.core.pagination import Page
from linli.core.schemas import Id, Limit

router = APIRouter(tags=["audience"])
Cursor = Annotated[str | None, Query(max_length=20)]


def _csv(body: bytes, name: str) -> Response:
    return Response(body, media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}.csv"'})


@router.get("/tag-fields", response_model=list[FieldOut])
def tag_fields(p: Operator) -> list[FieldOut]:
    """The features a tag rule may name (the rule language is described in audience/rules.py)."""
    return service.fields()


@router.get("/tags", response_model=Page[TagOut])
def list_tags(p: Operator, s: Db) -> Page[TagOut]:
    """Every tag of the tenant with its member count (hundreds at most: one page)."""
    return Page[TagOut](items=service.list_tags(s, p))


@router.post("/tags", status_code=201, response_model=TagOut)
def create_tag(data: TagIn, p: Operator, s: Db) -> TagOut:
    return service.create_tag(s, p, data)


@router.post("/tags/preview", response_model=PreviewOut)
def preview_tag(data: RulePreviewIn, p: Operator, s: Db) -> PreviewOut:
    return service.preview_rule(s, p, data.rule)


@router.get("/tags/{tag_id}", response_model=TagOut)
def get_tag(tag_id: Id, p: Operator, s: Db) -> TagOut:
    return service.get_tag(s, p, tag_id)


@router.put("/tags/{tag_id}", response_model=TagOut)
def update_tag(tag_id: Id, data: TagUpdate, p: Operator, s: Db) -> TagOut:
    return service.update_tag(s, p, tag_id, data)


@router.delete("/tags/{tag_id}", status_code=204)
def delete_tag(tag_id: Id, p: Operator, s: Db) -> Response:
    service.delete_tag(s, p, tag_id)
    return Response(status_code=204)


@router.get("/tags/{tag_id}/members", response_model=Page[AudienceMemberOut])
def tag_members(tag_id: Id, p: Operator, s: Db, limit: Limit = 50, cursor: Cursor = None) -> Page[AudienceMemberOut]:
    return service.members_page(s, p, "tag", tag_id, limit, cursor)


@router.get("/tags/{tag_id}/members.csv", response_class=Response)
def tag_members_csv(tag_id: Id, p: Operator, s: Db) -> Response:
    return _csv(service.members_csv(s, p, "tag", tag_id), f"tag-{tag_id}")


@router.get("/segments", response_model=Page[SegmentOut])
def list_segments(p: Operator, s: Db) -> Page[SegmentOut]:
    """Every live segment with its member count (one page)."""
    return Page[SegmentOut](items=service.list_segments(s, p))


@router.post("/segments", status_code=201, response_model=SegmentOut)
def create_segment(data: SegmentIn, p: Operator, s: Db) -> SegmentOut:
    return service.create_segment(s, p, data)


@router.post("/segments/preview", response_model=PreviewOut)
def preview_segment(data: SegmentPreviewIn, p: Operator, s: Db) -> PreviewOut:
    return service.preview_segment(s, p, data.definition)


@router.get("/segments/{segment_id}", response_model=SegmentOut)
def get_segment(segment_id: Id, p: Operator, s: Db) -> SegmentOut:
    return service.get_segment(s, p, segment_id)


@router.put("/segments/{segment_id}", response_model=SegmentOut)
def update_segment(segment_id: Id, data: SegmentIn, p: Operator, s: Db) -> SegmentOut:
    return service.update_segment(s, p, segment_id, data)


@router.delete("/segments/{segment_id}", status_code=204)
def delete_segment(segment_id: Id, p: Operator, s: Db) -> Response:
    service.delete_segment(s, p, segment_id)
    return Response(status_code=204)


@router.get("/segments/{segment_id}/members", response_model=Page[AudienceMemberOut])
def segment_members(segment_id: Id, p: Operator, s: Db, limit: Limit = 50,
                    cursor: Cursor = None) -> Page[AudienceMemberOut]:
    return service.members_page(s, p, "segment", segment_id, limit, cursor)


@router.get("/segments/{segment_id}/members.csv", response_class=Response)
def segment_members_csv(segment_id: Id, p: Operator, s: Db) -> Response:
    return _csv(service.members_csv(s, p, "segment", segment_id), f"segment-{segment_id}")


@router.get("/members/{member_id}/tags", response_model=MemberAudienceOut)
def member_tags(member_id: Id, p: Operator, s: Db) -> MemberAudienceOut:
    """The member's tags, segments and RFM scores."""
    return service.of_member(s, p, member_id)


@router.get("/audience/status", response_model=AudienceStatusOut)
def audience_status(p: Operator, s: Db) -> AudienceStatusOut:
    return service.status(s, p)


@router.post("/audience/refresh", response_model=RunOut)
def refresh(p: Operator, s: Db) -> RunOut:
    """Run the bulk job for this tenant now (it also runs nightly from run-due)."""
    return service.refresh(s, p.tenant_id)
