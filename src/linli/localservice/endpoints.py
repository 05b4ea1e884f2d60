"""HTTP for localservice (本地生活服务)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(tags=["localservice"])
