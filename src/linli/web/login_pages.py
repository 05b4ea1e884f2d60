"""The login form and logout of a face (console, member app, workbench): one router per face, built here, so the
three differ only in their template and wording. The sign-in step itself is web.signin."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from linli.core.http import Db
from linli.web.guard import Face
from linli.web.signin import Refusal, sign_in

Field = Annotated[str, Form(max_length=200)]
Render = Callable[..., Response]


def login_router(face: Face, render: Render, template: str, words: tuple[str, str], not_this_role: str,
                 **page: Any) -> APIRouter:
    """GET/POST `{home}/login` and GET `{home}/logout` for `face`. `words` name the tenant and account fields as
    the page shows them; `page` is extra template context (e.g. the title)."""
    router = APIRouter()

    def form(request: Request, error: str | None = None, status_code: int = 200, tenant: str = "",
             username: str = "", next_path: str = "") -> Response:
        return render(request, template, status_code=status_code, error=error, tenant=tenant, username=username,
                      next_path=next_path, **page)

    @router.get("/login")
    def login_form(request: Request, next: str = "", tenant: str = "") -> Response:
        if face.current(request) is not None:
            return RedirectResponse(face.safe_next(next), status_code=303)
        return form(request, next_path=face.safe_next(next), tenant=tenant.strip()[:40])

    @router.post("/login")
    def login(request: Request, s: Db, tenant: Field = "", username: Field = "", password: Field = "",
              next: Field = "") -> Response:
        tenant, username = tenant.strip(), username.strip()
        again = {"tenant": tenant, "username": username, "next_path": face.safe_next(next)}
        token = sign_in(request, s, tenant, username, password, face.role, words, not_this_role)
        if isinstance(token, Refusal):
            return form(request, token.message, token.status_code, **again)
        response = RedirectResponse(face.safe_next(next), status_code=303)
        face.set_token(response, request, token.access_token, token.expires_in)
        return response

    @router.get("/logout")
    def logout() -> Response:
        response = RedirectResponse(face.login, status_code=303)
        face.clear_token(response)
        return response

    return router
