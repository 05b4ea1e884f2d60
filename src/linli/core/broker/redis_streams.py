"""Redis as the broker: one stream, one consumer group. A worker reads with XREADGROUP, acknowledges
(XACK, then XDEL to keep the stream short) only after its commit, and takes over what another consumer
read but did not acknowledge within `reclaim_after` seconds (XAUTOCLAIM): the messages of a killed worker.
How durable a published message is depends on the Redis server's persistence (appendonly); a lost one is
published again by the relay after LINLI_BROKER_REPUBLISH_SECONDS."""

from __future__ import annotations

import logging
import os
import socket
import time
import uuid
from collections.abc import Callable, Sequence
from typing import Any

import redis
from redis.exceptions import ResponseError

log = logging.getLogger("linli.broker")

GROUP = "workers"
IDLE_CONSUMER_MS = 3600_000  # a consumer with nothing pending and idle this long is forgotten


class RedisStreamBroker:
    def __init__(self, url: str, stream: str, prefetch: int, reclaim_after: float) -> None:
        self.r = redis.Redis.from_url(url, decode_responses=True, socket_timeout=30, socket_connect_timeout=5,
                                      health_check_interval=30)
        self.stream, self.prefetch = stream, prefetch
        self.reclaim_ms = max(int(reclaim_after * 1000), 1)
        self.consumer = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self._cursor = "0-0"

    def publish(self, bodies: Sequence[str]) -> None:
        pipe = self.r.pipeline(transaction=False)
        for body in bodies:
            pipe.xadd(self.stream, {"d": body})
        pipe.execute()

    def _ensure_group(self) -> None:
        try:  # from the start of the stream: what was published before the first worker came is read too
            self.r.xgroup_create(self.stream, GROUP, id="0", mkstream=True)
        except ResponseError as exc:
            if "BUSYGROUP" not in str(exc):
                raise

    def _reclaim(self) -> list[tuple[str, dict[str, Any]]]:
        """Messages other consumers (or this one, before a restart) took and did not acknowledge in time."""
        found = self.r.xautoclaim(self.stream, GROUP, self.consumer, self.reclaim_ms, self._cursor,
                                  count=self.prefetch)
        self._cursor = found[0]
        if self._cursor == "0-0":  # a full pass: forget consumers that are gone and hold nothing
            for c in self.r.xinfo_consumers(self.stream, GROUP):
                if c["pending"] == 0 and c["idle"] > IDLE_CONSUMER_MS and c["name"] != self.consumer:
                    self.r.xgroup_delconsumer(self.stream, GROUP, c["name"])
        return [(mid, fields) for mid, fields in found[1] if fields]

    def consume(self, handle: Callable[[str], None], stopping: Callable[[], bool]) -> None:
        self._ensure_group()
        next_reclaim = 0.0
        while not stopping():
            batch: list[tuple[str, dict[str, Any]]] = []
            try:
                if time.monotonic() >= next_reclaim:
                    next_reclaim = time.monotonic() + max(self.reclaim_ms / 4000, 0.5)
                    batch = self._reclaim()
                if not batch:
                    got: Any = self.r.xreadgroup(GROUP, self.consumer, {self.stream: ">"}, count=self.prefetch,
                                            block=1000)
                    batch = got[0][1] if got else []
            except ResponseError as exc:
                if "NOGROUP" not in str(exc):
                    raise
                self._ensure_group()  # the stream was deleted under us
                continue
            for mid, fields in batch:
                try:
                    handle(fields["d"])
                except Exception:  # left pending: taken over after `reclaim_after`
                    log.exception("broker message not handled; left for redelivery")
                    time.sleep(1.0)
                    continue
                pipe = self.r.pipeline(transaction=False)
                pipe.xack(self.stream, GROUP, mid)
                pipe.xdel(self.stream, mid)
                pipe.execute()
                if stopping():
                    return

    def keepalive(self) -> None:
        pass

    def close(self) -> None:
        self.r.close()
