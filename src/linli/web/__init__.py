"""Server-rendered pages: operator console, leader workbench, member app."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles

ROOT = Path(__file__).resolve().parents[3]  # the repository: node_modules lives here (`npm ci`)
STATIC = Path(__file__).resolve().parent / "static"
# Browser libraries come from npm; only their dist folders are served.
VENDOR = {
    "htmx": ROOT / "node_modules" / "htmx.org" / "dist",
    "echarts": ROOT / "node_modules" / "echarts" / "dist",
    "swagger-ui": ROOT / "node_modules" / "swagger-ui-dist",
    "jsqr": ROOT / "node_modules" / "jsqr" / "dist",  # decodes a pickup QR code from the camera or a photo
}

DOCS_PAGE = """<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>linli API</title>
<link rel="stylesheet" href="/static/vendor/swagger-ui/swagger-ui.css">
<link rel="icon" href="/static/vendor/swagger-ui/favicon-32x32.png">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/static/vendor/swagger-ui/swagger-ui-bundle.js"></script>
<script src="/static/swagger-init.js"></script>
</body>
</html>
"""


def mount(app: FastAPI) -> None:
    from linli.web import error_pages, guard, trace_page
    from linli.web.console import install as install_console
    from linli.web.member import install as install_member
    from linli.web.workbench import install as install_workbench

    for name, folder in VENDOR.items():
        # check_dir=False: without `npm ci` the pages still work, only their scripts are missing.
        app.mount(f"/static/vendor/{name}", StaticFiles(directory=folder, check_dir=False),
                  name=f"vendor-{name}")
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    install_console(app)
    install_member(app)
    install_workbench(app)
    trace_page.install(app)
    guard.install(app)
    error_pages.install(app)

    @app.get("/", include_in_schema=False)
    def root() -> RedirectResponse:
        return RedirectResponse("/console", status_code=303)

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        """Swagger UI from our own npm copy (FastAPI's default page loads it from a CDN and starts it with an
        inline script, which the pages' CSP refuses: static/swagger-init.js starts it instead)."""
        return HTMLResponse(DOCS_PAGE)
