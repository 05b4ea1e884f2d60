"""Test infrastructure: every database test runs on SQLite and on PostgreSQL, with the schema
built by the Alembic migrations. Set LINLI_TEST_DATABASES=sqlite (or postgresql) to run one."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from linli.config import get_settings
from linli.core.db import Database, set_database
from linli.core.migrate import upgrade
from linli.core.runtime import Runtime, set_runtime
from linli.core.security import TokenSigner
from tests.client import Client
from tests.factories import Factory
from tests.wipe import wipe

PG_ADMIN_URL = os.environ.get("LINLI_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


def backends() -> list[str]:
    wanted = os.environ.get("LINLI_TEST_DATABASES", "sqlite,postgresql")
    return [b.strip() for b in wanted.split(",") if b.strip()]


def _pg_database(tag: str) -> str:
    name = f"linli_test_{tag}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(PG_ADMIN_URL.replace("postgresql://", "postgresql+psycopg://"),
                          isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
        # a commit need not wait for its WAL flush: nothing here must survive a crash of the server
        conn.execute(text(f'ALTER DATABASE "{name}" SET synchronous_commit = off'))
    admin.dispose()
    return PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"


def _drop_pg(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    admin = create_engine(PG_ADMIN_URL.replace("postgresql://", "postgresql+psycopg://"),
                          isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


_opened: dict[str, Database] = {}


def backend_database(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Database:
    """This worker's migrated database of `backend`, made at its first use and kept until the session ends."""
    if backend not in _opened:
        if backend == "sqlite":
            url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'linli.db'}"
        else:
            url = _pg_database(os.environ.get("PYTEST_XDIST_WORKER", "main"))
        upgrade(url)
        _opened[backend] = Database(url, pool_size=30, max_overflow=250)
    return _opened[backend]


@pytest.fixture(scope="session", autouse=True)
def _close_databases() -> Iterator[None]:
    yield
    for backend, opened in _opened.items():
        opened.dispose()
        if backend == "postgresql":
            _drop_pg(opened.url)


@pytest.fixture(scope="session", params=backends())
def database(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Database:
    """A migrated database for the whole session, one per backend."""
    return backend_database(request.param, tmp_path_factory)


def forget_tenant_models() -> None:
    from linli.recommend import posts, ranking  # loads numpy: only once a test asks for a database

    ranking.forget()
    posts.forget()


def runtime_on(database: Database, var_dir: Path) -> Runtime:
    """`database` emptied, with the runtime a test runs under on it."""
    wipe(database)
    forget_tenant_models()  # ids count from 1 again after the wipe: a cached model would belong to another test
    return runtime_for(database, var_dir)


def runtime_for(database: Database, var_dir: Path) -> Runtime:
    """The runtime a test runs under on `database` as it is. Tokens live long: tests move the clock."""
    get_settings.cache_clear()
    settings = get_settings().model_copy(update={
        "var_dir": var_dir, "database_url": database.url,
        "redis_namespace": f"linli-test-{uuid.uuid4().hex[:12]}"})  # parallel tests share one Redis
    return Runtime(settings, database, TokenSigner(b"test-secret", timedelta(days=400)))


def wire(rt: Runtime | None) -> None:
    """`rt` as the process runtime (None: none)."""
    set_database(rt.db if rt else None)
    set_runtime(rt)


@pytest.fixture
def db(database: Database, tmp_path: Path) -> Iterator[Database]:
    """An empty database wired in as the process runtime."""
    wire(runtime_on(database, tmp_path))
    yield database
    wire(None)


_apps: dict[str, FastAPI] = {}


def app_on(db: Database) -> FastAPI:
    """One app per backend in each worker. A new app answers its first request only after FastAPI has built
    every route's context (~0.5 s); requests find the runtime, set anew for each test, through get_runtime().
    create_app keeps the runtime it was built under only for what is the same in every test here (no
    background work, the default body limits, the backend's Database for /readyz); a test that changes those
    builds its own app."""
    from linli.app import create_app

    if db.url not in _apps:
        _apps[db.url] = create_app(background=False)
    return _apps[db.url]


@pytest.fixture
def client(db: Database) -> Iterator[TestClient]:
    # Origin as a browser sends it on every POST: the pages refuse form posts from other sites (web/origin.py)
    with Client(app_on(db), headers={"Origin": "http://testserver"}) as c:
        yield c


@pytest.fixture
def make(client: TestClient, db: Database) -> Factory:
    """Builds tenants, communities, products and members through the public API."""
    return Factory(client, db)
