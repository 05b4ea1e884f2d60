"""RabbitMQ through pika: a durable queue, persistent messages, publisher confirms, manual acks, prefetch."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence

import pika
from pika.adapters.blocking_connection import BlockingChannel

log = logging.getLogger("linli.broker")


class RabbitBroker:
    def __init__(self, url: str, queue: str, prefetch: int) -> None:
        params = pika.URLParameters(url)
        params.connection_attempts = 3
        params.retry_delay = 1
        self.queue, self.prefetch = queue, prefetch
        self._conn = pika.BlockingConnection(params)
        self._ch: BlockingChannel = self._conn.channel()
        self._ch.queue_declare(queue=queue, durable=True)
        self._confirming = False
        self._props = pika.BasicProperties(delivery_mode=pika.DeliveryMode.Persistent, content_type="text/plain")

    def publish(self, bodies: Sequence[str]) -> None:
        if not self._confirming:
            self._ch.confirm_delivery()  # basic_publish then waits for the broker's ack, and raises on a nack
            self._confirming = True
        for body in bodies:
            # mandatory: a message no queue takes raises UnroutableError instead of vanishing
            self._ch.basic_publish("", self.queue, body.encode(), self._props, mandatory=True)

    def consume(self, handle: Callable[[str], None], stopping: Callable[[], bool]) -> None:
        self._ch.basic_qos(prefetch_count=self.prefetch)
        try:
            for method, _props, body in self._ch.consume(self.queue, inactivity_timeout=1.0):
                if method is not None:
                    try:
                        handle(body.decode())
                    except Exception:  # e.g. the database is down: give the message back, slow down
                        log.exception("broker message not handled; requeued")
                        self._ch.basic_nack(method.delivery_tag, requeue=True)
                        time.sleep(1.0)
                    else:
                        self._ch.basic_ack(method.delivery_tag)
                if stopping():
                    break
        finally:
            if self._ch.is_open:
                self._ch.cancel()  # prefetched, unhandled messages go back to the queue

    def keepalive(self) -> None:
        self._conn.process_data_events(time_limit=0)

    def close(self) -> None:
        try:
            if self._conn.is_open:
                self._conn.close()
        except Exception:  # closing a broken connection
            log.debug("closing the RabbitMQ connection failed", exc_info=True)
