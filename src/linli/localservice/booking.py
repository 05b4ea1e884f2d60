"""Booking a slot, cancelling, completing and rating. No double-booking by construction:
1. the booking row goes in first, under UNIQUE (member, live slot): a member's duplicate requests make one;
2. the seats are taken by one conditional UPDATE (booked + n <= capacity): racing members queue on the slot's
   row, and each re-checks the condition on the committed count, so a 1-seat slot confirms exactly one.
Every path takes the booking key before the slot row (the same order), so two of them cannot deadlock.
Payment is at the service (到店/上门付款): the price is shown and kept on the booking; no money moves.
Services never commit."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from linli.core import clock
from linli.core.errors import Conflict, Forbidden, NotFound
from linli.core.listing import Filters
from linli.core.pagination import fetch_page
from linli.core.security import Principal
from linli.lifecycle import service as lifecycle
from linli.localservice import repository as repo
from linli.localservice import service as catalog
from linli.localservice.schemas import BookingIn, BookingOut, RatingIn, RatingOut
from linli.models import ServiceBooking, ServiceRating
from linli.moderation import service as moderation

CANCEL_CUTOFF = timedelta(hours=2)  # a member may cancel up to 2 h before the start
REVIEW_TEXT = "评价内容审核中"


def _member(p: Principal) -> int:
    if p.role != "member" or p.member_id is None:
        raise Forbidden("only members can do this", code="forbidden")
    return p.member_id


def book(s: Session, p: Principal, data: BookingIn) -> ServiceBooking:
    """A confirmed booking of `seats` seats, or 409 slot_full / already_booked / slot_closed / slot_started."""
    member_id = _member(p)
    slot = repo.slot(s, p.tenant_id, data.slot_id)
    if slot is None:
        raise NotFound("slot not found", code="slot_not_found")
    svc = catalog.require_service(s, p, slot.service_id)  # 404 unless the member's community is served
    now = clock.now()
    if slot.status != "open":
        raise Conflict("该时段已关闭", code="slot_closed")
    if slot.starts_at <= now:
        raise Conflict("该时段已开始，无法预约", code="slot_started")
    booking = ServiceBooking(
        tenant_id=p.tenant_id, slot_id=slot.id, live_slot_id=slot.id, service_id=svc.id,
        merchant_id=svc.merchant_id, member_id=member_id, community_id=catalog.community_of_member(s, p),
        seats=data.seats, price_fen=svc.price_fen * data.seats, note=data.note, status="confirmed",
        starts_at=slot.starts_at, ends_at=slot.ends_at, created_at=now)
    if not repo.insert_booking(s, booking):
        raise Conflict("您已预约过这个时段", code="already_booked")
    _notify(s, booking, "预约成功", f"{svc.name} · {_when(booking)}，共 {booking.seats} 位。"
            f"{'费用到店/上门支付 ¥' + _yuan(booking.price_fen) if booking.price_fen else '免费'}", "confirmed")
    # last, so the slot's row is held only from here to the commit
    if not repo.take_seats(s, p.tenant_id, slot.id, data.seats, now):
        raise Conflict("该时段已约满", code="slot_full")  # the request rolls back: the booking row goes too
    return booking


def visible(s: Session, p: Principal, booking_id: int) -> ServiceBooking:
    """Operators see every booking; a member only their own; anyone else 404."""
    row = repo.booking(s, p.tenant_id, booking_id)
    if row is None or (p.role != "operator" and (p.role != "member" or row.member_id != p.member_id)):
        raise NotFound("booking not found", code="booking_not_found")
    return row


def cancel(s: Session, p: Principal, booking_id: int, reason: str = "") -> ServiceBooking:
    """The member up to 2 h before the start (later: 409 too_late_to_cancel); the operator (for the merchant)
    any time before completion, with a reason the member is told. The seats return to the slot."""
    row = visible(s, p, booking_id)
    now = clock.now()
    by = "operator" if p.role == "operator" else "member"
    if row.status != "confirmed":
        raise Conflict("该预约已取消或已完成", code="not_cancellable")
    if by == "member" and now > row.starts_at - CANCEL_CUTOFF:
        raise Conflict("距开始不足 2 小时，无法取消，请联系商家", code="too_late_to_cancel")
    if not repo.cancel_booking(s, p.tenant_id, row.id, by, reason or None, now):
        raise Conflict("该预约已取消或已完成", code="not_cancellable")
    repo.free_seats(s, p.tenant_id, row.slot_id, row.seats)
    s.refresh(row)
    if by == "operator":
        svc = repo.service(s, p.tenant_id, row.service_id)
        _notify(s, row, "预约已被取消", f"{svc.name if svc else '服务'} · {_when(row)} 的预约已被商家取消"
                f"{'：' + reason if reason else '。'}", "cancelled")
    return row


def complete(s: Session, p: Principal, booking_id: int) -> ServiceBooking:
    """The operator marks a booking done (once its slot has started); the job completes the rest at the end."""
    if p.role != "operator":
        raise Forbidden("only operators can do this", code="forbidden")
    row = visible(s, p, booking_id)
    if row.status != "confirmed":
        raise Conflict("只有已预约的订单可以标记完成", code="not_completable")
    if clock.now() < row.starts_at:
        raise Conflict("服务尚未开始", code="not_started")
    if not repo.complete_booking(s, p.tenant_id, row.id, clock.now()):
        raise Conflict("只有已预约的订单可以标记完成", code="not_completable")
    s.refresh(row)
    return row


def rate(s: Session, p: Principal, booking_id: int, data: RatingIn) -> ServiceRating:
    """One rating per completed booking (409 already_rated). The comment is screened by moderation: "block"
    refuses the rating (422, nothing written), "review" keeps the comment from other members until a reviewer
    approves it in the moderation queue, while the stars count at once."""
    member_id = _member(p)
    row = visible(s, p, booking_id)
    if row.status != "completed":
        raise Conflict("服务完成后才能评价", code="not_completed")
    rating = ServiceRating(tenant_id=p.tenant_id, booking_id=row.id, merchant_id=row.merchant_id,
                           service_id=row.service_id, member_id=member_id, stars=data.stars, comment=data.comment,
                           comment_visible=True, created_at=clock.now())
    if not repo.insert_rating(s, rating):
        raise Conflict("该预约已评价", code="already_rated")
    if data.comment:
        verdict = moderation.screen(s, p.tenant_id, subject_kind="rating", subject_id=rating.id,
                                    text=data.comment, author_member_id=member_id)
        if verdict.decision == "block":
            raise moderation.sensitive_content(verdict)
        rating.comment_visible = verdict.decision == "pass"
    repo.add_rating_to_merchant(s, p.tenant_id, row.merchant_id, data.stars)
    # a review like an order's: keeps the member active and earns the review points once (ref: this booking)
    lifecycle.record_interaction(s, p.tenant_id, member_id, "review", ref=f"service_booking:{row.id}")
    return rating


def on_moderation_decided(s: Session, tenant_id: int, rating_id: int, decision: str) -> None:
    """A reviewer decided a rating's held comment: approved shows it to everyone; rejected keeps it hidden."""
    if decision == "approved":
        repo.show_comment(s, tenant_id, rating_id)


