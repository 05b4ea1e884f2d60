"""Pydantic building blocks shared by every domain's schemas."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import Query
from pydantic import BaseModel, ConfigDict, Field, PlainSerializer, StringConstraints, model_validator

from linli.core.clock import local

# Times leave the API as ISO 8601 in Asia/Shanghai, with the offset.
Instant = Annotated[datetime, PlainSerializer(lambda d: local(d).isoformat(), return_type=str)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]
Fen = Annotated[int, Field(ge=0, le=10**12)]
PositiveFen = Annotated[int, Field(gt=0, le=10**12)]
Lat = Annotated[float, Field(ge=-90, le=90)]
Lng = Annotated[float, Field(ge=-180, le=180)]
Limit = Annotated[int, Field(ge=1, le=200)]
Id = Annotated[int, Field(ge=1, le=2**62)]
# Free text in a query string (a search): PostgreSQL can neither store nor compare text holding NUL, so a
# NUL is bad input (422), refused here once for every list and page rather than in each endpoint.
NO_NUL = r"^[^\x00]*$"
Search = Annotated[str | None, Query(max_length=60, pattern=NO_NUL)]
ShortSearch = Annotated[str | None, Query(max_length=20, pattern=NO_NUL)]
PageSearch = Annotated[str, Query(pattern=NO_NUL)]  # the console and workbench search boxes
# A month, YYYY-MM, in 1900-2099: beyond that a month's instants fall outside what the clock can convert
# (year 1 in Asia/Shanghai is before datetime.min in UTC) and outside the almanac's tables.
MONTH = r"^(19|20)\d{2}-(0[1-9]|1[0-2])$"
Month = Annotated[str, StringConstraints(pattern=MONTH)]
MonthQuery = Annotated[str, Query(pattern=MONTH)]


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(_has_nul(v) for v in value)
    return False


class In(BaseModel):
    """Request bodies: unknown fields are refused, strings are not coerced to numbers, and no text
    holds a NUL character (PostgreSQL cannot store one: it would be a 500, not a 422)."""

    model_config = ConfigDict(extra="forbid", strict=True)

    @model_validator(mode="before")
    @classmethod
    def _no_nul(cls, data: Any) -> Any:
        if _has_nul(data):
            raise ValueError("text must not contain NUL characters")
        return data


class Out(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class ErrorDetail(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", examples=["not_found"])]
    message: str


class ErrorOut(BaseModel):
    """Every failure: {"error": {"code", "message"}}."""

    model_config = ConfigDict(extra="forbid")

    error: ErrorDetail
