"""The Redis client, when LINLI_REDIS_URL is set; every key carries the configured namespace."""

from __future__ import annotations

from functools import lru_cache

import redis


@lru_cache(maxsize=8)
def _client(url: str) -> redis.Redis:
    return redis.Redis.from_url(url, decode_responses=True, socket_timeout=2, health_check_interval=30)


def client() -> tuple[redis.Redis, str] | None:
    """(client, key prefix), or None when Redis is not configured."""
    from linli.core.runtime import get_runtime

    s = get_runtime().settings
    return (_client(s.redis_url), f"{s.redis_namespace}:") if s.redis_url else None
