from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, model_validator

from linli.core import clock
from linli.core.schemas import Id, In, Instant, Out


def _utc(at: datetime) -> datetime:
    try:
        return clock.as_utc(at)
    except OverflowError as exc:  # e.g. 0001-01-01 with a positive offset
        raise ValueError("time out of range") from exc


TimeIn = Annotated[datetime, Field(strict=False), AfterValidator(_utc)]  # naive: Asia/Shanghai

Title = Annotated[str, Field(min_length=1, max_length=100)]
Text = Annotated[str, Field(max_length=2000)]
Note = Annotated[str, Field(max_length=500)]
CaseStatus = Literal["open", "closed"]


class CaseIn(In):
    title: Title
    severity: Annotated[int, Field(ge=1, le=3)] = 1
    description: Text = ""
    alert_id: Id | None = None
    post_id: Id | None = None


class StepOut(Out):
    id: int
    position: int
    title: str
    owner_user_id: int | None
    due_at: Instant
    done_at: Instant | None
    done_by: int | None
    note: str
    overdue: bool


class StepPatch(In):
    owner_user_id: Id | None = None
    done: bool | None = None
    note: Note | None = None


class CaseOut(Out):
    id: int
    title: str
    severity: int
    description: str
    alert_id: int | None
    post_id: int | None
    status: CaseStatus
    opened_by: int
    created_at: Instant
    closed_at: Instant | None
    close_note: str
    overdue_steps: int = 0


class CompensationIn(In):
    """Who: members with a paid or picked-up order of the product paid in [since, until) — or in the batch's
    sale window when a batch is named and no dates are — optionally in one community. What: a coupon of a
    template or a number of points, with a message."""

    product_id: Id
    batch_id: Id | None = None
    since: TimeIn | None = None
    until: TimeIn | None = None
    community_id: Id | None = None
    kind: Literal["coupon", "points"] = "coupon"
    coupon_template_id: Id | None = None
    points: Annotated[int, Field(ge=0, le=1_000_000)] = 0
    message: Annotated[str, Field(max_length=500)] = ""

    @model_validator(mode="after")
    def _what(self) -> CompensationIn:
        if self.kind == "coupon" and self.coupon_template_id is None:
            raise ValueError("a coupon compensation needs coupon_template_id")
        if self.kind == "points" and self.points <= 0:
            raise ValueError("a points compensation needs points > 0")
        return self


class PreviewOut(Out):
    matched: int
    already_compensated: int
    to_issue: int
    since: Instant
    until: Instant
    sample_member_ids: list[int]


class CompensationOut(Out):
    id: int
    case_id: int
    kind: str
    product_id: int
    batch_id: int | None
    community_id: int | None
    since: Instant
    until: Instant
    coupon_template_id: int | None
    points: int
    message: str
    matched: int
    issued: int
    created_at: Instant


class RecipientOut(Out):
    member_id: int
    member_name: str
    member_coupon_id: int | None
    points: int
    issued_at: Instant
    followup_3d_at: Instant | None
    followup_7d_at: Instant | None


class CaseDetailOut(CaseOut):
    steps: list[StepOut]
    compensations: list[CompensationOut]
    recipients: list[RecipientOut]
    followups_sent: dict[str, int]


class CloseIn(In):
    note: Note = ""
