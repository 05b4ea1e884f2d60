"""The process-wide pieces built once from settings: database and token signer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from linli.config import Settings, get_settings
from linli.core.db import Database, get_database
from linli.core.security import TokenSigner, load_secret


@dataclass
class Runtime:
    settings: Settings
    db: Database
    signer: TokenSigner


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
