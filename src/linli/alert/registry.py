"""The shape of a monitored metric: a small named function that reads other domains through their services
and answers one Reading per scope it judged, over a Window aligned on Asia/Shanghai days.

Windows: "day" is yesterday, "week" the 7 days up to today's midnight (both complete, so every run of a day
reads the same numbers and an alert's key — metric, scope, window start — is stable); "now" is a snapshot
at the run's instant, keyed by today. Drops and spikes compare the window with the mean of the windows
before it (4 for weeks, 7 for days)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Literal, TypeVar, cast

from sqlalchemy.orm import Session

from linli.core import clock

T = TypeVar("T")
WindowKind = Literal["day", "week", "now"]
Scope = Literal["tenant", "community", "leader", "product"]
Comparator = Literal[">", ">=", "<="]


@dataclass(frozen=True)
class Window:
    start: datetime
    end: datetime
    at: datetime  # the instant of the run (snapshot metrics read "as of" it)

    @property
    def length(self) -> timedelta:
        return self.end - self.start

    def back(self, n: int) -> Window:
        """The window n lengths earlier."""
        shift = self.length * n
        return Window(self.start - shift, self.end - shift, self.at - shift)


def window_for(kind: WindowKind, at: datetime) -> Window:
    today = clock.today_start_local(at)
    if kind == "day":
        return Window(today - timedelta(days=1), today, at)
    if kind == "week":
        return Window(today - timedelta(days=7), today, at)
    return Window(today, today + timedelta(days=1), at)


@dataclass(frozen=True)
class Reading:
    """One scope's value. base: the sample the value stands on (orders, members, fen …); a reading whose base
    is below the threshold's min_base is not judged. community_id lets the centre filter by community."""

    scope_kind: Scope
    scope_id: int  # 0 for the tenant
    scope_name: str
    value: float
    base: int
    community_id: int | None = None
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Limits:
    threshold: float
    min_base: int


Compute = Callable[[Session, int, Window, "Context", Limits], list[Reading]]


@dataclass(frozen=True)
class Metric:
    key: str
    label: str  # Chinese, shown on the pages
    scope: Scope
    window: WindowKind
    unit: str  # "%", "单", "天", "件", "人", "次", "阅读"
    comparator: Comparator
    threshold: float  # the default (the seeds' numbers where they give one)
    min_base: int
    compute: Compute
    hint: str  # what the value means, in Chinese
    max_threshold: float = 1_000_000.0

    def breached(self, value: float, limits: Limits) -> bool:
        if self.comparator == ">":
            return value > limits.threshold
        if self.comparator == ">=":
            return value >= limits.threshold
        return value <= limits.threshold


class Context:
    """Per-evaluation memo of what several metrics read: pickup point maps, names, order counts by window."""

    def __init__(self) -> None:
        self.memo: dict[Any, Any] = {}

    def get(self, key: Any, load: Callable[[], T]) -> T:
        if key not in self.memo:
            self.memo[key] = load()
        return cast(T, self.memo[key])


def percent(part: float, whole: float) -> float:
    """part / whole as a percentage rounded to 2 places (15.0, not 15.000000000000002); 0 for no whole."""
    return round(100 * part / whole, 2) if whole else 0.0


def drop_percent(current: float, usual: float) -> float:
    """How far current fell below usual, in percent (0 when it rose)."""
    return max(0.0, percent(usual - current, usual))


def mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else 0.0
