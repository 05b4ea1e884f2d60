"""Broker transport for outbox deliveries: a message is a comma-separated list of delivery ids
(outbox_deliveries.id): all the subscribers of one new event, or one retry.

The database stays the truth: the relay (relay.py) publishes a delivery after the commit that made it, a
worker runs it in one transaction with marking it done and acknowledges the message only after that commit
(at-least-once), and the delivery state makes a second copy of a message a no-op. Chosen by
LINLI_BROKER_URL's scheme: amqp(s):// RabbitMQ (rabbitmq.py), redis(s):// a Redis stream (redis_streams.py)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol
from urllib.parse import urlsplit


class Broker(Protocol):
    def publish(self, bodies: Sequence[str]) -> None:
        """Returns once the broker holds every message (durably, as far as it is configured to); raises if not."""

    def consume(self, handle: Callable[[str], None], stopping: Callable[[], bool]) -> None:
        """Call `handle` for each message until `stopping()`; acknowledge a message only after `handle`
        returned. A message whose `handle` raised is left for redelivery."""

    def keepalive(self) -> None:
        """Let an idle connection answer the server's heartbeats."""

    def close(self) -> None: ...


def connect(url: str, queue: str, prefetch: int = 32, reclaim_after: float = 60.0) -> Broker:
    scheme = urlsplit(url).scheme
    if scheme in ("amqp", "amqps"):
        from linli.core.broker.rabbitmq import RabbitBroker

        return RabbitBroker(url, queue, prefetch)
    if scheme in ("redis", "rediss", "unix"):
        from linli.core.broker.redis_streams import RedisStreamBroker

        return RedisStreamBroker(url, queue, prefetch, reclaim_after)
    raise ValueError(f"unsupported broker URL scheme {scheme!r} (amqp:// or redis://)")
