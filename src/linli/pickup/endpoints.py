"""HTTP for pickup (自提网络)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(tags=["pickup"])
