"""The Redis client, when LINLI_REDIS_URL is set; every key carries the configured namespace.

A Redis that does not answer must not take the platform down with it. Timeouts are short (a dead Redis fails
fast), and a process that finds it unreachable treats it as absent for `DOWN_FOR` seconds: `client()` answers
None, so the callers with a sound fallback (throttle counters in the database, the flash-sale database path)
take it without paying a timeout per request. A Redis failure anywhere else answers 503 `redis_unavailable`
(core/error_handlers.py); /readyz pings Redis itself."""

from __future__ import annotations

import logging
import time
from functools import lru_cache

import redis
from redis.exceptions import ConnectionError, InvalidResponse, RedisError, TimeoutError

# What "Redis is unreachable" looks like (refused, timed out, something else on the port).
UNREACHABLE: tuple[type[RedisError], ...] = (ConnectionError, TimeoutError, InvalidResponse)
DOWN_FOR = 5.0  # seconds a process does without Redis after finding it unreachable

_down_until = [0.0]
log = logging.getLogger("linli.redis")


@lru_cache(maxsize=8)
def _client(url: str, timeout: float) -> redis.Redis:
    return redis.Redis.from_url(url, decode_responses=True, socket_timeout=timeout,
                                socket_connect_timeout=timeout, health_check_interval=30)


def configured() -> tuple[redis.Redis, str] | None:
    """(client, key prefix) whenever Redis is configured, down or not."""
    from linli.core.runtime import get_runtime

    s = get_runtime().settings
    return (_client(s.redis_url, s.redis_timeout_seconds), f"{s.redis_namespace}:") if s.redis_url else None


def client() -> tuple[redis.Redis, str] | None:
    """(client, key prefix), or None when Redis is not configured or was found unreachable a moment ago."""
    if _down_until[0] and time.monotonic() < _down_until[0]:
        return None
    return configured()


def mark_down(exc: BaseException) -> None:
    """Redis did not answer: do without it for a few seconds (logged once per period)."""
    if time.monotonic() >= _down_until[0]:
        log.warning("redis unreachable; using the fallbacks for %.0f s", DOWN_FOR,
                    extra={"error": f"{type(exc).__name__}: {exc}"[:300]})
    _down_until[0] = time.monotonic() + DOWN_FOR


def ping() -> bool | None:
    """None when Redis is not configured, else whether it answers now (a success ends the down period)."""
    r = configured()
    if r is None:
        return None
    try:
        r[0].ping()
    except RedisError as exc:
        mark_down(exc)
        return False
    _down_until[0] = 0.0
    return True


def reset() -> None:
    """Forget clients and the down period (tests switch Redis on and off)."""
    _client.cache_clear()
    _down_until[0] = 0.0
