"""Helpers for the real-browser tests: a real server on SQLite, a JSON API client to seed it, and the
local headless Chromium."""

from __future__ import annotations

import atexit
import os
import re
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import text

from tests.factories import PASSWORD

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def need_chromium() -> None:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is not installed; the browser test needs a local Chromium")


def htmx_settled(page: Any) -> None:
    """Wait until htmx has wired up what it swapped in: it does so 20 ms after the swap (the settle delay),
    so a click sooner would submit the new form natively instead of through htmx."""
    from playwright.sync_api import expect

    expect(page.locator(".htmx-added, .htmx-settling, .htmx-request")).to_have_count(0)


@dataclass
class _Server:
    proc: subprocess.Popen[bytes]
    base: str
    url: str
    log: Path


_server: list[_Server] = []  # this worker's server, started at its first browser test


@contextmanager
def running_server(tmp_path: Path) -> Iterator[tuple[str, str]]:
    """This worker's `uvicorn linli.app:asgi` on a migrated SQLite database: (base URL, database URL). It is
    started at the first use and kept for the next tests (a start took ~7 s a test); they stay apart by tenant, as
    create_tenant gives each test a tenant of its own. A server that died is started again."""
    if not _server or _server[0].proc.poll() is not None:
        _server[:] = [_start(tmp_path)]
    yield _server[0].base, _server[0].url
    assert _server[0].proc.poll() is None, _server[0].log.read_text()


def _start(tmp_path: Path) -> _Server:
    from linli.core.migrate import upgrade

    url = f"sqlite:///{tmp_path / 'linli.db'}"
    upgrade(url)
    with socket.socket() as sock:  # a free port
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {**os.environ, "LINLI_DATABASE_URL": url, "LINLI_VAR_DIR": str(tmp_path / "var"),
           "LINLI_EMBEDDED_WORKER": "false", "LINLI_LOG_LEVEL": "WARNING",
           "LINLI_REDIS_NAMESPACE": f"linli-browser-{uuid.uuid4().hex[:12]}"}  # each worker's server its own keys
    log = tmp_path / "server.log"
    with log.open("wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "uvicorn", "linli.app:asgi", "--factory", "--host",
                                 "127.0.0.1", "--port", str(port), "--log-level", "warning"],
                                env=env, stdout=out, stderr=subprocess.STDOUT)
    atexit.register(_stop, proc)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90  # a loaded 2-core machine has taken ~30 s to import and build the app
    while True:
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                return _Server(proc, base, url, log)
        except httpx.TransportError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            _stop(proc)
            raise AssertionError(log.read_text())
        time.sleep(0.2)


def _stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()


def member_phone(browser: Any, base: str, path: str, username: str = "resident1") -> Any:
    """A phone-sized page of the member app signed in as `username`, sent to the login page by `path` and back."""
    from playwright.sync_api import expect

    phone = browser.new_page(viewport={"width": 375, "height": 812}, is_mobile=True, has_touch=True, locale="zh-CN")
    phone.goto(f"{base}{path}")
    expect(phone).to_have_url(re.compile(r"/m/login"))
    phone.fill("input[name=tenant]", "browser")
    phone.fill("input[name=username]", username)
    phone.fill("input[name=password]", PASSWORD)
    phone.click("button[type=submit]")
    expect(phone).to_have_url(f"{base}{path}")
    return phone


def create_tenant(url: str, slug: str = "browser") -> int:
    """A new tenant `slug` with operator "admin"; its id. The server is shared by the worker's browser tests, so
    an earlier test's tenant of that slug is renamed first (its rows stay, under its own id)."""
    from linli.core.db import Database
    from linli.tenancy import service as tenancy

    db = Database(url)
    try:
        with db.unit_of_work() as s:
            s.execute(text("UPDATE tenants SET slug = slug || '-' || id WHERE slug = :slug"), {"slug": slug})
            return int(tenancy.create_tenant(s, slug, "浏览器测试", "admin", PASSWORD).id)
    finally:
        db.dispose()


@dataclass(frozen=True)
class LeaderPoint:
    community_id: int
    leader_id: int
    point_id: int


