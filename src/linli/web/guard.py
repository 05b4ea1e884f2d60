"""Who may see a face's pages: one role's token in the face's own cookie, scoped to the face's path.

The console (/console, `linli_token`), the member app (/m, `linli_member`) and the workbench (/w, `linli_leader`)
each keep their own cookie, so one browser can hold all three; a token of another role is never accepted.
Each face declares its `Face` in its own guard module; everything else is the same code."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal
from urllib.parse import quote, urlsplit

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response

from linli.core.errors import Unauthorized
from linli.core.http import principal_from_token
from linli.core.security import Principal


@dataclass(frozen=True)
class Face:
    """role: the token's role; claim: the principal's id the pages need besides the role ("member_id" …);
    home: the face's root, also the cookie's path; form_return: after an expired session on a form POST, go back
    to the page the form was on by its Referer ("referer"), only a same-host Referer ("same_site"), or home."""

    role: str
    cookie: str
    home: str
    claim: Literal["member_id", "leader_id"] | None = None
    form_return: Literal["referer", "same_site", "home"] = "same_site"

    @property
    def login(self) -> str:
        return f"{self.home}/login"

    def current(self, request: Request) -> Principal | None:
        try:
            p = principal_from_token(request.cookies.get(self.cookie))
        except Unauthorized:
            return None
        if p.role != self.role or (self.claim is not None and getattr(p, self.claim) is None):
            return None
        return p

    def require(self, request: Request) -> Principal:
        """The dependency behind each face's page type (ConsoleOperator, MemberPage, LeaderPage)."""
        p = self.current(request)
        if p is None:
            # come back to a page (with its query: a share link's ?leader=), never to a form's POST-only address:
            # after a POST, the page it was on
            page = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            raise LoginRequired(self, page if request.method == "GET" else self._form_page(request))
        return p

    def _form_page(self, request: Request) -> str:
        if self.form_return == "home":
            return self.home
        referer = urlsplit(request.headers.get("referer", ""))
        if self.form_return == "same_site" and referer.netloc != request.url.netloc:
            return self.home
        return referer.path or self.home

    def safe_next(self, target: str | None) -> str:
        """Only a path of this face is a place to go back to after logging in (no open redirect)."""
        home = self.home
        if (target and target.startswith(home) and (len(target) == len(home) or target[len(home)] in "/?")
                and "//" not in target and "\\" not in target):
            return target
        return home

    def set_token(self, response: Response, request: Request, token: str, max_age: int) -> None:
        response.set_cookie(self.cookie, token, max_age=max_age, path=self.home, httponly=True, samesite="lax",
                            secure=request.url.scheme == "https")

    def clear_token(self, response: Response) -> None:
        response.delete_cookie(self.cookie, path=self.home, httponly=True, samesite="lax")


class LoginRequired(Exception):
    """No valid cookie for the face: send the browser to its login form."""

    def __init__(self, face: Face, back_to: str) -> None:
        super().__init__(back_to)
        self.face = face
        self.back_to = back_to


async def _to_login(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, LoginRequired)
    face = exc.face
    login = face.login
    target = login if face.safe_next(exc.back_to) == face.home else f"{login}?next={quote(exc.back_to)}"
    response: Response
    if request.headers.get("HX-Request"):  # htmx swaps fragments: have it load the login page instead
        response = Response(status_code=200, headers={"HX-Redirect": target})
    else:
        response = RedirectResponse(target, status_code=303)
    if face.cookie in request.cookies:
        face.clear_token(response)
    return response


def install(app: FastAPI) -> None:
    app.add_exception_handler(LoginRequired, _to_login)
