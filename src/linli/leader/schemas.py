from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from linli.community.schemas import PickupKind
from linli.core.schemas import Id, In, Lat, Lng, Out

Tier = Literal["none", "observer", "steward", "ambassador"]
LeaderType = Literal["resource", "social", "service"]


class LeaderProfile(Out):
    id: int
    name: str
    community_id: int
    member_id: int | None
    tier: str
    type: str
    type_reason: str
    since: datetime


class LadderProgress(Out):
    """The three 星火计划 measures as of `at`, and what the next tier needs (None at the top)."""

    tier: str
    at: datetime
    activity: int
    conversion_bp: int
    gmv_fen: int
    community_members: int
    buyers_30d: int
    earned_tier: str
    next_tier: str | None
    next_threshold: dict[str, int] | None


class TierHistoryOut(Out):
    id: int
    from_tier: str
    to_tier: str
    reason: str
    at: datetime


class LeaderDetailOut(Out):
    profile: LeaderProfile
    progress: LadderProgress
    history: list[TierHistoryOut]


class TierOut(Out):
    tier: str
    name: str
    commission_bp: int
    training_access: bool
    priority_selection: bool
    marketing_subsidy_fen: int


class TierIn(In):
    tier: Tier
    commission_bp: Annotated[int, Field(ge=0, le=10000)]
    training_access: bool
    priority_selection: bool
    marketing_subsidy_fen: Annotated[int, Field(ge=0, le=100_000_000)]


class TiersIn(In):
    items: Annotated[list[TierIn], Field(min_length=1, max_length=4)]


class ApplicationIn(In):
    community_id: Id
    pickup_kind: PickupKind
    address: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
    lat: Lat
    lng: Lng
    intro: Annotated[str, StringConstraints(max_length=1000)] = ""
    real_name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60)]
    id_number: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=30)]
    leader_type: LeaderType


class RejectIn(In):
    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]


class ApplicationOut(Out):
    id: int
    member_id: int
    community_id: int
    status: str
    pickup_kind: str
    address: str
    lat: float
    lng: float
    intro: str
    real_name: str
    id_number_masked: str
    leader_type: str
    has_proof: bool
    reason: str | None
    leader_id: int | None
    pickup_point_id: int | None
    decided_at: datetime | None
    created_at: datetime


class ApprovedOut(Out):
    leader_id: int
    pickup_point_id: int


ContactKind = Literal["call", "visit", "message"]


class ContactNoteIn(In):
    kind: ContactKind
    note: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]


class ContactNoteOut(Out):
    id: int
    member_id: int
    kind: str
    note: str
    created_at: datetime


class MyMemberOut(Out):
    """A member of the leader's community as the workbench lists them (我的居民)."""

    id: int
    name: str
    phone: str
    joined_at: datetime
    stage: str | None
    last_order_at: datetime | None
    last_note: ContactNoteOut | None


class CourseOut(Out):
    """A 团长课堂 course; a locked one (advanced, without the tier's training access) has no steps."""

    code: str
    title: str
    topic: str
    advanced: bool
    minutes: int
    unlocked: bool
    steps: list[str]
