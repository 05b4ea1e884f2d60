"""Guard of the test infrastructure (tests/snapshot.py): a world written back from a snapshot is the world that
was built — every row, its files, timestamps moved to now — and new rows continue after it."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlalchemy import func, select

from linli.core import clock
from linli.core.db import Base, Database
from linli.core.runtime import get_runtime
from linli.models import Order, Product
from tests import snapshot
from tests.api.conftest import populated
from tests.wipe import wipe


def _rows(db: Database) -> dict[str, int]:
    with db.engine.connect() as conn:
        counts = {t.name: conn.execute(select(func.count()).select_from(t)).scalar_one()
                  for t in Base.metadata.sorted_tables}
    return {name: n for name, n in counts.items() if n}


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_a_restored_world_is_the_built_one_moved_to_now(make, db, tmp_path_factory):
    w = populated(make)[0]  # built once per process and backend (then itself restored from a snapshot)
    var_dir = get_runtime().settings.var_dir
    built, files = _rows(db), _files(var_dir)
    with db.unit_of_work() as s:
        created = s.get_one(Order, w.order_id).created_at
    snap = snapshot.take(db, var_dir, tmp_path_factory.mktemp("kept"))  # outside var_dir (the tmp_path)
    wipe(db)
    for f in var_dir.rglob("*"):
        if f.is_file():
            f.unlink()

    later = clock.now() + timedelta(minutes=10)
    with clock.frozen_at(later):
        snapshot.restore(db, snap, var_dir)
    assert _rows(db) == built and files and _files(var_dir) == files
    with db.unit_of_work() as s:
        moved = s.get_one(Order, w.order_id).created_at
        newest = s.scalar(select(func.max(Product.id)))
    assert moved - created == later - snap.taken_at
    # the ids go on after the restored rows, and the restored logins work
    fresh = w.t.product()
    assert fresh["id"] == newest + 1
    r = w.t.client.get(f"/api/v1/orders/{w.order_id}", headers=w.member_h)
    assert r.status_code == 200 and r.json()["status"] == "paid"
