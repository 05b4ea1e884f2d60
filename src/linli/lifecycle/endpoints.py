from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from linli.core.http import Db, MemberP, Operator
from linli.core.schemas import Id
from linli.lifecycle import service
from linli.lifecycle.schemas import (
    DistributionOut,
    LifecycleOut,
    MyLifecycleOut,
    SettingsIn,
    SettingsOut,
)

router = APIRouter(tags=["lifecycle"])


@router.get("/lifecycle/settings", response_model=SettingsOut)
def get_settings(p: Operator, s: Db) -> SettingsOut:
    return service.get_settings(s, p)


@router.put("/lifecycle/settings", response_model=SettingsOut)
def put_settings(data: SettingsIn, p: Operator, s: Db) -> SettingsOut:
    return service.put_settings(s, p, data)


@router.get("/lifecycle/distribution", response_model=DistributionOut)
def stage_distribution(p: Operator, s: Db, days: Annotated[int, Query(ge=1, le=366)] = 30) -> DistributionOut:
    return service.distribution(s, p, days)


@router.get("/members/{member_id}/lifecycle", response_model=LifecycleOut)
def member_lifecycle(member_id: Id, p: Operator, s: Db) -> LifecycleOut:
    return service.of_member(s, p, member_id)


@router.get("/me/lifecycle", response_model=MyLifecycleOut)
def my_lifecycle(p: MemberP, s: Db) -> MyLifecycleOut:
    return service.mine(s, p)

