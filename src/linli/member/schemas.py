from __future__ import annotations

from typing import Annotated

from pydantic import Field, StringConstraints

from linli.core.schemas import Id, In, Instant, Name, Out

Phone = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^\+?[0-9]{6,15}$")]


class MemberIn(In):
    username: Annotated[str, StringConstraints(min_length=2, max_length=60)]
    password: Annotated[str, Field(min_length=8, max_length=200)]
    name: Name
    phone: Phone
    community_id: Id
    household_id: Id | None = None


class MemberOut(Out):
    id: int
    user_id: int
    username: str
    name: str
    phone: str
    community_id: int
    household_id: int | None
    joined_at: Instant
