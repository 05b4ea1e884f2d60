"""Server-rendered pages: operator console, leader workbench, member app."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles

ROOT = Path(__file__).resolve().parents[3]  # the repository: node_modules lives here (`npm ci`)
STATIC = Path(__file__).resolve().parent / "static"
# Browser libraries come from npm; only their dist folders are served.
VENDOR = {
    "htmx": ROOT / "node_modules" / "htmx.org" / "dist",
    "echarts": ROOT / "node_modules" / "echarts" / "dist",
    "swagger-ui": ROOT / "node_modules" / "swagger-ui-dist",
}


def mount(app: FastAPI) -> None:
    from linli.web import guard
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
    guard.install(app)

    @app.get("/", include_in_schema=False)
    def root() -> RedirectResponse:
        return RedirectResponse("/console", status_code=303)

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        """Swagger UI from our own npm copy (FastAPI's default page loads it from a CDN)."""
        return get_swagger_ui_html(openapi_url="/openapi.json", title="linli API",
                                   swagger_js_url="/static/vendor/swagger-ui/swagger-ui-bundle.js",
                                   swagger_css_url="/static/vendor/swagger-ui/swagger-ui.css",
                                   swagger_favicon_url="/static/vendor/swagger-ui/favicon-32x32.png")
