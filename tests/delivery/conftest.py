from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import pytest

from linli.core import clock

# a weekday late morning in Asia/Shanghai
NOON = clock.as_utc(datetime(2026, 10, 12, 11, 0))


@pytest.fixture(autouse=True)
def noon() -> Iterator[datetime]:
    clock.set_process_time(NOON)
    yield NOON
    clock.set_process_time(None)
