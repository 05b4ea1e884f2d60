from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import pytest

from linli.core import clock

# 2026-10-12 10:00 Asia/Shanghai: orders paid now reach the pickup points on 10-13
MORNING = clock.as_utc(datetime(2026, 10, 12, 10, 0))


@pytest.fixture(autouse=True)
def morning() -> Iterator[datetime]:
    clock.set_process_time(MORNING)
    yield MORNING
    clock.set_process_time(None)
