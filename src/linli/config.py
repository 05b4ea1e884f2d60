"""Settings from LINLI_* environment variables."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="LINLI_", extra="ignore")

    database_url: str = "sqlite:///./var/linli.db"
    redis_url: str | None = None
    redis_namespace: str = "linli"  # prefix of every Redis key (several deployments can share one Redis)
    redis_timeout_seconds: float = 0.5  # connect and reply; a dead Redis must fail fast (see core/redis.py)
    # request bodies (core/body_limit.py): 413 payload_too_large above these; forms carry image uploads
    max_body_bytes: int = 10 * 1024 * 1024
    max_json_body_bytes: int = 1024 * 1024
    # origins besides the request's own Host that may post the pages' forms (web/origin.py), e.g. behind a
    # proxy that rewrites Host: "https://linli.example.com,https://m.linli.example.com"
    trusted_origins: str = ""
    secret_key: str | None = None  # read from var/secret_key (created once) when unset
    # argon2id cost (core/security.py); the defaults are argon2-cffi's (RFC 9106 low-memory profile). Only the
    # test suite lowers them (tests/__init__.py): a hash there is microseconds instead of ~0.1-0.7 s
    password_hash_time_cost: int = 3
    password_hash_memory_kib: int = 65536
    password_hash_parallelism: int = 4
    token_ttl_minutes: int = 8 * 60
    # orders
    payment_timeout_minutes: int = 15
    return_window_days: int = 30
    fresh_return_window_days: int = 15  # seed 000: "生鲜商品可冷藏保存15天"
    # how long a process answers "sold out" from memory before it asks again (0: always ask); a unit that
    # comes back in another process can wait this long to be seen (see flashsale/soldout.py)
    flash_sale_sold_out_memo_seconds: float = 0.5
    # login throttling
    login_max_failures_per_account: int = 5
    login_max_failures_per_address: int = 30
    login_failure_window_minutes: int = 15
    # database pool (PostgreSQL)
    db_pool_size: int = 20
    db_max_overflow: int = 40
    # worker threads per process for the hot writes (order placement, flash-sale purchase); see core/http.py
    hot_write_threads: int = 8
    # background work inside `linli serve`
    embedded_worker: bool = True
    scheduler_interval_seconds: float = 30.0
    dispatch_interval_seconds: float = 1.0
    # outbox deliveries through a broker (core/broker): amqp://user:pass@host:5672/vhost (RabbitMQ) or
    # redis://host:6379/0 (a Redis stream). Empty: `linli worker` polls the database
    broker_url: str = ""
    broker_queue: str = "linli.outbox"  # RabbitMQ queue, or Redis stream key
    broker_prefetch: int = 32  # messages a consumer holds unacknowledged
    # a delivery handed to the broker that is not done after this long is published again (a lost message,
    # or a relay that died between its commit and its publish); the delivery state drops the duplicates
    broker_republish_seconds: float = 300.0
    broker_reclaim_seconds: float = 60.0  # Redis: a message taken but not acked this long goes to another worker
    log_json: bool = True
    log_level: str = "INFO"
    var_dir: Path = Path("./var")


@lru_cache
def get_settings() -> Settings:
    return Settings()
