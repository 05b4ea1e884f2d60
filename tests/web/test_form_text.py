"""Every form post on the three faces, with a NUL in each of its text fields: a Chinese 422 page and nothing
written, on SQLite and PostgreSQL (which cannot store NUL: unguarded, the first field to reach it was a 500)."""

from __future__ import annotations

import re
from typing import Any

from fastapi.params import File, Form
from fastapi.routing import APIRoute, iter_route_contexts

from tests.api.conftest import row_counts
from tests.client import Client
from tests.factories import SAME_ORIGIN

FACES = {"/console": ("linli_token", "operator"), "/m": ("linli_member", "member"), "/w": ("linli_leader", "leader")}


def _form_posts(app: Any) -> list[tuple[str, list[str]]]:
    """(path, its text fields) for every page route that takes a form post (included routers are nested: walk
    them through their route contexts)."""
    found = []
    for ctx in iter_route_contexts(app.routes):
        route, path = ctx.original_route, ctx.path or ""
        if not isinstance(route, APIRoute) or "POST" not in (ctx.methods or ()) or path.startswith("/api/"):
            continue
        fields = [p.alias for p in route.dependant.body_params
                  if isinstance(p.field_info, Form) and not isinstance(p.field_info, File)]
        if fields:
            found.append((path, fields))
    return found


def test_a_nul_in_any_form_field_is_a_422_page_and_changes_nothing(make, db):
    t = make.tenant()
    member, member_h = t.member()
    _, _, leader_h = t.leader()
    tokens = {"operator": t.login("admin"), "member": member_h, "leader": leader_h}
    posts = _form_posts(t.client.app)
    assert len(posts) >= 30 and {path.split("/")[1] for path, _ in posts} == {"console", "m", "w"}
    before = row_counts(db)
    for path, fields in posts:
        face = next(prefix for prefix in FACES if path.startswith(prefix + "/"))
        cookie, role = FACES[face]
        browser = Client(t.client.app, headers=SAME_ORIGIN)
        browser.cookies.set(cookie, tokens[role]["Authorization"].removeprefix("Bearer "),
                            domain="testserver.local", path=face)
        url = re.sub(r"\{[^}]+\}", "1", path)
        for field in fields:
            data = {f: "1" for f in fields} | {field: "中\x00文"}
            r = browser.post(url, data=data, follow_redirects=False)
            assert r.status_code == 422, (path, field, r.status_code, r.text[:300])
            assert r.headers["content-type"].startswith("text/html") and "参数有误" in r.text, path
    assert row_counts(db) == before
