"""Probing failures (issue 11): each answers a clear 4xx/503, never a 500."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json

import pytest

from linli.core import redis as core_redis
from linli.core.runtime import get_runtime
from tests.factories import PASSWORD
from tests.flashsale.conftest import sale_body

DEAD_REDIS = "redis://127.0.0.1:1/0"  # nothing listens on port 1: connections are refused at once


@pytest.fixture
def dead_redis(db):
    """LINLI_REDIS_URL names a Redis that does not answer."""
    rt = get_runtime()
    rt.settings = rt.settings.model_copy(update={"redis_url": DEAD_REDIS})
    core_redis.reset()
    yield
    core_redis.reset()


def _login(client, slug, password=PASSWORD):
    return client.post("/api/v1/auth/login", json={"tenant": slug, "username": "admin", "password": password})


def test_login_works_and_throttles_on_the_database_while_redis_is_down(make):
    t = make.tenant()
    rt = get_runtime()
    rt.settings = rt.settings.model_copy(update={"redis_url": DEAD_REDIS})
    core_redis.reset()
    try:
        assert _login(t.client, t.slug).status_code == 200
        for _ in range(5):
            assert _login(t.client, t.slug, "wrong-password").status_code == 401
        r = _login(t.client, t.slug)
        assert r.status_code == 429 and r.json()["error"]["code"] == "too_many_attempts"
    finally:
        core_redis.reset()


def test_console_login_form_works_while_redis_is_down(make):
    t = make.tenant()
    rt = get_runtime()
    rt.settings = rt.settings.model_copy(update={"redis_url": DEAD_REDIS})
    core_redis.reset()
    try:
        r = t.client.post("/console/login", data={"tenant": t.slug, "username": "admin", "password": "nope"},
                          follow_redirects=False)
        assert r.status_code == 401 and "密码错误" in r.text
        r = t.client.post("/console/login", data={"tenant": t.slug, "username": "admin", "password": PASSWORD},
                          follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == "/console"
    finally:
        core_redis.reset()


def test_pickup_works_while_redis_is_down(make, dead_redis):
    t = make.tenant()
    _, point_id, leader_h = t.leader()
    product = t.product(stock=5)
    _, mh = t.member()
    order = t.post("/orders", {"items": [{"product_id": product["id"], "quantity": 1}],
                               "pickup_point_id": point_id}, mh)
    t.post(f"/orders/{order['id']}/pay", None, mh, expect=200)
    code = t.client.get(f"/api/v1/orders/{order['id']}", headers=mh).json()["pickup_code"]
    wrong = "000000" if code != "000000" else "111111"
    r = t.client.post(f"/api/v1/orders/{order['id']}/pickup", json={"code": wrong}, headers=leader_h)
    assert r.status_code == 409 and r.json()["error"]["code"] == "wrong_code"
    r = t.client.post(f"/api/v1/orders/{order['id']}/pickup", json={"code": code}, headers=leader_h)
    assert r.status_code == 200 and r.json()["status"] == "picked_up"


def test_flash_sale_sells_on_the_database_path_while_redis_is_down(make):
    """The database is the final guard on both paths, so a sale keeps selling, and never oversells, on it."""
    t = make.tenant()
    product = t.product(stock=10)
    rt = get_runtime()
    rt.settings = rt.settings.model_copy(update={"redis_url": DEAD_REDIS})
    core_redis.reset()
    try:
        sale = t.post("/flash-sales", sale_body(product["id"], 2))
        buyers = t.members(3)
        answers = [t.client.post(f"/api/v1/flash-sales/{sale['id']}/purchase", headers=h, json={"quantity": 1})
                   for h in buyers]
        assert [r.status_code for r in answers] == [201, 201, 409], [r.text for r in answers]
        assert answers[2].json()["error"]["code"] == "sold_out"
        assert t.client.get(f"/api/v1/flash-sales/{sale['id']}", headers=t.op).json()["remaining"] == 0
    finally:
        core_redis.reset()


def test_readyz_names_a_dead_redis(client, dead_redis):
    r = client.get("/readyz")
    assert r.status_code == 503
    assert r.json()["status"] == "unavailable" and r.json()["redis"] == "unavailable"


def test_readyz_reports_a_live_redis(client, db):
    rt = get_runtime()
    rt.settings = rt.settings.model_copy(update={"redis_url": "redis://127.0.0.1:6379/15"})
    core_redis.reset()
    r = client.get("/readyz")
    assert r.status_code == 200 and r.json()["redis"] == "ok", r.text


def test_an_unexpected_redis_failure_answers_503(client, db, monkeypatch):
    """Any other Redis call that fails (a path with no fallback) answers 503, not 500."""
    import redis as redis_lib

    def boom():
        raise redis_lib.ConnectionError("Connection refused")

    client.app.add_api_route("/api/v1/_probe_redis", lambda: boom(), methods=["GET"])
    r = client.get("/api/v1/_probe_redis")
    assert r.status_code == 503 and r.json()["error"]["code"] == "redis_unavailable"


# --- tokens with a valid signature but odd claims -------------------------------------------------------------

def _signed(claims: object) -> str:
    body = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    sig = hmac.new(b"test-secret", body.encode(), hashlib.sha256).digest()[:24]
    return f"{body}.{base64.urlsafe_b64encode(sig).rstrip(b'=').decode()}"


ODD_CLAIMS = [
    {"u": "x"},
    [1, 2, 3],
    "just a string",
    None,
    {"u": 1, "t": 1, "s": "a", "r": "operator", "exp": "tomorrow"},
    {"u": "1", "t": 1, "s": "a", "r": "operator", "m": None, "l": None, "exp": 9999999999},
    {"u": 1, "t": 1, "s": "a", "r": "boss", "m": None, "l": None, "exp": 9999999999},
    {"u": 1, "t": 1, "s": "a", "r": "member", "m": "7", "l": None, "exp": 9999999999},
    {"u": True, "t": 1, "s": "a", "r": "operator", "exp": 9999999999},
    {"u": 1, "t": 1, "s": "a", "r": "operator", "exp": 1e400},
    {"u": 2**64, "t": 1, "s": "a", "r": "operator", "m": None, "l": None, "exp": 9999999999},
    {"u": 1, "t": -1, "s": "a", "r": "operator", "m": None, "l": None, "exp": 9999999999},
]


@pytest.mark.parametrize("claims", ODD_CLAIMS, ids=range(len(ODD_CLAIMS)))
def test_signed_token_with_odd_claims_is_401(client, claims):
    for path in ("/api/v1/me", "/api/v1/orders"):
        r = client.get(path, headers={"Authorization": f"Bearer {_signed(claims)}"})
        assert r.status_code == 401, (path, r.text)
        assert r.json()["error"]["code"] == "invalid_token"
    # the pages' cookie guard sends the browser to the login form instead
    client.cookies.set("linli_token", _signed(claims), path="/console")
    r = client.get("/console", follow_redirects=False)
    client.cookies.clear()
    assert r.status_code == 303 and r.headers["location"].startswith("/console/login")


def test_a_body_that_is_not_base64_json_is_401(client):
    for body in ("!!!", "e30", base64.urlsafe_b64encode(b"\xff\xfe").decode()):
        sig = base64.urlsafe_b64encode(hmac.new(b"test-secret", body.encode(), hashlib.sha256)
                                       .digest()[:24]).rstrip(b"=").decode()
        r = client.get("/api/v1/orders", headers={"Authorization": f"Bearer {body}.{sig}"})
        assert r.status_code == 401 and r.json()["error"]["code"] == "invalid_token", r.text
