from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints, model_validator

from linli.core.schemas import In, Instant, Out

Weight = Annotated[int, Field(ge=0, le=100)]
Note = Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)]
Month = Annotated[str, StringConstraints(pattern=r"^\d{4}-\d{2}$")]


class RatingIn(In):
    stars: Annotated[int, Field(ge=1, le=5)]
    comment: Note | None = None


class RatingOut(Out):
    id: int
    order_id: int
    member_id: int
    leader_id: int | None
    stars: int
    comment: str | None
    created_at: Instant


class SettingsIn(In):
    """Weights in percent (sum 100); a total under warning_below, or a place in the bottom
    warning_bottom_pct percent, is a warning; replace_after consecutive warnings suggest a replacement."""

    w_sales: Weight = 40
    w_growth: Weight = 20
    w_service: Weight = 25
    w_activity: Weight = 15
    warning_below: Annotated[int, Field(ge=0, le=100)] = 40
    warning_bottom_pct: Annotated[int, Field(ge=0, le=50)] = 10
    replace_after: Annotated[int, Field(ge=3, le=12)] = 3

    @model_validator(mode="after")
    def _sum(self) -> SettingsIn:
        if self.w_sales + self.w_growth + self.w_service + self.w_activity != 100:
            raise ValueError("weights must sum to 100")
        return self


class SettingsOut(Out):
    w_sales: int
    w_growth: int
    w_service: int
    w_activity: int
    warning_below: int
    warning_bottom_pct: int
    replace_after: int


class RunIn(In):
    month: Month


class RunOut(Out):
    month: str
    leaders: int


class AssessmentOut(Out):
    id: int
    month: str
    leader_id: int
    sales_fen: int
    new_members: int
    avg_stars: float | None
    ratings: int
    activity: int
    sales_score: float
    growth_score: float
    service_score: float
    activity_score: float
    total: float
    rank: int
    tier_before: str
    tier_after: str
    title: str | None
    warned: bool


class CaseEventOut(Out):
    id: int
    action: str
    actor_user_id: int | None
    actor_role: str
    note: str | None
    at: Instant


class HelpTaskOut(Out):
    id: int
    case_id: int
    metric: str
    text: str
    done_at: Instant | None


class CaseOut(Out):
    id: int
    leader_id: int
    month: str
    kind: str
    status: str
    streak: int
    note: str | None
    created_at: Instant
    decided_at: Instant | None
    events: list[CaseEventOut] = []
    tasks: list[HelpTaskOut] = []


class LeaderRecordOut(Out):
    """A leader's scores, titles, warnings, help plans and replacement cases, newest first."""

    leader_id: int
    assessments: list[AssessmentOut]
    cases: list[CaseOut]


class DecideIn(In):
    decision: Literal["keep", "replace"]
    note: Note = ""
