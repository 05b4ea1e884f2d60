"""The Redis gate in front of the database: an atomic Lua reservation per attempt, so sold-out and
over-eager attempts never reach the hot row. The database stays the final guard — Redis can only
let through fewer or more attempts, never oversell.

Every reservation is a token in a pending hash until the order is committed (confirm) or the
transaction fails (compensate). A crash in between leaves the token; `repair` resolves it against
the database and `reconcile` resets the counter from the database, so the two cannot drift."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import redis
from redis.commands.core import Script

RESERVE = """
local left = redis.call('GET', KEYS[1])
if not left then return -1 end
if tonumber(left) < tonumber(ARGV[2]) then return 0 end
redis.call('DECRBY', KEYS[1], ARGV[2])
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2] .. ':' .. ARGV[3])
return 1
"""

COMPENSATE = """
local held = redis.call('HGET', KEYS[2], ARGV[1])
if not held then return 0 end
redis.call('HDEL', KEYS[2], ARGV[1])
redis.call('INCRBY', KEYS[1], tonumber(string.match(held, '^(%d+)')))
return 1
"""

GIVE_BACK = """
if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('INCRBY', KEYS[1], ARGV[1]) end
return 1
"""

RECONCILE = """
local pending = 0
for _, held in ipairs(redis.call('HVALS', KEYS[2])) do
  pending = pending + tonumber(string.match(held, '^(%d+)'))
end
local left = tonumber(ARGV[1]) - pending
if left < 0 then left = 0 end
redis.call('SET', KEYS[1], left)
return left
"""


@dataclass(frozen=True)
class Gate:
    conn: redis.Redis
    prefix: str
    # the Lua scripts, sent once and then run by their SHA (EVALSHA): see `gate`
    scripts: dict[str, Script] = field(default_factory=dict, compare=False)

    def _keys(self, tenant_id: int, sale_id: int) -> list[str]:
        base = f"{self.prefix}flash:{tenant_id}:{sale_id}"
        return [f"{base}:left", f"{base}:pending"]

    def _run(self, script: str, keys: list[str], *args: object) -> int:
        found = self.scripts.get(script)
        if found is None:
            found = self.scripts[script] = self.conn.register_script(script)
        return int(found(keys=keys, args=args))  # type: ignore[arg-type]

    def open(self, tenant_id: int, sale_id: int, units_left: int) -> None:
        """Start counting from the database's figure (no-op if already counting)."""
        self.conn.set(self._keys(tenant_id, sale_id)[0], units_left, nx=True)

    def reserve(self, tenant_id: int, sale_id: int, token: str, quantity: int, at: float) -> int:
        """1 reserved, 0 sold out, -1 not yet counting (call open first)."""
        return self._run(RESERVE, self._keys(tenant_id, sale_id), token, quantity, at)

    def confirm(self, tenant_id: int, sale_id: int, token: str) -> None:
        self.conn.hdel(self._keys(tenant_id, sale_id)[1], token)

    def compensate(self, tenant_id: int, sale_id: int, token: str) -> bool:
        return bool(self._run(COMPENSATE, self._keys(tenant_id, sale_id), token))

    def give_back(self, tenant_id: int, sale_id: int, quantity: int) -> None:
        self._run(GIVE_BACK, self._keys(tenant_id, sale_id)[:1], quantity)

    def pending(self, tenant_id: int, sale_id: int) -> dict[str, float]:
        """token -> reservation time (epoch seconds)."""
        raw: dict[str, str] = self.conn.hgetall(self._keys(tenant_id, sale_id)[1])  # type: ignore[assignment]
        return {token: float(v.split(":", 1)[1]) for token, v in raw.items()}

    def reconcile(self, tenant_id: int, sale_id: int, units_left_in_db: int) -> int:
        return self._run(RECONCILE, self._keys(tenant_id, sale_id), units_left_in_db)

    def left(self, tenant_id: int, sale_id: int) -> int | None:
        v = self.conn.get(self._keys(tenant_id, sale_id)[0])
        return int(v) if v is not None else None

    def close(self, tenant_id: int, sale_id: int) -> None:
        self.conn.delete(*self._keys(tenant_id, sale_id))


def gate() -> Gate | None:
    from linli.core import redis as core_redis

    r = core_redis.client()
    return _gate(r[0], r[1]) if r else None


@lru_cache(maxsize=8)
def _gate(conn: redis.Redis, prefix: str) -> Gate:
    """One Gate per client and namespace, so its registered scripts are kept."""
    return Gate(conn, prefix)
