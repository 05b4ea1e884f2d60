"""FastAPI dependencies every endpoint uses: the request's unit of work, the principal,
role checks and idempotent execution."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Annotated, Any

from fastapi import Depends, Header, Request
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel
from sqlalchemy.orm import Session

from linli.core import idempotency, throttle
from linli.core.errors import Forbidden, Unauthorized
from linli.core.runtime import get_runtime
from linli.core.schemas import ErrorOut
from linli.core.security import Principal

_bearer = HTTPBearer(auto_error=False)

# The failures any API operation may answer, documented once for every router (see linli.api).
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorOut, "description": text} for status, text in (
        (400, "Malformed request (e.g. the body is not valid JSON)"),
        (401, "Not authenticated, or the token is invalid or expired"),
        (403, "The caller's role may not do this"),
        (404, "No such resource in the caller's tenant"),
        (409, "Conflicts with the current state"),
        (422, "Invalid input"),
        (429, "Too many attempts"),
    )
}


def _session() -> Iterator[Session]:
    """One transaction per request, committed before the response is sent."""
    with get_runtime().db.unit_of_work() as session:
        yield session


# scope="function": the commit runs when the endpoint returns, so a failed commit is the answer.
Db = Annotated[Session, Depends(_session, scope="function")]


def principal_from_token(token: str | None) -> Principal:
    if not token:
        raise Unauthorized("authentication required", code="unauthorized")
    if not token.isascii():  # header bytes arrive as latin-1 text; tokens are ASCII (and compare_digest needs it)
        raise Unauthorized("invalid token", code="invalid_token")
    return get_runtime().signer.verify(token)


def _principal(creds: HTTPAuthorizationCredentials | None = Depends(_bearer)) -> Principal:
    if creds is None or creds.scheme.lower() != "bearer":
        raise Unauthorized("authentication required", code="unauthorized")
    return principal_from_token(creds.credentials)


Auth = Annotated[Principal, Depends(_principal)]


def require(*roles: str) -> Callable[[Principal], Principal]:
    def check(p: Auth) -> Principal:
        if p.role not in roles:
            raise Forbidden(f"this needs role: {' or '.join(roles)}", code="forbidden")
        return p

    return check


Operator = Annotated[Principal, Depends(require("operator"))]
MemberP = Annotated[Principal, Depends(require("member"))]
LeaderOrOperator = Annotated[Principal, Depends(require("leader", "operator"))]
MemberOrOperator = Annotated[Principal, Depends(require("member", "operator"))]

IdemKey = Annotated[str | None, Header(alias="Idempotency-Key", max_length=200)]


def idempotent(session: Session, p: Principal, request: Request, key: str | None,
               body: BaseModel | None, status: int, work: Callable[[], BaseModel]) -> JSONResponse:
    """Run `work` once per Idempotency-Key; a repeat returns the first response unchanged."""
    if not key:
        return JSONResponse(_dump(work()), status_code=status)
    fp = idempotency.fingerprint(request.method, request.url.path,
                                 body.model_dump_json().encode() if body is not None else b"")
    record, earlier = idempotency.claim(session, p.tenant_id, p.user_id, key, fp)
    if earlier is not None:
        return JSONResponse(earlier.response, status_code=earlier.status_code or status,
                            headers={"Idempotent-Replayed": "true"})
    assert record is not None
    content = _dump(work())
    idempotency.remember(record, status, content)
    return JSONResponse(content, status_code=status)


def _dump(model: BaseModel) -> Any:
    return model.model_dump(mode="json")


def count_failure(s: Session, keys: list[str], window: timedelta) -> None:
    """Count a failed attempt although the request fails: drop the request's own transaction
    first (SQLite has one writer), then record the failure in a transaction of its own."""
    s.rollback()
    with get_runtime().db.unit_of_work() as counter:
        throttle.record_failure(counter, keys, window)
