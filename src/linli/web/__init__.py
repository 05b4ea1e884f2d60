"""Server-rendered pages: operator console, leader workbench, member app."""

from __future__ import annotations

from fastapi import FastAPI


def mount(app: FastAPI) -> None:
    """Pages are added in linli.web.console; until then there is nothing to mount."""
