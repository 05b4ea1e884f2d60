"""Every failure answers {"error": {"code", "message"}} with the right status."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from redis.exceptions import RedisError
from sqlalchemy.exc import IntegrityError
from starlette.exceptions import HTTPException

from linli.core import redis as core_redis
from linli.core.errors import LinliError, error_body

log = logging.getLogger("linli.errors")

_HTTP_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
               405: "method_not_allowed", 413: "payload_too_large", 415: "unsupported_media_type"}


def install(app: FastAPI) -> None:
    @app.exception_handler(LinliError)
    async def domain_error(_: Request, exc: LinliError) -> JSONResponse:
        return JSONResponse(error_body(exc.code, exc.message), status_code=exc.status)

    @app.exception_handler(RequestValidationError)
    async def invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        errors = exc.errors()
        if any(e.get("type") == "json_invalid" for e in errors):
            return _malformed_json()
        parts = [f"{'.'.join(str(x) for x in e.get('loc', ()))}: {e.get('msg')}" for e in errors[:5]]
        return JSONResponse(error_body("validation_error", "; ".join(parts)), status_code=422)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> JSONResponse:
        if exc.status_code == 400 and "json" in request.headers.get("content-type", ""):
            return _malformed_json()  # a JSON body that could not even be decoded (e.g. not UTF-8)
        code = _HTTP_CODES.get(exc.status_code, "http_error")
        return JSONResponse(error_body(code, str(exc.detail)), status_code=exc.status_code,
                            headers=getattr(exc, "headers", None))

    @app.exception_handler(RedisError)
    async def redis_down(_: Request, exc: RedisError) -> JSONResponse:
        # a path with no fallback: its transaction was rolled back, so a retry is safe
        if isinstance(exc, core_redis.UNREACHABLE):
            core_redis.mark_down(exc)
        log.warning("redis failed", extra={"detail": f"{type(exc).__name__}: {exc}"[:300]})
        return JSONResponse(error_body("redis_unavailable", "a service this request needs is unavailable; "
                                       "try again shortly"), status_code=503, headers={"Retry-After": "5"})

    @app.exception_handler(IntegrityError)
    async def integrity(_: Request, exc: IntegrityError) -> JSONResponse:
        log.warning("integrity error", extra={"detail": str(exc.orig)[:300]})
        return JSONResponse(error_body("conflict", "the change conflicts with existing data"), 409)

    @app.exception_handler(Exception)
    async def unexpected(_: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error")
        return JSONResponse(error_body("internal_error", "internal error"), status_code=500)


def _malformed_json() -> JSONResponse:
    return JSONResponse(error_body("malformed_json", "the body is not valid JSON"), status_code=400)
