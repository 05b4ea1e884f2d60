"""Blocked texts are counted although the caller rolls its transaction back (it must write nothing).

screen() hands the screening row to this module, which writes it in its own transaction once the caller's
transaction has ended (commit or rollback). On SQLite the caller may still hold the only pooled connection
when the hook runs, so the write happens on a short-lived thread that waits for it."""

from __future__ import annotations

import logging
import threading
from typing import Any

from sqlalchemy import insert
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from linli.core.db import after_commit, after_rollback, table
from linli.models import ModerationScreening

log = logging.getLogger("linli.moderation")
_threads: list[threading.Thread] = []


def record_after_transaction(s: Session, row: dict[str, Any]) -> None:
    bind = s.get_bind()
    engine = bind if isinstance(bind, Engine) else bind.engine
    fired: list[bool] = []

    def write() -> None:
        if fired:
            return
        fired.append(True)
        thread = threading.Thread(target=_write, args=(engine, row), daemon=True, name="moderation-blocked")
        _threads.append(thread)
        thread.start()

    after_commit(s, write)
    after_rollback(s, write)


def _write(engine: Engine, row: dict[str, Any]) -> None:
    try:
        with Session(engine) as s, s.begin():
            s.execute(insert(table(ModerationScreening)).values(**row))
    except Exception:  # a lost count must never break anything else
        log.exception("could not record a blocked screening")


def wait_written(timeout: float = 10.0) -> None:
    """Tests and jobs: wait for the pending writes."""
    while _threads:
        _threads.pop().join(timeout)
