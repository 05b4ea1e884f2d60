"""Engine, sessions and column types shared by every table."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import BigInteger, DateTime, Integer, MetaData, Table, create_engine, event, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.types import TypeDecorator

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# BIGINT on PostgreSQL; INTEGER on SQLite so that the primary key is the rowid (autoincrement).
IdType = BigInteger().with_variant(Integer(), "sqlite")


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def table(model: type[Base]) -> Table:
    """The Core table of a mapped class: hot paths insert with Core, without the unit of work's bookkeeping."""
    found = model.__table__
    assert isinstance(found, Table)
    return found


class UTCDateTime(TypeDecorator[datetime]):
    """Stores UTC; always returns aware UTC datetimes (SQLite keeps no zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def make_engine(url: str, pool_size: int = 20, max_overflow: int = 40) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        # One connection: SQLite has one writer anyway, and waiting in the pool's queue is fair, where
        # waiting in SQLite's busy handler (polling) starves some requests for seconds under load.
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 60},
                               pool_size=1, max_overflow=0, pool_timeout=120)
        _sqlite_serialised_writes(engine)
        return engine
    if parsed.drivername == "postgresql":
        url = parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
    # No pre-ping: it costs a round trip on every checkout (every request). A connection the server dropped
    # fails its next statement instead; SQLAlchemy then sees the disconnect and discards the whole pool, so
    # one request answers 500 after a database restart and the following ones reconnect.
    return create_engine(url, pool_size=pool_size, max_overflow=max_overflow)


def _sqlite_serialised_writes(engine: Engine) -> None:
    """SQLite: WAL, and every transaction takes the write lock up front (BEGIN IMMEDIATE),
    so concurrent requests queue on busy_timeout instead of failing to upgrade a read lock."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=60000")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")


class Database:
    """An engine and its session factory; one per process (tests make their own)."""

    def __init__(self, url: str, pool_size: int = 20, max_overflow: int = 40) -> None:
        self.url = url
        self.engine = make_engine(url, pool_size, max_overflow)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False, autoflush=True)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def unit_of_work(self) -> Iterator[Session]:
        """One transaction: committed on success, rolled back on any error."""
        session = self.sessions()
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def dispose(self) -> None:
        self.engine.dispose()


def refresh_statistics(s: Session) -> None:
    """Give the query planner row counts and index selectivity. SQLite has none until ANALYZE runs, and without
    them it read every order line of the tenant to find one member's (120 ms rather than 0.2 ms on the demo);
    `analysis_limit` samples each index so that the refresh stays quick on a large database."""
    if s.get_bind().dialect.name == "sqlite":
        s.execute(text("PRAGMA analysis_limit = 1000"))
    s.execute(text("ANALYZE"))


_db: list[Database | None] = [None]


def get_database() -> Database:
    if _db[0] is None:
        from linli.config import get_settings

        s = get_settings()
        _db[0] = Database(s.database_url, s.db_pool_size, s.db_max_overflow)
    db = _db[0]
    assert db is not None
    return db


def set_database(db: Database | None) -> None:
    _db[0] = db


def after_commit(session: Session, fn: Callable[[], object]) -> None:
    """Run fn once the session's transaction has committed (e.g. confirm an external reservation)."""
    session.info.setdefault("after_commit", []).append(fn)


def after_rollback(session: Session, fn: Callable[[], object]) -> None:
    """Run fn if the session's transaction rolls back instead (e.g. give an external reservation back)."""
    session.info.setdefault("after_rollback", []).append(fn)


def _run_hooks(session: Session, name: str) -> None:
    hooks = session.info.pop(name, [])
    session.info.pop("after_rollback" if name == "after_commit" else "after_commit", None)
    for fn in hooks:
        try:
            fn()
        except Exception:  # a hook must not turn a finished transaction into an error
            logging.getLogger("linli.db").exception("transaction hook failed")


@event.listens_for(Session, "after_commit")
def _on_commit(session: Session) -> None:
    _run_hooks(session, "after_commit")


@event.listens_for(Session, "after_rollback")
def _on_rollback(session: Session) -> None:
    _run_hooks(session, "after_rollback")
