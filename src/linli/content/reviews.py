"""Product reviews (评价晒单): by the member who bought and picked up the product, 1-5 stars, text, images; one per
order and product (the unique key decides between concurrent requests). A review is a post of kind `review`
in the member's community, screened like any post."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from linli.catalog import service as catalog
from linli.content import repository as repo
from linli.content import service, topics
from linli.content.schemas import PostOut, ReviewIn
from linli.core import clock
from linli.core.errors import Conflict, Forbidden, Invalid, NotFound
from linli.core.pagination import fetch_page
from linli.core.security import Principal
from linli.models import Post
from linli.order import service as orders


@dataclass(frozen=True)
class Reviewable:
    """A picked-up order's product the member has not reviewed yet (the 待评价 list)."""

    order_id: int
    product_id: int
    product_name: str
    picked_up_at: object


def create(s: Session, p: Principal, data: ReviewIn) -> PostOut:
    if p.member_id is None:
        raise Forbidden("members only", code="forbidden")
    order = orders.get(s, p, data.order_id)  # 404 unless it is the member's own order
    if order.status != "picked_up":
        raise Conflict("only a picked-up order can be reviewed", code="not_picked_up")
    if data.product_id not in {i.product_id for i in order.items}:
        raise Invalid("the product is not in this order", code="product_not_in_order")
    if repo.review_of(s, p.tenant_id, data.order_id, data.product_id) is not None:
        raise Conflict("this product of the order is already reviewed", code="already_reviewed")
    post = Post(tenant_id=p.tenant_id, kind="review", community_id=service.member_community(s, p),
                author_member_id=p.member_id, body=data.body, images=service.check_images(data.images),
                topics=topics.parse(data.body), product_ids=[], review_order_id=data.order_id,
                review_product_id=data.product_id, stars=data.stars, status="pending_review",
                pinned=False, created_at=clock.now())
    try:
        with s.begin_nested():
            s.add(post)
            s.flush()
    except IntegrityError as exc:  # a concurrent request reviewed it first
        raise Conflict("this product of the order is already reviewed", code="already_reviewed") from exc
    return service.out(s, p, service.screen(s, post))


def of_product(s: Session, p: Principal, product_id: int, limit: int,
               cursor: str | None) -> tuple[list[PostOut], str | None]:
    try:
        catalog.brief(s, p.tenant_id, product_id)
    except Invalid as exc:
        raise NotFound("product not found", code="product_not_found") from exc
    rows, nxt = fetch_page(s, repo.product_reviews(p.tenant_id, product_id), Post.id, limit, cursor)
    return service.outs(s, p.tenant_id, rows, p.member_id), nxt


def pending(s: Session, p: Principal, limit: int = 20) -> list[Reviewable]:
    """The member's picked-up products still to review, newest order first."""
    found, _ = orders.search(s, p, "picked_up", p.member_id, None, limit, None)
    out: list[Reviewable] = []
    for order in found:
        done = repo.reviewed_products(s, p.tenant_id, order.id)
        for item in order.items:
            if item.product_id not in done and all(r.product_id != item.product_id or r.order_id != order.id
                                                   for r in out):
                out.append(Reviewable(order.id, item.product_id, item.product_name, order.picked_up_at))
    return out
