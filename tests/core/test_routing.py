"""Gated routers (core/routing.py): a request outside a router's first path segments skips it, and no route of the
real app is turned away or answered by another route because of a gate."""

from __future__ import annotations

import asyncio
import re
from typing import Any

import httpx
from fastapi import APIRouter, FastAPI
from fastapi.routing import APIRoute, iter_route_contexts

from linli.core.routing import GatedRouter, face, first_segments

PARAM = re.compile(r"\{([^}:]+)(?::[^}]+)?\}")


def test_gates_are_the_routes_literal_first_segments():
    r = APIRouter()
    for path in ("/products", "/products/{product_id}", "/orders/{order_id}/refund", "/{slug}/page", ""):
        r.add_api_route(path or "/", lambda: None, methods=["GET"])
    assert first_segments(r, "/api") == {"/api/products", "/api/orders", "/api"}


def _app() -> FastAPI:
    lists, details, other = APIRouter(), APIRouter(), APIRouter()
    lists.add_api_route("/products/export", lambda: {"by": "export"}, methods=["GET"])
    details.add_api_route("/products/{product_id}", lambda product_id: {"by": f"detail {product_id}"},
                          methods=["GET"])
    other.add_api_route("/orders", lambda: {"by": "orders"}, methods=["POST"])
    app = FastAPI()
    app.include_router(face("/x", [lists, details, other]))
    return app


def _get(app: Any, method: str, path: str) -> httpx.Response:
    async def call() -> httpx.Response:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
            return await c.request(method, path)
    return asyncio.run(call())


def test_order_wrong_methods_and_unknown_paths_answer_as_without_gates():
    app = _app()
    assert _get(app, "GET", "/x/products/export").json() == {"by": "export"}  # the earlier router wins
    assert _get(app, "GET", "/x/products/7").json() == {"by": "detail 7"}
    assert _get(app, "GET", "/x/orders").status_code == 405  # a path that fits, the wrong method
    assert _get(app, "GET", "/x/nothing").status_code == 404
    assert _get(app, "GET", "/y/products/7").status_code == 404


def test_a_gated_router_does_not_look_at_a_path_outside_its_gates():
    looked: list[str] = []

    class Watched(APIRoute):
        def matches(self, scope: Any) -> Any:
            looked.append(scope["path"])
            return super().matches(scope)

    inner = APIRouter(route_class=Watched)
    inner.add_api_route("/a/b", lambda: {}, methods=["GET"])
    app = FastAPI()
    app.include_router(face("/x", [inner]))
    assert _get(app, "GET", "/x/c").status_code == 404 and looked == []
    assert _get(app, "GET", "/x/a/b").status_code == 200 and "/x/a/b" in looked
    assert isinstance(app.router.routes[-1].original_router, GatedRouter)  # type: ignore[attr-defined]


def test_every_route_of_the_app_answers_its_own_path(client):
    """Each page and API route, asked at its own path (every parameter 1), is the route that handles the request:
    no gate hides it and no other route takes it."""
    app = client.app
    routes = [(ctx.original_route, ctx.path, sorted(ctx.methods or ())[0])
              for ctx in iter_route_contexts(app.routes) if isinstance(ctx.original_route, APIRoute)]
    assert len(routes) > 600
    handled: list[Any] = []

    async def spy(scope: Any, receive: Any, send: Any) -> None:
        await app(scope, receive, send)
        if scope["type"] == "http":
            handled.append(scope.get("route"))

    async def ask_all() -> list[tuple[str, str]]:
        wrong = []
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=spy), base_url="http://testserver",
                                     headers={"Origin": "http://testserver"}) as c:
            for route, path, method in routes:
                handled.clear()
                await c.request(method, PARAM.sub("1", path))
                if handled != [route]:
                    wrong.append((method, path))
        return wrong

    assert asyncio.run(ask_all()) == []
