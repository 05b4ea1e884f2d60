from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import pytest

from linli.core import clock

NOW = clock.as_utc(datetime(2026, 9, 20, 10, 0))


@pytest.fixture(autouse=True)
def pinned_clock() -> Iterator[datetime]:
    clock.set_process_time(NOW)
    yield NOW
    clock.set_process_time(None)
