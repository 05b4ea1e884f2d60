"""Security headers. Every answer says `X-Content-Type-Options: nosniff` (an upload served back is never run as
a script because of its bytes); HTML pages also get a Content-Security-Policy, `X-Frame-Options: DENY` and a
Referrer-Policy.

The policy allows only this origin's own scripts (htmx, ECharts and Swagger UI come from npm and are served from
/static/vendor; page data travels in `<script type="application/json">`, which is data, not script). Style
*attributes* stay allowed (`style-src-attr`): the progress bars set a width, and ECharts' HTML tooltips carry
inline styles; a `<style>` element or a stylesheet from elsewhere is refused."""

from __future__ import annotations

from typing import Any

CSP = "; ".join((
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
))

_ALWAYS = [(b"x-content-type-options", b"nosniff")]
_PAGES = [(b"content-security-policy", CSP.encode()), (b"x-frame-options", b"DENY"),
          (b"referrer-policy", b"same-origin")]


class SecurityHeaders:
    """Plain ASGI: adds the headers to the response start, whatever answered (a route, the fast lane, an error)."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {name.lower() for name, _ in headers}
                extra = _ALWAYS + (_PAGES if _is_html(headers) else [])
                headers.extend(h for h in extra if h[0] not in names)  # a route's own choice wins
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _is_html(headers: list[tuple[bytes, bytes]]) -> bool:
    return any(name.lower() == b"content-type" and value.startswith(b"text/html") for name, value in headers)
