"""本地生活服务: member pages."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
