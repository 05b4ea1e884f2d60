"""The HTTP API under /api/v1: every domain's router, listed explicitly."""

from __future__ import annotations

from fastapi import APIRouter

from linli.auth.endpoints import router as auth
from linli.bundle.endpoints import router as bundle
from linli.catalog.endpoints import router as catalog
from linli.community.endpoints import router as community
from linli.core.http import ERROR_RESPONSES
from linli.flashsale.endpoints import router as flashsale
from linli.groupbuy.endpoints import router as groupbuy
from linli.member.endpoints import router as members
from linli.order.endpoints import router as orders
from linli.presale.endpoints import router as presale
from linli.referral.endpoints import router as referral

api = APIRouter(prefix="/api/v1", responses=ERROR_RESPONSES)
for r in (auth, members, community, catalog, orders, flashsale, groupbuy, referral, bundle, presale):
    api.include_router(r)
