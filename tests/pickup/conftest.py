from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import pytest

from linli.core import clock

# a weekday morning in Asia/Shanghai (a Monday)
MORNING = clock.as_utc(datetime(2026, 10, 12, 9, 0))


@pytest.fixture(autouse=True)
def morning() -> Iterator[datetime]:
    clock.set_process_time(MORNING)
    yield MORNING
    clock.set_process_time(None)
