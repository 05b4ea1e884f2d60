"""Numbered pages for the console's lists (共 N 条 · 第 n / M 页, with column sums), and reading a whole filtered list
in bounded batches for export. The API keeps its cursor pages (core/pagination.py); an operator wants page numbers
and totals, and COUNT + OFFSET/LIMIT over one tenant's rows is cheap at the console's scale."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from linli.core.errors import Forbidden
from linli.core.security import Principal

T = TypeVar("T")
Shape = Callable[[Sequence[Any]], list[T]]  # a batch of ORM rows -> what the page shows (one lookup per batch)
EXPORT_BATCH = 1000


@dataclass(frozen=True)
class Filters:
    """What an operator narrows a list by; every field optional. Times are UTC, `since` inclusive, `until`
    exclusive. `on` names the date a list is filtered by where it has two (orders: created or paid)."""

    q: str | None = None
    status: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    community_id: int | None = None
    leader_id: int | None = None
    on: str = "created"


@dataclass(frozen=True)
class Numbered(Generic[T]):
    rows: list[T]
    total: int
    page: int
    size: int
    sums: dict[str, int] = field(default_factory=dict)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))


def operator_only(p: Principal) -> None:
    """The console's tenant-wide lists are for operators."""
    if p.role != "operator":
        raise Forbidden("tenant-wide lists are for operators", code="forbidden")


def within(stmt: Select[Any], column: Any, f: Filters) -> Select[Any]:
    """`stmt` narrowed to rows whose `column` falls in the filter's date range."""
    if f.since is not None:
        stmt = stmt.where(column >= f.since)
    if f.until is not None:
        stmt = stmt.where(column < f.until)
    return stmt


def count(s: Session, stmt: Select[Any]) -> int:
    """How many rows `stmt` selects (a to-do count)."""
    return int(s.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0)


def numbered(s: Session, stmt: Select[Any], id_col: Any, page: int, size: int, shape: Shape[T],
             sums: Sequence[str] = ()) -> Numbered[T]:
    """Page `page` (from 1; past the end means the last) of `stmt`, newest first, with the count and the sums of
    the named columns over every matching row, in one aggregate query."""
    sub = stmt.order_by(None).subquery()
    figures = s.execute(select(func.count(), *(func.coalesce(func.sum(sub.c[n]), 0) for n in sums))
                        .select_from(sub)).one()
    total = int(figures[0])
    last = max(1, -(-total // size))
    page = min(max(1, page), last)
    rows = s.scalars(stmt.order_by(id_col.desc()).offset((page - 1) * size).limit(size)).all()
    return Numbered(shape(rows), total, page, size, {n: int(v) for n, v in zip(sums, figures[1:], strict=True)})


def batches(s: Session, stmt: Select[Any], id_col: Any, shape: Shape[T], size: int = EXPORT_BATCH,
            columns: Sequence[Any] = ()) -> Iterator[list[T]]:
    """Every row of `stmt`, newest first, `size` at a time by id (keyset: each batch is an indexed range read, so
    memory stays bounded and late batches cost no more than early ones). With `columns` (`id_col` among them) the
    batches are plain rows of just those columns: no ORM objects, which are most of a large export's time."""
    if columns:
        stmt = stmt.with_only_columns(*columns)
    read = s.execute if columns else s.scalars
    after: int | None = None
    while True:
        batch = stmt if after is None else stmt.where(id_col < after)
        rows = read(batch.order_by(id_col.desc()).limit(size)).all()
        if not rows:
            return
        yield shape(rows)
        if len(rows) < size:
            return
        after = rows[-1].id
