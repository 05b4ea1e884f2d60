"""Who may see the console: an operator holding a valid token in the `linli_token` cookie."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote, urlsplit

from fastapi import Depends, FastAPI, Request
from fastapi.responses import RedirectResponse, Response

from linli.core.errors import Unauthorized
from linli.core.http import principal_from_token
from linli.core.security import Principal

COOKIE = "linli_token"
COOKIE_PATH = "/console"
LOGIN = "/console/login"


class LoginRequired(Exception):
    """No valid operator cookie: send the browser to the login form."""

    def __init__(self, back_to: str) -> None:
        super().__init__(back_to)
        self.back_to = back_to


def current_operator(request: Request) -> Principal | None:
    try:
        p = principal_from_token(request.cookies.get(COOKIE))
    except Unauthorized:
        return None
    return p if p.role == "operator" else None


def _require_operator(request: Request) -> Principal:
    p = current_operator(request)
    if p is None:
        # come back to a page, never to a form's POST-only address: after a POST, the page it was on
        back_to = request.url.path if request.method == "GET" else urlsplit(request.headers.get("referer", "")).path
        raise LoginRequired(back_to)
    return p


ConsoleOperator = Annotated[Principal, Depends(_require_operator)]


def safe_next(target: str | None) -> str:
    """Only a console path is a place to go back to after logging in (no open redirect)."""
    if target and target.startswith("/console") and "//" not in target and "\\" not in target:
        return target
    return "/console"


def set_token(response: Response, request: Request, token: str, max_age: int) -> None:
    response.set_cookie(COOKIE, token, max_age=max_age, path=COOKIE_PATH, httponly=True, samesite="lax",
                        secure=request.url.scheme == "https")


def clear_token(response: Response) -> None:
    response.delete_cookie(COOKIE, path=COOKIE_PATH, httponly=True, samesite="lax")


def install(app: FastAPI) -> None:
    async def to_login(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, LoginRequired)
        target = LOGIN if safe_next(exc.back_to) == "/console" else f"{LOGIN}?next={quote(exc.back_to)}"
        response: Response
        if request.headers.get("HX-Request"):
            response = Response(status_code=200, headers={"HX-Redirect": target})
        else:
            response = RedirectResponse(target, status_code=303)
        if COOKIE in request.cookies:
            clear_token(response)
        return response

    app.add_exception_handler(LoginRequired, to_login)
