"""One error hierarchy; each maps to an HTTP status and the JSON shape {"error": {code, message}}."""

from __future__ import annotations


class LinliError(Exception):
    status = 400
    code = "bad_request"

    def __init__(self, message: str = "", code: str | None = None) -> None:
        super().__init__(message or self.code)
        self.message = message or self.code
        if code:
            self.code = code


class BadRequest(LinliError):
    status = 400
    code = "bad_request"


class Unauthorized(LinliError):
    status = 401
    code = "unauthorized"


class Forbidden(LinliError):
    status = 403
    code = "forbidden"


class NotFound(LinliError):
    status = 404
    code = "not_found"


class Conflict(LinliError):
    status = 409
    code = "conflict"


class Invalid(LinliError):
    status = 422
    code = "validation_error"


class TooManyRequests(LinliError):
    status = 429
    code = "too_many_requests"


def error_body(code: str, message: str) -> dict[str, dict[str, str]]:
    return {"error": {"code": code, "message": message}}