def leader_with_point(url: str, tenant_id: int, api: Api, op: str, username: str, name: str,
                      phone: str) -> LeaderPoint:
    """Community 翠苑一区 and leader `username` (`name`, password PASSWORD) with a leader_home pickup point."""
    from linli.core.db import Database
    from linli.leader import service as leaders

    cid = api.call("/communities", {"name": "翠苑一区", "address": "杭州市西湖区文三路1号", "lat": 30.283,
                                    "lng": 120.128}, op, 201)["id"]
    db = Database(url)
    try:
        with db.unit_of_work() as s:
            leader_id = leaders.create(s, tenant_id, username, PASSWORD, name, phone, cid).id
    finally:
        db.dispose()
    point = api.call("/pickup-points", {"community_id": cid, "name": f"{name}家", "kind": "leader_home",
                                        "lat": 30.28, "lng": 120.12, "leader_id": leader_id}, op, 201)
    return LeaderPoint(cid, leader_id, point["id"])


class Api:
    """The running server's JSON API, for seeding: `call(path, body, token, expect)` and `token(username)`."""

    def __init__(self, base: str, tenant: str = "browser") -> None:
        self.http = httpx.Client(base_url=f"{base}/api/v1", timeout=30)
        self.tenant = tenant

    def call(self, path: str, body: Any, token: str | None, expect: int) -> Any:
        r = self.http.post(path, json=body, headers={"Authorization": f"Bearer {token}"} if token else {})
        assert r.status_code == expect, r.text
        return r.json()

    def token(self, username: str) -> str:
        return self.call("/auth/login", {"tenant": self.tenant, "username": username, "password": PASSWORD},
                         None, 200)["access_token"]

    def community_with_resident(self, op: str) -> int:
        """翠苑一区 and its resident1 (王阿姨); the community's id."""
        community = self.call("/communities", {"name": "翠苑一区", "address": "文三路1号", "lat": 30.28,
                                               "lng": 120.12}, op, 201)["id"]
        self.call("/members", {"username": "resident1", "password": PASSWORD, "name": "王阿姨",
                               "phone": "13800001234", "community_id": community}, op, 201)
        return int(community)

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> Api:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def seed_campaigns(base: str, url: str) -> dict[str, Any]:
    """Tenant "browser": two communities, member "resident1" (password PASSWORD) and three neighbours, a
    running flash sale (¥9.90 instead of ¥29.90, 20 units, 2 per member) and a 3-person group-buy with
    two open groups: two neighbours of 翠苑一区 in one, one of 文鼎苑 in the other."""
    from datetime import UTC, datetime, timedelta

    create_tenant(url)
    now = datetime.now(UTC)
    with Api(base) as api:
        call = api.call
        op = api.token("admin")
        east = call("/communities", {"name": "翠苑一区", "address": "杭州市西湖区文三路1号", "lat": 30.283,
                                     "lng": 120.128}, op, 201)["id"]
        west = call("/communities", {"name": "文鼎苑", "address": "杭州市西湖区古墩路2号", "lat": 30.296,
                                     "lng": 120.101}, op, 201)["id"]
        for cid, name in ((east, "翠苑一区便利店"), (west, "文鼎苑快递柜")):  # every order needs a pickup point
            call("/pickup-points", {"community_id": cid, "name": name, "kind": "store", "lat": 30.29,
                                    "lng": 120.11}, op, 201)
        grapes = call("/products", {"name": "阳光玫瑰葡萄", "price_fen": 2990, "stock": 100, "category": "新鲜水果",
                                    "is_fresh": True, "unit": "盒"}, op, 201)
        rice = call("/products", {"name": "五常大米 5kg", "price_fen": 6990, "stock": 100, "category": "粮油"},
                    op, 201)
        sale = call("/flash-sales", {"product_id": grapes["id"], "price_fen": 990, "quantity": 20,
                                     "per_member_limit": 2, "starts_at": (now - timedelta(minutes=1)).isoformat(),
                                     "ends_at": (now + timedelta(hours=1)).isoformat()}, op, 201)
        campaign = call("/group-buys", {"product_id": rice["id"], "price_fen": 4990, "group_size": 3,
                                        "time_limit_hours": 24, "stock": 30}, op, 201)
        for username, name, cid in (("resident1", "王小明", east), ("resident2", "李阿姨", east),
                                    ("resident3", "张师傅", west), ("resident4", "赵大姐", east)):
            call("/members", {"username": username, "password": PASSWORD, "name": name, "phone": "13800001234",
                              "community_id": cid}, op, 201)
        group = call(f"/group-buys/{campaign['id']}/groups", None, api.token("resident2"), 201)
        call(f"/groups/{group['group_id']}/join", None, api.token("resident4"), 201)
        call(f"/group-buys/{campaign['id']}/groups", None, api.token("resident3"), 201)
        return {"flash_sale_id": sale["id"], "group_buy_id": campaign["id"]}
