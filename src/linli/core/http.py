"""FastAPI dependencies every endpoint uses: the request's unit of work, the principal,
role checks and idempotent execution."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import timedelta
from typing import Annotated, Any

import anyio
import anyio.to_thread
from anyio.lowlevel import RunVar
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


async def _session() -> AsyncIterator[Session]:
    """One transaction per request, committed before the response is sent. Async so that opening the
    session (no I/O: it connects on first use) costs no thread hand-off; the commit or rollback and the
    close run in one trip to a worker thread, shielded from cancellation (a client that hangs up must not
    leak the connection) and outside the thread pool's limit: the endpoints holding every pool thread may
    be waiting for the very connection this releases (as FastAPI does for sync generator dependencies)."""
    session = get_runtime().db.sessions()
    try:
        yield session
    except BaseException:
        await _end(session, False)
        raise
    await _end(session, True)


async def _end(session: Session, commit: bool) -> None:
    if not session.in_transaction():  # never touched the database (e.g. refused early): nothing to wait for
        _finish(session, commit)
        return
    with anyio.CancelScope(shield=True):
        await anyio.to_thread.run_sync(_finish, session, commit, limiter=anyio.CapacityLimiter(1))


def _finish(session: Session, commit: bool) -> None:
    try:
        if commit:
            session.commit()
        else:
            session.rollback()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


# scope="function": the commit runs when the endpoint returns, so a failed commit is the answer.
Db = Annotated[Session, Depends(_session, scope="function")]


def principal_from_token(token: str | None) -> Principal:
    if not token:
        raise Unauthorized("authentication required", code="unauthorized")
    if not token.isascii():  # header bytes arrive as latin-1 text; tokens are ASCII (and compare_digest needs it)
        raise Unauthorized("invalid token", code="invalid_token")
    return get_runtime().signer.verify(token)


# The principal and role checks are async: pure CPU (one HMAC), so no thread-pool hand-off per request.
async def _principal(creds: HTTPAuthorizationCredentials | None = Depends(_bearer)) -> Principal:
    if creds is None or creds.scheme.lower() != "bearer":
        raise Unauthorized("authentication required", code="unauthorized")
    return principal_from_token(creds.credentials)


Auth = Annotated[Principal, Depends(_principal)]


def require(*roles: str) -> Callable[[Principal], Awaitable[Principal]]:
    async def check(p: Auth) -> Principal:
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
    """Run `work` once per Idempotency-Key; a repeat returns the first response unchanged.

    The transaction commits here, in the endpoint's worker thread: a hot row the work locked last (a
    product's stock, a flash sale's units) is released one round trip after its UPDATE, not after a trip
    back through a busy event loop. A failed commit is still the answer."""
    if not key:
        answer: JSONResponse = _Serialised(work().model_dump_json().encode(), status_code=status)
    else:
        fp = idempotency.fingerprint(request.method, request.url.path,
                                     body.model_dump_json().encode() if body is not None else b"")
        record, earlier = idempotency.claim(session, p.tenant_id, p.user_id, key, fp)
        if earlier is not None:
            return JSONResponse(earlier.response, status_code=earlier.status_code or status,
                                headers={"Idempotent-Replayed": "true"})
        assert record is not None
        content = _dump(work())
        idempotency.remember(record, status, content)
        answer = JSONResponse(content, status_code=status)
    session.commit()
    return answer


_hot_writers: RunVar[anyio.CapacityLimiter] = RunVar("linli_hot_writers")


async def hot_write(work: Callable[[], JSONResponse]) -> JSONResponse:
    """Run a hot write (one that ends on a contended row: a product's stock, a flash sale's units) in a few
    worker threads of its own (`hot_write_threads`). Under a herd, forty threads contending for the GIL make
    the thread holding the row wait its turn for milliseconds before it can commit, and every other buyer of
    that row waits behind it. Safe with few threads because the work commits and serialises in its thread
    (`idempotent`): once it returns it needs no thread, so it cannot wait for one while holding a lock."""
    try:
        limiter = _hot_writers.get()
    except LookupError:  # one limiter per event loop
        limiter = anyio.CapacityLimiter(get_runtime().settings.hot_write_threads)
        _hot_writers.set(limiter)
    return await anyio.to_thread.run_sync(work, limiter=limiter)


class _Serialised(JSONResponse):
    """A JSON response whose body pydantic has already serialised (skips the dict and json.dumps)."""

    def render(self, content: Any) -> bytes:
        return content if isinstance(content, bytes) else super().render(content)


def _dump(model: BaseModel) -> Any:
    return model.model_dump(mode="json")


def count_failure(s: Session, keys: list[str], window: timedelta) -> None:
    """Count a failed attempt although the request fails: drop the request's own transaction
    first (SQLite has one writer), then record the failure in a transaction of its own."""
    s.rollback()
    with get_runtime().db.unit_of_work() as counter:
        throttle.record_failure(counter, keys, window)
