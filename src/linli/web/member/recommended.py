"""为你推荐 (/m/recommended): the member's posts ranked by the recommendation service, each with its reason,
linking to the community wall's post pages; and the same member's 猜你喜欢 products."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from linli.content import service as content
from linli.core.errors import LinliError
from linli.core.http import Db
from linli.recommend import service as recommend
from linli.web.member.guard import MemberPage
from linli.web.member.templating import render

router = APIRouter()
KINDS = {"ugc": "邻里", "pgc": "官方", "recipe": "菜谱", "review": "晒单"}


@router.get("/recommended")
def recommended_page(request: Request, p: MemberPage, s: Db) -> Response:
    cards = []
    if p.member_id is not None:
        for item in recommend.recommendations(s, p.tenant_id, p.member_id, "post", 20).items:
            try:
                cards.append((content.get(s, p, item.id), item))
            except LinliError:  # hidden since it was chosen: skip it
                continue
        picks = recommend.recommendations(s, p.tenant_id, p.member_id, "product", 6).items
    else:
        picks = []
    return render(request, "member/recommended.html", p=p, title="为你推荐", back="/m/community", cards=cards,
                  picks=picks, kinds=KINDS)
