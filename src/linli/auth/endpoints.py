from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Request

from linli.auth import service
from linli.auth.schemas import LoginIn, MeOut, TokenOut
from linli.core.errors import Unauthorized
from linli.core.http import Auth, Db, count_failure
from linli.core.runtime import get_runtime

router = APIRouter(tags=["auth"])


@router.post("/auth/login", response_model=TokenOut)
def login(data: LoginIn, request: Request, s: Db,
          device_id: Annotated[str | None, Header(alias="X-Device-Id", max_length=80)] = None) -> TokenOut:
    address = request.client.host if request.client else "unknown"
    rt = get_runtime()
    try:
        return service.login(s, rt.signer, data, address, device_id)
    except Unauthorized:
        count_failure(s, list(service.throttle_keys(data, address)), service.window())
        raise


@router.get("/me", response_model=MeOut)
def me(p: Auth, s: Db) -> MeOut:
    return service.me(s, p)
