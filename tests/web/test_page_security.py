"""What every page answer carries and refuses (issue 11): security headers and a CSP the pages live with, form
posts from other sites refused, bodies capped, and HTML error pages on the pages' routes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from linli.core.runtime import get_runtime
from tests.client import Client
from tests.factories import PASSWORD, SAME_ORIGIN
from tests.web.browser import CHROMIUM, CHROMIUM_ARGS, need_chromium, running_server, seed_campaigns

TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "linli" / "web" / "templates"
EVIL = {"Origin": "https://evil.example"}


def _console(t) -> TestClient:
    c = Client(t.client.app, headers=SAME_ORIGIN)
    r = c.post("/console/login", data={"tenant": t.slug, "username": "admin", "password": PASSWORD},
               follow_redirects=False)
    assert r.status_code == 303, r.text
    return c


def _group_buy(t) -> dict:
    product = t.product(stock=50, price_fen=3000)
    return t.post("/group-buys", {"product_id": product["id"], "price_fen": 2500, "group_size": 3,
                                  "time_limit_hours": 24, "stock": 10})


# --- headers ----------------------------------------------------------------------------------------------------

def test_pages_carry_csp_frame_and_referrer_headers(client):
    page = client.get("/console/login")
    assert page.status_code == 200
    h = page.headers
    assert h["x-content-type-options"] == "nosniff"
    assert h["x-frame-options"] == "DENY" and h["referrer-policy"] == "same-origin"
    csp = dict(part.strip().split(" ", 1) for part in h["content-security-policy"].split(";"))
    assert csp["script-src"] == "'self'" and csp["style-src"] == "'self'" and csp["default-src"] == "'self'"
    assert csp["frame-ancestors"] == "'none'" and csp["object-src"] == "'none'" and csp["form-action"] == "'self'"


def test_every_answer_says_nosniff(client):
    for path in ("/healthz", "/api/v1/orders", "/static/console.css", "/openapi.json", "/nowhere"):
        r = client.get(path)
        assert r.headers["x-content-type-options"] == "nosniff", path
        assert "content-security-policy" not in r.headers, path  # not a document: nothing to govern


def test_the_sold_out_lane_answers_with_nosniff_too(client):
    r = client.post("/api/v1/flash-sales/1/purchase", json={"quantity": 1})
    assert r.status_code == 401 and r.headers["x-content-type-options"] == "nosniff"


def test_swagger_ui_runs_without_an_inline_script(client):
    page = client.get("/docs")
    assert page.status_code == 200 and "content-security-policy" in page.headers
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", page.text, re.S)
    assert scripts and all('src="/static/' in attrs and not body.strip() for attrs, body in scripts)
    assert client.get("/static/swagger-init.js").status_code == 200


def test_templates_have_no_inline_script_or_handler():
    """The CSP runs no inline script: page data goes in <script type="application/json">, code in /static."""
    for template in TEMPLATES.rglob("*.html"):
        text = template.read_text()
        for attrs, body in re.findall(r"<script([^>]*)>(.*?)</script>", text, re.S):
            assert 'src="' in attrs or 'type="application/json"' in attrs, (template.name, attrs)
            assert 'src="' not in attrs or not body.strip(), template.name
        assert not re.search(r"\son[a-z]+\s*=", text), template.name  # onclick=… is inline script
        assert "javascript:" not in text and "<style" not in text, template.name


# --- cross-site form posts --------------------------------------------------------------------------------------

def test_a_cross_site_login_post_is_refused(make):
    t = make.tenant()
    c = Client(t.client.app)
    form = {"tenant": t.slug, "username": "admin", "password": PASSWORD}
    r = c.post("/console/login", data=form, headers=EVIL, follow_redirects=False)
    assert r.status_code == 403 and "text/html" in r.headers["content-type"]
    assert "请求被拒绝" in r.text and "set-cookie" not in r.headers
    for headers in ({}, {"Origin": "null"}, {"Origin": "http://evil.testserver"}, {"Origin": "http://testserver.evil"},
                    {"Referer": "https://evil.example/m/login"}, {"Origin": "file://"}):
        r = c.post("/m/login", data=form, headers=headers, follow_redirects=False)
        assert r.status_code == 403, headers
    # the same form from this site: a Referer (no Origin) or an Origin naming this host
    for headers in ({"Referer": "http://testserver/console/login"}, {"Origin": "http://testserver"},
                    {"Origin": "https://testserver:443"}):
        r = c.post("/console/login", data=form, headers=headers, follow_redirects=False)
        assert r.status_code == 303, (headers, r.text)


def test_a_cross_site_action_changes_nothing(make):
    t = make.tenant()
    campaign = _group_buy(t)
    c = _console(t)
    for headers in (EVIL, {"Origin": ""}):
        r = c.post(f"/console/group-buys/{campaign['id']}/close", headers=headers, follow_redirects=False)
        assert r.status_code == 403, headers
    assert t.client.get(f"/api/v1/group-buys/{campaign['id']}", headers=t.op).json()["status"] == "active"
    r = c.post(f"/console/group-buys/{campaign['id']}/close", follow_redirects=False)
    assert r.status_code == 303
    assert t.client.get(f"/api/v1/group-buys/{campaign['id']}", headers=t.op).json()["status"] == "closed"


def test_trusted_origins_may_post(make):
    t = make.tenant()
    rt = get_runtime()
    rt.settings = rt.settings.model_copy(update={"trusted_origins": "https://linli.example.com, bad"})
    c = Client(t.client.app)
    form = {"tenant": t.slug, "username": "admin", "password": PASSWORD}
    r = c.post("/console/login", data=form, headers={"Origin": "https://linli.example.com"}, follow_redirects=False)
    assert r.status_code == 303
    r = c.post("/console/login", data=form, headers={"Origin": "http://linli.example.com"}, follow_redirects=False)
    assert r.status_code == 403


def test_the_api_is_not_affected(make):
    t = make.tenant()
    r = t.client.post("/api/v1/communities", headers={**t.op, **EVIL},
                      json={"name": "翠苑一区", "address": "杭州市西湖区文三路1号", "lat": 30.28, "lng": 120.12})
    assert r.status_code == 201, r.text


# --- body size ---------------------------------------------------------------------------------------------------

_small_apps: dict[str, FastAPI] = {}


@pytest.fixture
def small_bodies(db):
    """An app with caps small enough to test: 4 KiB for JSON, 16 KiB for anything else. One per backend, as
    app_on: the caps are fixed when the app is built, the runtime is found per request."""
    from linli.app import create_app

    rt = get_runtime()
    rt.settings = rt.settings.model_copy(update={"max_body_bytes": 16 * 1024, "max_json_body_bytes": 4 * 1024})
    if db.url not in _small_apps:
        _small_apps[db.url] = create_app(background=False)
    with Client(_small_apps[db.url], headers=SAME_ORIGIN) as c:
        yield c


def _chunks(size: int, chunk: int = 1024):
    for _ in range(size // chunk):
        yield b" " * chunk


def test_a_json_body_over_the_cap_is_413(small_bodies):
    c = small_bodies
    big = {"tenant": "x" * 5000, "username": "admin", "password": PASSWORD}
    r = c.post("/api/v1/auth/login", json=big)
    assert r.status_code == 413 and r.json()["error"]["code"] == "payload_too_large", r.text
    # no Content-Length (chunked): counted as it arrives
    r = c.post("/api/v1/auth/login", content=_chunks(8 * 1024), headers={"Content-Type": "application/json"})
    assert r.status_code == 413 and r.json()["error"]["code"] == "payload_too_large", r.text
    # under the cap: an ordinary answer
    r = c.post("/api/v1/auth/login", json={"tenant": "nope", "username": "admin", "password": PASSWORD})
    assert r.status_code == 401


def test_the_flash_sale_lane_is_capped_too(small_bodies):
    c = small_bodies
    r = c.post("/api/v1/flash-sales/1/purchase", content=_chunks(8 * 1024),
               headers={"Content-Type": "application/json", "Authorization": "Bearer x.y"})
    assert r.status_code == 413 and r.json()["error"]["code"] == "payload_too_large", r.text


def test_a_form_over_the_cap_is_413_with_a_page(small_bodies):
    c = small_bodies
    files = {"image": ("big.png", b"\x89PNG\r\n\x1a\n" + b"0" * 20 * 1024, "image/png")}
    r = c.post("/console/login", data={"tenant": "t"}, files=files)
    assert r.status_code == 413 and "text/html" in r.headers["content-type"] and "内容过大" in r.text
    r = c.post("/console/login", content=_chunks(20 * 1024),
               headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert r.status_code == 413 and "内容过大" in r.text
    # a form under the cap (and over the JSON cap) is read as usual
    r = c.post("/console/login", data={"tenant": "t", "username": "u" * 150, "password": "p" * 150,
                                       "next": "/console" + "x" * 6000}, follow_redirects=False)
    assert r.status_code == 422 or r.status_code == 401, r.text


def test_a_false_content_length_is_refused(small_bodies):
    r = small_bodies.post("/api/v1/auth/login", content=b"{}", headers={"Content-Type": "application/json",
                                                                         "Content-Length": "abc"})
    assert r.status_code == 400


# --- error pages -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("path", "home"), [("/console/no-such-page", "/console"), ("/m/no/such/page", "/m"),
                                            ("/w/nothing-here", "/w")])
def test_unknown_page_is_a_chinese_html_404(client, path, home):
    r = client.get(path)
    assert r.status_code == 404 and r.headers["content-type"].startswith("text/html")
    assert "页面不存在" in r.text and f'href="{home}"' in r.text
    assert "content-security-policy" in r.headers


def test_bad_input_on_a_page_is_an_html_422(client):
    r = client.post("/console/login", data={"tenant": "t" * 300, "username": "a", "password": "b"})
    assert r.status_code == 422 and r.headers["content-type"].startswith("text/html")
    assert "参数有误" in r.text and '"error"' not in r.text


def test_wrong_method_on_a_page_is_an_html_405(client):
    r = client.delete("/console/login")
    assert r.status_code == 405 and "不支持的操作" in r.text


def test_the_api_and_json_requests_keep_json(client):
    r = client.get("/api/v1/no-such-thing")
    assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"
    r = client.get("/console/no-such-page", headers={"Accept": "application/json"})
    assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"


# --- one run in a real browser: nothing the pages need is refused by the CSP -----------------------------------

@pytest.mark.browser
@pytest.mark.xdist_group("browser")
def test_pages_run_under_the_csp_in_a_real_browser(tmp_path):
    need_chromium()
    from playwright.sync_api import expect, sync_playwright

    with running_server(tmp_path) as (base, url):
        ids = seed_campaigns(base, url)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            try:
                page = browser.new_page(viewport={"width": 1360, "height": 860}, locale="zh-CN")
                refused: list[str] = []
                page.on("console", lambda m: refused.append(f"{page.url}: {m.text}")
                        if "Content Security Policy" in m.text else None)
                page.goto(f"{base}/console/login")
                page.fill("input[name=tenant]", "browser")
                page.fill("input[name=username]", "admin")
                page.fill("input[name=password]", PASSWORD)
                page.click("button[type=submit]")
                expect(page).to_have_url(f"{base}/console")
                expect(page.locator("#gmv-chart[data-rendered]")).to_be_attached()  # ECharts drew
                page.goto(f"{base}/console/group-buys/{ids['group_buy_id']}")
                expect(page.locator("#progress-chart canvas").first).to_be_attached()
                page.goto(f"{base}/console/orders")
                page.fill("input[name=q]", "999999")  # htmx swaps in the filtered table
                expect(page.locator("#orders-table")).to_contain_text("没有找到匹配的记录")
                page.goto(f"{base}/m/login")
                page.fill("input[name=tenant]", "browser")
                page.fill("input[name=username]", "resident1")
                page.fill("input[name=password]", PASSWORD)
                page.click("button[type=submit]")
                expect(page).to_have_url(f"{base}/m")
                page.goto(f"{base}/console/no-such-page")
                expect(page.locator("#error-page h1")).to_have_text("页面不存在")
                page.goto(f"{base}/docs")
                expect(page.locator(".swagger-ui .info .title")).to_contain_text("linli", timeout=30_000)  # a big spec
                assert refused == [], refused
            finally:
                browser.close()
