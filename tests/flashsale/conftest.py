from __future__ import annotations

import os
from datetime import timedelta

import pytest
import redis as redis_lib

from linli.core import clock
from linli.core.runtime import get_runtime

REDIS_URL = os.environ.get("LINLI_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def use_redis(on: bool) -> None:
    rt = get_runtime()
    if on:
        try:
            redis_lib.Redis.from_url(REDIS_URL).ping()
        except redis_lib.ConnectionError:
            pytest.fail(f"Redis is not reachable at {REDIS_URL} (CI starts it; start it locally)")
    rt.settings = rt.settings.model_copy(update={"redis_url": REDIS_URL if on else None})


@pytest.fixture(params=["db_path", "redis_path"])
def path(request, db):
    """Run the test on the database path and on the Redis path."""
    use_redis(request.param == "redis_path")
    return request.param


@pytest.fixture
def redis_path(db):
    use_redis(True)


def sale_body(product_id: int, quantity: int, limit: int = 1, price_fen: int = 990, **kw):
    now = clock.now()
    body = {"product_id": product_id, "price_fen": price_fen, "quantity": quantity, "per_member_limit": limit,
            "starts_at": (now - timedelta(minutes=1)).isoformat(), "ends_at": (now + timedelta(hours=1)).isoformat()}
    body.update(kw)
    return body
