from __future__ import annotations

from typing import Annotated

from pydantic import Field, StringConstraints

from linli.community.schemas import PickupPointOut
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


class PickupChoiceIn(In):
    pickup_point_id: Id | None  # null: back to the community's default point


class PickupChoiceOut(Out):
    """Where the member's orders go when they name no pickup point; chosen: the member picked it."""

    pickup_point_id: int | None
    chosen: bool
    point: PickupPointOut | None
