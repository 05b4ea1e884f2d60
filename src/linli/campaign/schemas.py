"""HTTP shapes of scenario campaigns, experiments and pilots."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, StringConstraints

from linli.core.clock import as_utc
from linli.core.schemas import Id, In, Instant, Name, Out


def _utc(at: datetime) -> datetime:
    try:
        return as_utc(at)
    except OverflowError as exc:  # e.g. 0001-01-01 with a positive offset
        raise ValueError("time out of range") from exc


# Times may come with an offset; a naive time means Asia/Shanghai.
TimeIn = Annotated[datetime, Field(strict=False), AfterValidator(_utc)]
Body = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1000)]
Note = Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)]
Code = Annotated[str, StringConstraints(min_length=1, max_length=20, pattern=r"^[A-Za-z0-9_-]+$")]
CommunityIds = Annotated[list[Id], Field(max_length=200)]
Scenario = Literal["back_to_school", "spring_festival", "lantern_festival", "dragon_boat", "mid_autumn",
                   "national_day", "water_outage", "power_outage", "custom"]
CampaignStatus = Literal["draft", "scheduled", "running", "ended", "cancelled"]
ExperimentStatus = Literal["draft", "running", "stopped"]
PilotStatus = Literal["pilot", "reviewed", "rolled_out", "abandoned"]


class LinkIn(In):
    kind: Literal["product", "group_buy", "flash_sale"]
    id: Id


class CampaignIn(In):
    """community_ids: only members of these communities (None = all); a pilot sets it too."""

    name: Name
    scenario: Scenario
    segment_id: Id
    starts_at: TimeIn
    ends_at: TimeIn
    title: Name
    body: Body
    link: LinkIn | None = None
    coupon_template_id: Id | None = None
    community_ids: CommunityIds | None = None


class CampaignPatch(In):
    """Drafts only; a field left out keeps its value (send null for link/coupon to remove them)."""

    name: Name | None = None
    scenario: Scenario | None = None
    segment_id: Id | None = None
    starts_at: TimeIn | None = None
    ends_at: TimeIn | None = None
    title: Name | None = None
    body: Body | None = None
    link: LinkIn | None = None
    coupon_template_id: Id | None = None


class LinkOut(Out):
    kind: str
    id: int
    url: str


class SendingOut(Out):
    recipients: int
    pending: int
    sent: int
    skipped: int


class CampaignOut(Out):
    id: int
    name: str
    scenario: str
    scenario_label: str
    segment_id: int
    starts_at: Instant
    ends_at: Instant
    title: str
    body: str
    link: LinkOut | None
    coupon_template_id: int | None
    community_ids: list[int] | None
    status: str
    experiment_id: int | None
    launched_at: Instant | None
    finished_at: Instant | None
    created_at: Instant
    sending: SendingOut


class CalendarEntryOut(Out):
    id: int
    name: str
    scenario: str
    scenario_label: str
    status: str
    starts_at: Instant
    ends_at: Instant


class CalendarDayOut(Out):
    day: str  # YYYY-MM-DD, Asia/Shanghai
    campaigns: list[int]


class CalendarOut(Out):
    """A month of campaigns. Public holidays and solar terms are not shown yet (no calendar library here)."""

    month: str
    campaigns: list[CalendarEntryOut]
    days: list[CalendarDayOut]


# --- experiments ------------------------------------------------------------------------------

class VariantIn(In):
    code: Code
    name: Name
    weight: Annotated[int, Field(ge=1, le=100)]
    is_control: bool = False
    title: Name | None = None
    body: Body | None = None
    coupon_template_id: Id | None = None


class ExperimentIn(In):
    """2-10 variants whose weights add up to 100; the control is the one marked, else the first."""

    name: Name
    campaign_id: Id | None = None
    conversion_days: Annotated[int, Field(ge=1, le=90)] = 7
    variants: Annotated[list[VariantIn], Field(max_length=10)]


class VariantOut(Out):
    id: int
    code: str
    name: str
    weight: int
    is_control: bool
    title: str | None
    body: str | None
    coupon_template_id: int | None


class ExperimentOut(Out):
    id: int
    name: str
    campaign_id: int | None
    conversion_days: int
    community_ids: list[int] | None
    status: str
    started_at: Instant | None
    stopped_at: Instant | None
    created_at: Instant
    variants: list[VariantOut]


class ExposureIn(In):
    member_id: Id


class AssignmentOut(Out):
    experiment_id: int
    member_id: int
    variant_id: int
    code: str
    exposed_at: Instant | None


class VariantResultOut(Out):
    variant_id: int
    code: str
    name: str
    is_control: bool
    weight: int
    exposed: int
    converted: int
    rate: float
    lift: float | None  # relative to the control's rate; None for the control or a control at 0
    diff: float | None  # rate − control rate
    ci_low: float | None  # 95 % interval of diff
    ci_high: float | None
    z: float | None
    p_value: float | None
    significant: bool


class ResultsOut(Out):
    experiment_id: int
    status: str
    conversion_days: int
    alpha: float  # per comparison (0.05 split over the treatments: Bonferroni)
    chi2: float | None
    chi2_p_value: float | None
    variants: list[VariantResultOut]
    winner: str | None  # a variant's code, only when significant


# --- pilots -----------------------------------------------------------------------------------

class PilotIn(In):
    """Exactly one of campaign_id / experiment_id; the window defaults to the campaign's."""

    name: Name
    campaign_id: Id | None = None
    experiment_id: Id | None = None
    community_ids: Annotated[list[Id], Field(max_length=5)]
    starts_at: TimeIn | None = None
    ends_at: TimeIn | None = None


class ReviewIn(In):
    note: Note = ""


class RolloutIn(In):
    """None: every community; else these (added to the pilot's)."""

    community_ids: CommunityIds | None = None


class PilotOut(Out):
    id: int
    name: str
    campaign_id: int | None
    experiment_id: int | None
    community_ids: list[int]
    starts_at: Instant
    ends_at: Instant
    status: str
    review_note: str | None
    reviewed_at: Instant | None
    rollout_community_ids: list[int] | None
    closed_at: Instant | None
    created_at: Instant


class GroupFiguresOut(Out):
    communities: int
    members: int
    buyers: int
    orders: int
    gmv_fen: int
    participation_rate: float  # buyers ÷ members
    orders_per_member: float
    gmv_per_member_fen: int


class CommunityFiguresOut(Out):
    community_id: int
    name: str
    in_pilot: bool
    members: int
    buyers: int
    orders: int
    gmv_fen: int
    participation_rate: float


class PilotReviewOut(Out):
    pilot_id: int
    status: str
    window_start: Instant
    window_end: Instant
    pilot: GroupFiguresOut
    rest: GroupFiguresOut
    participation_lift: float | None  # pilot rate ÷ rest rate − 1
    communities: list[CommunityFiguresOut]
