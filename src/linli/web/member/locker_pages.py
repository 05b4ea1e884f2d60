"""智能柜: member pages."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
