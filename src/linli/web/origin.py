"""Cross-site request forgery: the faces sign in by cookie, so a form on another site could post with the
browser's cookie. Every state-changing request to a face's pages (its login form included) must come from this
site: its `Origin` — or, when a browser sends none, its `Referer` — names this host (the request's Host) or one
of `LINLI_TRUSTED_ORIGINS`; otherwise 403 `cross_site_request` and nothing runs. A request with neither header is
refused too: every current browser sends Origin on a POST. The session cookies are also SameSite=Lax; this check
covers what Lax does not (sibling subdomains are the same site, older browsers). The API is not affected: a
bearer token is never sent by a browser on its own."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from starlette.requests import Request

from linli.core.error_handlers import respond
from linli.core.runtime import get_runtime
from linli.web.faces import face_of

SAFE = frozenset({"GET", "HEAD", "OPTIONS"})
_DEFAULT_PORT = {"http": "80", "https": "443"}


class SameOriginForms:
    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["method"] in SAFE or face_of(scope["path"]) is None:
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        if _same_origin(headers):
            await self.app(scope, receive, send)
            return
        refusal = respond(Request(scope, receive), 403, "cross_site_request",
                          "the form was not sent from this site")
        await refusal(scope, receive, send)


def _same_origin(headers: dict[bytes, bytes]) -> bool:
    source = headers.get(b"origin") or headers.get(b"referer")
    if not source:
        return False
    try:
        parts = urlsplit(source.decode("latin-1"))
        host = _host(parts.scheme, parts.netloc)
    except ValueError:
        return False
    if parts.scheme not in _DEFAULT_PORT or not host:  # "null" (a sandboxed or privacy-stripped origin) too
        return False
    own = headers.get(b"host", b"").decode("latin-1").lower()
    return host in (_host(parts.scheme, own), _host("http", own), _host("https", own)) \
        or f"{parts.scheme}://{host}" in _trusted()


def _host(scheme: str, netloc: str) -> str:
    """host[:port], lower-case, without the scheme's default port and without any user info."""
    netloc = netloc.rpartition("@")[2].lower()
    default = _DEFAULT_PORT.get(scheme)
    return netloc[: -len(default) - 1] if default and netloc.endswith(":" + default) else netloc


def _trusted() -> set[str]:
    out = set()
    for origin in get_runtime().settings.trusted_origins.split(","):
        parts = urlsplit(origin.strip())
        if parts.scheme and parts.netloc:
            out.add(f"{parts.scheme}://{_host(parts.scheme, parts.netloc)}")
    return out
