"""HTTP for delivery (即时配送)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(tags=["delivery"])
