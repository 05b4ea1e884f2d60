"""HTTP for locker (智能柜)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(tags=["locker"])
