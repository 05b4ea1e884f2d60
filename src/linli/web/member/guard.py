"""Who may use the member app: a member holding a valid token in the `linli_member` cookie (path /m).

The console keeps its own cookie on /console, so one browser can hold both; an operator's or leader's
token is never accepted here."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote, urlsplit

from fastapi import Depends, FastAPI, Request
from fastapi.responses import RedirectResponse, Response

from linli.core.errors import Unauthorized
from linli.core.http import principal_from_token
from linli.core.security import Principal

COOKIE = "linli_member"
COOKIE_PATH = "/m"
HOME = "/m"
LOGIN = "/m/login"


class MemberLoginRequired(Exception):
    """No valid member cookie: send the browser to the member login form."""

    def __init__(self, back_to: str) -> None:
        super().__init__(back_to)
        self.back_to = back_to


def current_member(request: Request) -> Principal | None:
    try:
        p = principal_from_token(request.cookies.get(COOKIE))
    except Unauthorized:
        return None
    return p if p.role == "member" and p.member_id is not None else None


def _require_member(request: Request) -> Principal:
    p = current_member(request)
    if p is None:
        raise MemberLoginRequired(request.url.path if request.method == "GET" else _page_of(request))
    return p


def _page_of(request: Request) -> str:
    """Where a form was posted from (after logging in, the browser goes back there, not to the action)."""
    referer = urlsplit(request.headers.get("referer", ""))
    return referer.path if referer.netloc == request.url.netloc and referer.path else HOME


MemberPage = Annotated[Principal, Depends(_require_member)]


def safe_next(target: str | None) -> str:
    """Only a member-app path is a place to go back to after logging in (no open redirect)."""
    if (target and target.startswith(HOME) and (len(target) == len(HOME) or target[len(HOME)] in "/?")
            and "//" not in target and "\\" not in target):
        return target
    return HOME


def set_token(response: Response, request: Request, token: str, max_age: int) -> None:
    response.set_cookie(COOKIE, token, max_age=max_age, path=COOKIE_PATH, httponly=True, samesite="lax",
                        secure=request.url.scheme == "https")


def clear_token(response: Response) -> None:
    response.delete_cookie(COOKIE, path=COOKIE_PATH, httponly=True, samesite="lax")


def install(app: FastAPI) -> None:
    async def to_login(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, MemberLoginRequired)
        target = LOGIN if safe_next(exc.back_to) == HOME else f"{LOGIN}?next={quote(exc.back_to)}"
        response = RedirectResponse(target, status_code=303)
        if COOKIE in request.cookies:
            clear_token(response)
        return response

    app.add_exception_handler(MemberLoginRequired, to_login)
