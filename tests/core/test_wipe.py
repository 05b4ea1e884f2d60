"""Guard of the test infrastructure (tests/wipe.py): a test never sees another test's rows, ids count from 1
again, and the ledgers stay append-only after the wipe lifted their triggers."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from linli.core.db import Base, Database
from tests.api.conftest import populate
from tests.wipe import non_empty_tables, wipe


def _rows(db: Database) -> dict[str, int]:
    with db.engine.connect() as conn:
        counts = {t.name: conn.execute(select(func.count()).select_from(t)).scalar_one()
                  for t in Base.metadata.sorted_tables}
    return {name: n for name, n in counts.items() if n}


def test_every_test_starts_on_an_empty_database(db):
    assert _rows(db) == {}


def test_the_wipe_empties_every_table_restarts_ids_and_keeps_the_ledgers_append_only(make, db):
    populate(make)
    written = _rows(db)
    assert {"tenants", "orders", "stock_movements", "points_entries", "commission_entries"} <= set(written)
    assert non_empty_tables(db) == [t.name for t in reversed(Base.metadata.sorted_tables) if t.name in written]

    wipe(db)

    assert _rows(db) == {} and non_empty_tables(db) == []
    if db.dialect == "postgresql":
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM pg_sequences WHERE schemaname = current_schema() "
                                     "AND last_value IS NOT NULL")).scalar_one() == 0
    t = make.tenant()
    assert t.tenant_id == 1
    product = t.product(stock=5)
    assert product["id"] == 1
    with pytest.raises(DBAPIError, match="append-only"), db.engine.begin() as conn:
        conn.execute(text("DELETE FROM stock_movements"))
