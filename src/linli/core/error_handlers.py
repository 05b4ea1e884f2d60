"""Every failure answers {"error": {"code", "message"}} with the right status — or, on a page route, a small
HTML error page: the pages register `app.state.error_page` (web/error_pages.py), which answers for the paths
it owns and leaves everything else (the API above all) to JSON."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from redis.exceptions import RedisError
from sqlalchemy.exc import IntegrityError
from starlette.exceptions import HTTPException
from starlette.responses import Response

from linli.core import redis as core_redis
from linli.core.errors import LinliError, error_body

log = logging.getLogger("linli.errors")

_HTTP_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
               405: "method_not_allowed", 413: "payload_too_large", 415: "unsupported_media_type"}

# (request, status, code, message) -> an HTML answer for a page route, or None
ErrorPage = Callable[[Request, int, str, str], Response | None]


def respond(request: Request, status: int, code: str, message: str,
            headers: Mapping[str, str] | None = None) -> Response:
    """The one way a failure is answered (handlers below, and middleware that refuses a request)."""
    page: ErrorPage | None = getattr(request.app.state, "error_page", None) if "app" in request.scope else None
    answer = page(request, status, code, message) if page is not None else None
    if answer is None:
        answer = JSONResponse(error_body(code, message), status_code=status)
    if headers:
        answer.headers.update(headers)
    return answer


def install(app: FastAPI) -> None:
    @app.exception_handler(LinliError)
    async def domain_error(request: Request, exc: LinliError) -> Response:
        return respond(request, exc.status, exc.code, exc.message)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        errors = exc.errors()
        if any(e.get("type") == "json_invalid" for e in errors):
            return _malformed_json(request)
        parts = [f"{'.'.join(str(x) for x in e.get('loc', ()))}: {e.get('msg')}" for e in errors[:5]]
        return respond(request, 422, "validation_error", "; ".join(parts))

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        if exc.status_code == 400 and "json" in request.headers.get("content-type", ""):
            return _malformed_json(request)  # a JSON body that could not even be decoded (e.g. not UTF-8)
        code = _HTTP_CODES.get(exc.status_code, "http_error")
        return respond(request, exc.status_code, code, str(exc.detail), getattr(exc, "headers", None))

    @app.exception_handler(RedisError)
    async def redis_down(request: Request, exc: RedisError) -> Response:
        # a path with no fallback: its transaction was rolled back, so a retry is safe
        if isinstance(exc, core_redis.UNREACHABLE):
            core_redis.mark_down(exc)
        log.warning("redis failed", extra={"detail": f"{type(exc).__name__}: {exc}"[:300]})
        return respond(request, 503, "redis_unavailable", "a service this request needs is unavailable; "
                       "try again shortly", {"Retry-After": "5"})

    @app.exception_handler(IntegrityError)
    async def integrity(request: Request, exc: IntegrityError) -> Response:
        log.warning("integrity error", extra={"detail": str(exc.orig)[:300]})
        return respond(request, 409, "conflict", "the change conflicts with existing data")

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error")
        return respond(request, 500, "internal_error", "internal error")


def _malformed_json(request: Request) -> Response:
    return respond(request, 400, "malformed_json", "the body is not valid JSON")
