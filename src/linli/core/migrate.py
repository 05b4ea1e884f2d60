"""Bring a database to the newest schema with the Alembic migrations (tests use this too)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

ROOT = Path(__file__).resolve().parents[3]


def upgrade(database_url: str) -> None:
    cfg = Config(str(ROOT / "alembic.ini"))
    cfg.set_main_option("script_location", str(ROOT / "migrations"))
    cfg.attributes["database_url"] = database_url
    command.upgrade(cfg, "heads")  # several heads while parallel work lands; linearised after
