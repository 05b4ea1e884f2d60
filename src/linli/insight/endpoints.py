"""HTTP for insight (邻里洞察)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(tags=["insight"])
