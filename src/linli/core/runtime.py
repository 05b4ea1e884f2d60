"""The process-wide pieces built once from settings: database and token signer."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, TypeVar, cast

from linli.config import Settings, get_settings
from linli.core.db import Database, get_database
from linli.core.security import TokenSigner, load_secret

T = TypeVar("T")


@dataclass
class Runtime:
    settings: Settings
    db: Database
    signer: TokenSigner
    # facts that never change once written (e.g. a flash sale's terms), remembered for this runtime's life:
    # see `remembered`
    memo: dict[Hashable, Any] = field(default_factory=dict)


MEMO_LIMIT = 10_000


def remembered(key: Hashable, load: Callable[[], T]) -> T:
    """`load()` once per runtime for `key`; only for values that can never change (a stale one would be
    wrong in every worker process). Bounded: a full memo starts over."""
    memo = get_runtime().memo
    try:
        return cast(T, memo[key])
    except KeyError:
        value = load()
        if len(memo) >= MEMO_LIMIT:
            memo.clear()
        memo[key] = value
        return value


def known(key: Hashable) -> Any | None:
    """What `remembered` holds for `key`, without loading it (None when not yet loaded)."""
    return get_runtime().memo.get(key)


_runtime: list[Runtime | None] = [None]


def get_runtime() -> Runtime:
    if _runtime[0] is None:
        s = get_settings()
        signer = TokenSigner(load_secret(s.secret_key, s.var_dir), timedelta(minutes=s.token_ttl_minutes))
        _runtime[0] = Runtime(s, get_database(), signer)
    rt = _runtime[0]
    assert rt is not None
    return rt


def set_runtime(rt: Runtime | None) -> None:
    _runtime[0] = rt
