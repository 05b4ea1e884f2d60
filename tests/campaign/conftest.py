from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import pytest

from linli.core import clock

# a morning in Asia/Shanghai, outside the quiet hours (22:00-08:00) that would defer marketing messages
MORNING = clock.as_utc(datetime(2026, 9, 20, 10, 0))


@pytest.fixture(autouse=True)
def morning() -> Iterator[datetime]:
    clock.set_process_time(MORNING)
    yield MORNING
    clock.set_process_time(None)
