"""Alembic environment: the URL comes from the caller (linli migrate, tests) or LINLI_DATABASE_URL."""

from alembic import context

import linli.models  # noqa: F401  (registers every table)
from linli.config import get_settings
from linli.core.db import Base, make_engine

config = context.config
url = config.attributes.get("database_url") or get_settings().database_url


def run() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _migrate(connection)
        return
    engine = make_engine(url)
    with engine.connect() as conn:
        _migrate(conn)
    engine.dispose()


def _migrate(conn) -> None:  # type: ignore[no-untyped-def]
    context.configure(connection=conn, target_metadata=Base.metadata,
                      render_as_batch=conn.dialect.name == "sqlite")
    with context.begin_transaction():
        context.run_migrations()
    if conn.in_transaction():
        conn.commit()


run()