def rating_out(r: ServiceRating, owner: bool = False) -> RatingOut:
    out = RatingOut.model_validate(r)
    return out if owner or r.comment_visible else out.model_copy(update={"comment": REVIEW_TEXT})


def mine(s: Session, p: Principal, limit: int = 50) -> list[ServiceBooking]:
    member_id = _member(p)
    stmt = repo.bookings(p.tenant_id, member_id=member_id)
    return list(s.scalars(stmt.order_by(ServiceBooking.starts_at.desc(), ServiceBooking.id.desc()).limit(limit)))


def search(s: Session, p: Principal, status: str | None, merchant_id: int | None, f: Filters, limit: int,
           cursor: str | None) -> tuple[list[BookingOut], str | None]:
    """Operators: every booking, filtered; members: their own."""
    member_id = _member(p) if p.role != "operator" else None
    stmt = repo.bookings(p.tenant_id, member_id, status, merchant_id, f.community_id, f.since, f.until)
    rows, nxt = fetch_page(s, stmt, ServiceBooking.id, limit, cursor)
    return [BookingOut.model_validate(r) for r in rows], nxt


def ratings_of(s: Session, p: Principal, booking_ids: list[int]) -> dict[int, RatingOut]:
    return {k: rating_out(v, owner=True) for k, v in repo.rating_of(s, p.tenant_id, booking_ids).items()}


def merchant_ratings(s: Session, p: Principal, merchant_id: int, limit: int = 20) -> list[RatingOut]:
    m = catalog.require_merchant(s, p, merchant_id)
    return [rating_out(r, owner=p.role == "operator" or r.member_id == p.member_id)
            for r in repo.ratings_of_merchant(s, p.tenant_id, m.id, limit)]


def _when(b: ServiceBooking) -> str:
    return clock.local(b.starts_at).strftime("%m月%d日 %H:%M")


def _yuan(fen: int) -> str:
    return f"{fen // 100}.{fen % 100:02d}"


def _notify(s: Session, b: ServiceBooking, title: str, body: str, key: str) -> None:
    from linli.messaging import service as messaging  # a service message to the member's inbox
    from linli.messaging.schemas import OutgoingMessage

    messaging.send_to_member(s, b.tenant_id, b.member_id, OutgoingMessage(
        category="service", title=title, body=body[:200], dedupe_key=f"localservice:{b.id}:{key}",
        source="localservice", link="/m/services/bookings"))


def remind(s: Session, tenant_id: int, booking_id: int, now: datetime) -> bool:
    """The 2-hour reminder, once: the conditional UPDATE of reminded_at is the claim (and the inbox dedupes)."""
    if not repo.mark_reminded(s, tenant_id, booking_id, now):
        return False
    row = repo.booking(s, tenant_id, booking_id)
    assert row is not None
    svc = repo.service(s, tenant_id, row.service_id)
    merchant = repo.merchant(s, tenant_id, row.merchant_id)
    _notify(s, row, "服务即将开始", f"{svc.name if svc else '服务'} · {_when(row)} 开始"
            f"{'，商家电话 ' + merchant.phone if merchant else ''}。如需改期请联系商家。", "reminder")
    return True


# --- the jobs' reads and bulk moves ---------------------------------------------------------------

def due_reminders(s: Session, at: datetime, until: datetime) -> list[tuple[int, int]]:
    """(tenant, booking) of confirmed bookings starting in (at, until] not reminded yet."""
    return repo.due_reminders(s, at, until)


def tenants_with_ended(s: Session, at: datetime) -> list[int]:
    return repo.tenants_with_ended(s, at)


def complete_ended(s: Session, tenant_id: int, at: datetime) -> int:
    """Confirmed bookings whose slot ended by `at` become completed (rating opens)."""
    return repo.complete_ended(s, tenant_id, at)


def completed_unrated(s: Session, tenant_id: int, limit: int = 500) -> list[ServiceBooking]:
    """Completed bookings not rated yet (the demo's raters; oldest first)."""
    return repo.completed_unrated(s, tenant_id, limit)


def slot_start(s: Session, tenant_id: int, slot_id: int) -> datetime:
    slot = repo.slot(s, tenant_id, slot_id)
    if slot is None:
        raise NotFound("slot not found", code="slot_not_found")
    return slot.starts_at
