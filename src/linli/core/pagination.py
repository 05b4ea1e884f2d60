"""Cursor pagination: newest first by id; the cursor is the last id seen."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from pydantic import BaseModel
from sqlalchemy import Select
from sqlalchemy.orm import Session

from linli.core.errors import BadRequest

T = TypeVar("T")
Row = TypeVar("Row")


class Page(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None = None


def parse_cursor(cursor: str | None) -> int | None:
    if cursor in (None, ""):
        return None
    assert cursor is not None
    if not (cursor.isascii() and cursor.isdigit() and len(cursor) < 19):
        raise BadRequest("cursor is not valid", code="invalid_cursor")
    return int(cursor)


def fetch_page(session: Session, stmt: Select[Any], id_col: Any, limit: int,
               cursor: str | None) -> tuple[Sequence[Any], str | None]:
    after = parse_cursor(cursor)
    if after is not None:
        stmt = stmt.where(id_col < after)
    rows = session.scalars(stmt.order_by(id_col.desc()).limit(limit + 1)).all()
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, (str(rows[-1].id) if more and rows else None)


def page_of(rows: Sequence[Row], next_cursor: str | None, shape: Callable[[Row], T]) -> Page[T]:
    return Page[T](items=[shape(r) for r in rows], next_cursor=next_cursor)
