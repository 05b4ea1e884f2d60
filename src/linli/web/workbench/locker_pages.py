"""智能柜: workbench pages."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
