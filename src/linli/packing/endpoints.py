"""HTTP for packing (备货与分拣)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(tags=["packing"])
