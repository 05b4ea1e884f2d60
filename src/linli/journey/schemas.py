from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, StringConstraints

from linli.core.schemas import Id, In, Instant, Name, Out

Description = Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)]
ConversionDays = Annotated[int, Field(ge=1, le=90)]
Status = Literal["draft", "active", "paused"]
TemplateCode = Annotated[str, StringConstraints(min_length=1, max_length=40, pattern=r"^[a-z0-9_]+$")]


class JourneyIn(In):
    """definition: {"trigger", "reentry", "start", "steps"} — see linli.journey.definition; checked whole."""

    name: Name
    description: Description = ""
    conversion_days: ConversionDays = 7
    definition: dict[str, Any]


class JourneyPatch(In):
    """A new definition makes a new version; members already inside keep theirs."""

    name: Name | None = None
    description: Description | None = None
    conversion_days: ConversionDays | None = None
    definition: dict[str, Any] | None = None


class FromTemplateIn(In):
    template: TemplateCode
    name: Name | None = None
    coupon_template_id: Id | None = None


class JourneyOut(Out):
    id: int
    name: str
    description: str
    status: str
    version: int
    template_code: str | None
    trigger_kind: str
    trigger_topic: str | None
    conversion_days: int
    created_at: Instant
    updated_at: Instant
    definition: dict[str, Any]


class TemplateParamOut(Out):
    name: str
    label: str


class TemplateOut(Out):
    code: str
    name: str
    description: str
    params: list[TemplateParamOut]
    conversion_days: int
    definition: dict[str, Any]


class StepFunnelOut(Out):
    step_id: str
    type: str
    label: str
    entered: int
    completed: int
    pending: int
    failed: int
    outcomes: dict[str, int]  # the edge taken (true/false, a branch label) or an action's result
    converted: int | None  # actions only: members with a paid order within conversion_days after it
    conversion_rate: float | None


class FunnelOut(Out):
    journey_id: int
    version: int
    conversion_days: int
    enrolled: int
    finished: int
    steps: list[StepFunnelOut]


class LeaderTaskOut(Out):
    id: int
    member_id: int
    member_name: str
    kind: str
    title: str
    note: str
    due_at: Instant | None
    created_at: Instant
    done_at: Instant | None
    done_note: str | None


class TaskDoneIn(In):
    note: Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)] = ""
