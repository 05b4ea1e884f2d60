"""Routers that skip, with one string test, every request outside the paths of their routes.

FastAPI (0.165) finds a request's route by trying every route of every included router in turn, and again at
each level as it hands the request down: with ~650 routes that was ~2 ms of every request before its handler ran.
A gated router answers "no match" at once for a path that starts with none of its gates, so a request is tried
against its own face's routers and, there, only against the routers whose first path segments fit. The gates are
the routes' literal first segments: they can only let too much through, never turn a real match away, and the
routes keep their order (a path two routers could both answer is tried in both, as before).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from fastapi import APIRouter
from starlette.routing import Match
from starlette.types import Scope


class GatedRouter(APIRouter):
    def __init__(self, *, gates: Iterable[str], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.gates = tuple(sorted(set(gates)))

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        path, root = scope["path"], scope.get("root_path", "")
        if root and path.startswith(root):  # as Starlette's own matching sees the path
            path = path[len(root):]
        if not path.startswith(self.gates):
            return Match.NONE, {}
        return super().matches(scope)


def first_segments(router: APIRouter, under: str) -> set[str]:
    """`under` joined with the literal first path segment of each route (just `under` when that segment is a
    parameter or the route is the prefix itself)."""
    gates = set()
    for route in router.routes:
        first = str(getattr(route, "path", None) or "").lstrip("/").split("/", 1)[0]
        gates.add(f"{under}/{first}" if first and "{" not in first else under)
    return gates


def gated(router: APIRouter, under: str, **include: Any) -> GatedRouter:
    """`router` included under the prefix `under` (with `include`'s options), behind the gates of its routes'
    first segments."""
    gate = GatedRouter(gates=first_segments(router, under))
    gate.include_router(router, prefix=under, **include)
    return gate


def face(prefix: str, routers: Iterable[APIRouter], **include: Any) -> GatedRouter:
    """One router for everything under `prefix` (a face of the pages, or the API), each of `routers` included
    there in order, gated by its own first segments; `include` is passed to each include_router."""
    outer = GatedRouter(gates=[prefix])
    for router in routers:
        outer.include_router(gated(router, prefix, **include))
    return outer
