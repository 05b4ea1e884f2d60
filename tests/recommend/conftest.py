from __future__ import annotations

from collections.abc import Iterator

import pytest

from linli.recommend import posts, ranking


@pytest.fixture(autouse=True)
def fresh_models() -> Iterator[None]:
    """Tenant models are cached per process; tenant ids repeat after each test's wipe."""
    ranking.forget()
    posts.forget()
    yield
    ranking.forget()
    posts.forget()
