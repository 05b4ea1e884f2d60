"""Members rate an order once it is picked up; the stars score the leader of its pickup point."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from linli.assessment import repository as repo
from linli.assessment.schemas import RatingIn, RatingOut
from linli.community import service as community
from linli.core import outbox
from linli.core.errors import Conflict, NotFound
from linli.core.pagination import fetch_page
from linli.core.security import Principal
from linli.lifecycle import service as lifecycle
from linli.models import OrderRating
from linli.order import service as orders


def rate(s: Session, p: Principal, order_id: int, data: RatingIn) -> RatingOut:
    facts = orders.rating_facts(s, p.tenant_id, order_id)
    if facts is None or facts.member_id != p.member_id:
        raise NotFound("order not found", code="order_not_found")
    if facts.status != "picked_up":
        raise Conflict("only a picked-up order can be rated", code="not_picked_up")
    if repo.rating_of_order(s, p.tenant_id, order_id) is not None:
        raise Conflict("this order is already rated", code="already_rated")
    leader_id = None
    if facts.pickup_point_id is not None:
        leader_id = community.pickup_point(s, p.tenant_id, facts.pickup_point_id).leader_id
    rating = OrderRating(tenant_id=p.tenant_id, order_id=order_id, member_id=facts.member_id, leader_id=leader_id,
                         stars=data.stars, comment=data.comment or None)
    try:
        with s.begin_nested():
            s.add(rating)
    except IntegrityError as exc:  # a concurrent request rated it first
        raise Conflict("this order is already rated", code="already_rated") from exc
    outbox.emit(s, p.tenant_id, "order.rated", {"order_id": order_id, "leader_id": leader_id,
                                                "stars": data.stars})
    # the member's review, where it happens: growth and the review points rule (once per order)
    lifecycle.record_interaction(s, p.tenant_id, facts.member_id, "review", ref=f"order:{order_id}")
    return RatingOut.model_validate(rating)


def rating_of(s: Session, p: Principal, order_id: int) -> RatingOut | None:
    """The member's own rating of their order, if they gave one."""
    rating = repo.rating_of_order(s, p.tenant_id, order_id)
    return RatingOut.model_validate(rating) if rating is not None and rating.member_id == p.member_id else None


def feedback_page(s: Session, p: Principal, limit: int, cursor: str | None) -> tuple[list[RatingOut], str | None]:
    rows, nxt = fetch_page(s, repo.feedback(p.tenant_id, p.leader_id or 0), OrderRating.id, limit, cursor)
    return [RatingOut.model_validate(r) for r in rows], nxt


def recent_feedback(s: Session, tenant_id: int, leader_id: int, limit: int) -> list[RatingOut]:
    """The leader's latest ratings, newest first (the workbench dashboard shows them)."""
    rows, _ = fetch_page(s, repo.feedback(tenant_id, leader_id), OrderRating.id, limit, None)
    return [RatingOut.model_validate(r) for r in rows]
