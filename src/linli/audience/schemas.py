from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field, StringConstraints

from linli.core.schemas import In, Instant, Out

TagCode = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{1,39}$")]
Label = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)]
Description = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]
RuleText = Annotated[str, StringConstraints(max_length=2000)]


class TagIn(In):
    code: TagCode
    name: Label
    description: Description = ""
    rule: RuleText


class TagUpdate(In):
    """The code stays (segments and journeys name it)."""

    name: Label
    description: Description = ""
    rule: RuleText


class TagOut(Out):
    id: int
    code: str
    name: str
    description: str
    rule: str
    ast: dict[str, Any]
    members: int = 0
    updated_at: Instant


class RulePreviewIn(In):
    rule: RuleText


class PreviewOut(Out):
    members: int  # how many members match now
    total: int  # of how many
    ast: dict[str, Any] | None = None


class FieldOut(Out):
    name: str
    type: str
    group: str
    group_label: str
    label: str
    takes_category: bool


class SegmentIn(In):
    name: Label
    description: Description = ""
    definition: dict[str, Any]


class SegmentPreviewIn(In):
    definition: dict[str, Any]


class SegmentOut(Out):
    id: int
    name: str
    description: str
    definition: dict[str, Any]
    members: int = 0
    archived: bool = False
    updated_at: Instant


class AudienceMemberOut(Out):
    id: int
    name: str
    phone: str
    community: str
    since: Instant


class MemberTagOut(Out):
    id: int
    code: str
    name: str
    since: Instant


class RfmOut(Out):
    r: int
    f: int
    m: int
    rfm_class: str
    recency_days: int
    frequency: int
    monetary_fen: int
    computed_at: Instant


class MemberAudienceOut(Out):
    member_id: int
    tags: list[MemberTagOut]
    segments: list[int]
    rfm: RfmOut | None


class RunOut(Out):
    members: int
    tags: int
    tags_added: int
    tags_removed: int
    segments_entered: int
    segments_left: int
    seconds: float


class AudienceStatusOut(Out):
    last_run_at: Instant | None
    rfm_classes: dict[str, int] = Field(default_factory=dict)
