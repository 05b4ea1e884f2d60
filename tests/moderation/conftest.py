from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import datetime

import pytest

from linli.core import clock
from linli.core.db import Database
from linli.tenancy import service as tenancy

NOON = clock.as_utc(datetime(2026, 10, 12, 12, 0))
_seq = itertools.count(1)


@pytest.fixture(autouse=True)
def noon() -> Iterator[datetime]:
    clock.set_process_time(NOON)
    yield NOON
    clock.set_process_time(None)


@pytest.fixture
def tenant_id(db: Database) -> int:
    """A tenant made straight through its service (most tests here need no HTTP client)."""
    with db.unit_of_work() as s:
        return tenancy.create_tenant(s, f"mod{next(_seq)}", "审核租户", "admin", "password-1").id
