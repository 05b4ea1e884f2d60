"""即时配送: console pages."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
