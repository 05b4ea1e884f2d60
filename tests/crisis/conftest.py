from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import pytest

from linli.core import clock
from tests.alert.helpers import AT


@pytest.fixture(autouse=True)
def fixed_clock() -> Iterator[datetime]:
    clock.set_process_time(AT)
    yield AT
    clock.set_process_time(None)
