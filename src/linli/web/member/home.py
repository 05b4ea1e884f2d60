"""The member home page: running flash sales and group-buys, then the product list."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from linli.auth import service as auth
from linli.calendar import service as calendar
from linli.catalog import service as catalog
from linli.core.http import Db
from linli.flashsale import reports as flash_reports
from linli.groupbuy import reports as group_reports
from linli.recommend import service as recommend
from linli.web.member.guard import MemberPage
from linli.web.member.pages import is_id, products
from linli.web.member.templating import PAGE_SIZE, render

router = APIRouter()


@router.get("")
def home(request: Request, p: MemberPage, s: Db, cursor: str = "") -> Response:
    sales = flash_reports.current(s, p, 10)
    campaigns = group_reports.active(s, p, 10)
    rows, nxt = catalog.search_products(s, p, None, None, PAGE_SIZE, cursor if is_id(cursor) else None)
    picks = recommend.recommendations(s, p.tenant_id, p.member_id, "product", 6).items \
        if p.member_id is not None and not cursor else []
    return render(request, "member/home.html", p=p, title="邻里团购", tab="home", me=auth.me(s, p),
                  sales=sales, campaigns=campaigns, picks=picks,
                  campaign_products=products(s, p, [x.product_id for x in sales] + [c.product_id for c in campaigns]),
                  rows=[r for r in rows if r.is_active], cursor=cursor,
                  next_url=f"/m?cursor={nxt}" if nxt else None,
                  upcoming=calendar.upcoming(s, p, limit=3) if not cursor else None)
