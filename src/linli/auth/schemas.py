from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from linli.core.schemas import In, Out


class LoginIn(In):
    tenant: Annotated[str, Field(min_length=1, max_length=40)]
    username: Annotated[str, Field(min_length=1, max_length=60)]
    password: Annotated[str, Field(min_length=1, max_length=200)]
    role: Literal["member", "leader", "operator"] | None = None  # default: the account's own role


class TokenOut(Out):
    access_token: str
    token_type: Literal["bearer"] = "bearer"
    role: str
    user_id: int
    expires_in: int


class MeOut(Out):
    user_id: int
    role: str
    tenant: str
    name: str
    member_id: int | None = None
    leader_id: int | None = None
