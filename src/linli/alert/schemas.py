from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field

from linli.core.schemas import In, Instant, Out

AlertStatus = Literal["open", "acknowledged", "resolved"]
Note = Annotated[str, Field(max_length=500)]


class MetricOut(Out):
    key: str
    label: str
    scope: str
    window: str
    unit: str
    comparator: str
    hint: str
    default_threshold: float
    default_min_base: int
    max_threshold: float


class ThresholdOut(Out):
    metric: str
    label: str
    unit: str
    comparator: str
    threshold: float
    min_base: int
    enabled: bool
    is_default: bool


class ThresholdIn(In):
    threshold: Annotated[float, Field(ge=0, le=1_000_000, allow_inf_nan=False)]
    min_base: Annotated[int, Field(ge=0, le=10**9)] = 0
    enabled: bool = True


class ThresholdPut(ThresholdIn):
    metric: Annotated[str, Field(min_length=1, max_length=40)]


class AlertOut(Out):
    id: int
    metric: str
    label: str
    unit: str
    comparator: str
    scope_kind: str
    scope_id: int
    scope_name: str
    community_id: int | None
    window_start: Instant
    window_end: Instant
    value: float
    threshold: float
    base: int
    last_value: float
    detail: dict[str, Any]
    status: AlertStatus
    raised_at: Instant
    last_seen_at: Instant
    acknowledged_at: Instant | None
    acknowledged_by: int | None
    resolved_at: Instant | None
    resolved_by: int | None
    note: str


class ActionIn(In):
    note: Note = ""


class SummaryOut(Out):
    open: int
    acknowledged: int
    resolved: int


class EvaluateOut(Out):
    raised: int
