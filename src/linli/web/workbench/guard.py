"""Who may use the workbench: a leader holding a valid token in the `linli_leader` cookie (path /w).

Members and operators keep their own cookies on /m and /console; their tokens are never accepted here."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import Depends, FastAPI, Request
from fastapi.responses import RedirectResponse, Response

from linli.core.errors import Unauthorized
from linli.core.http import principal_from_token
from linli.core.security import Principal

COOKIE = "linli_leader"
COOKIE_PATH = "/w"
HOME = "/w"
LOGIN = "/w/login"


class LeaderLoginRequired(Exception):
    """No valid leader cookie: send the browser to the workbench login form."""

    def __init__(self, back_to: str) -> None:
        super().__init__(back_to)
        self.back_to = back_to


def current_leader(request: Request) -> Principal | None:
    try:
        p = principal_from_token(request.cookies.get(COOKIE))
    except Unauthorized:
        return None
    return p if p.role == "leader" and p.leader_id is not None else None


def _require_leader(request: Request) -> Principal:
    p = current_leader(request)
    if p is None:
        raise LeaderLoginRequired(request.url.path if request.method == "GET" else HOME)
    return p


LeaderPage = Annotated[Principal, Depends(_require_leader)]


def safe_next(target: str | None) -> str:
    """Only a workbench path is a place to go back to after logging in (no open redirect)."""
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
        assert isinstance(exc, LeaderLoginRequired)
        target = LOGIN if safe_next(exc.back_to) == HOME else f"{LOGIN}?next={quote(exc.back_to)}"
        response = RedirectResponse(target, status_code=303)
        if COOKIE in request.cookies:
            clear_token(response)
        return response

    app.add_exception_handler(LeaderLoginRequired, to_login)
