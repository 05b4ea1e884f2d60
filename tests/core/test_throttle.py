"""Failure counters behave the same in the database and in Redis."""

from __future__ import annotations

import os
from datetime import timedelta

import pytest
import redis as redis_lib

from linli.core import clock, throttle
from linli.core.errors import TooManyRequests
from linli.core.runtime import get_runtime

REDIS_URL = os.environ.get("LINLI_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
WINDOW = timedelta(minutes=15)


@pytest.fixture(params=["database", "redis"])
def store(request, db):
    rt = get_runtime()
    if request.param == "redis":
        try:
            redis_lib.Redis.from_url(REDIS_URL).ping()
        except redis_lib.ConnectionError:
            pytest.fail(f"Redis is not reachable at {REDIS_URL} (CI starts it; start it locally)")
        rt.settings = rt.settings.model_copy(update={"redis_url": REDIS_URL})
    else:
        rt.settings = rt.settings.model_copy(update={"redis_url": None})
    return db


def _fail(db, keys):
    with db.unit_of_work() as s:
        throttle.record_failure(s, keys, WINDOW)


def _check(db, limits):
    with db.unit_of_work() as s:
        throttle.check(s, limits, WINDOW)


def test_limit_reached_then_window_passes(store):
    for _ in range(4):
        _fail(store, ["acct:a", "addr:1"])
    _check(store, {"acct:a": 5, "addr:1": 30})
    _fail(store, ["acct:a"])
    with pytest.raises(TooManyRequests):
        _check(store, {"acct:a": 5})
    _check(store, {"acct:b": 5})  # another account is not affected
    with clock.frozen_at(clock.now() + WINDOW + timedelta(seconds=1)):
        _check(store, {"acct:a": 5})
        _fail(store, ["acct:a"])  # a new window starts at one failure
        _check(store, {"acct:a": 2})


def test_clear_forgets_failures(store):
    for _ in range(5):
        _fail(store, ["acct:c"])
    with store.unit_of_work() as s:
        throttle.clear(s, "acct:c")
    _check(store, {"acct:c": 5})
