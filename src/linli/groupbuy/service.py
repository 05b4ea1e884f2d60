"""Group-buy campaigns, and members starting and joining groups. No overfill under any concurrency:
a seat is a conditional UPDATE on the group row; a unit is a conditional UPDATE on the campaign."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Literal

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from linli.catalog import service as catalog
from linli.catalog import stock
from linli.community import service as communities
from linli.core import clock, outbox
from linli.core.errors import Conflict, Invalid, NotFound
from linli.core.pagination import fetch_page
from linli.core.security import Principal
from linli.groupbuy import repository as repo
from linli.groupbuy.schemas import (
    CommunityHeat,
    GroupBuyIn,
    GroupBuyOut,
    GroupEventOut,
    GroupOut,
    JoinedOut,
    JoinIn,
    ProgressOut,
    StartedOut,
    StartIn,
    StartSizes,
)
from linli.member import service as members
from linli.models import Group, GroupBuy, GroupSeat
from linli.order import service as orders
from linli.tier import service as tiers


def create(s: Session, p: Principal, data: GroupBuyIn) -> GroupBuyOut:
    """The campaign's units are set aside from the product's stock now."""
    # first: an unknown product is a 422, not a foreign-key conflict on the campaign row
    catalog.require_below_list(s, p.tenant_id, data.product_id, data.price_fen, "group-buy")
    stock.take_for(s, p.tenant_id, data.product_id, data.stock, "group_buy", p.user_id)
    campaign = GroupBuy(tenant_id=p.tenant_id, held=0, size_by_tier=data.size_by_tier or {},
                        **data.model_dump(exclude={"size_by_tier"}))
    s.add(campaign)
    s.flush()
    return campaign_out(campaign)


def close(s: Session, p: Principal, campaign_id: int) -> GroupBuyOut:
    """No new groups; units not held by a seat go back to stock. Open groups run to their deadline."""
    campaign = _campaign(s, p.tenant_id, campaign_id, lock=True)
    if campaign.closed_at is None:
        campaign.closed_at = clock.now()
        unheld = campaign.stock - campaign.held
        if unheld:
            stock.put_back(s, p.tenant_id, [(campaign.product_id, unheld)], None, "group_buy", p.user_id)
            campaign.stock = campaign.held
    return campaign_out(campaign)


def get(s: Session, p: Principal, campaign_id: int) -> GroupBuyOut:
    return campaign_out(_campaign(s, p.tenant_id, campaign_id))


def search(s: Session, p: Principal, limit: int, cursor: str | None) -> tuple[list[GroupBuyOut], str | None]:
    rows, nxt = fetch_page(s, repo.campaigns(p.tenant_id), GroupBuy.id, limit, cursor)
    return [campaign_out(r) for r in rows], nxt


def start_sizes(s: Session, p: Principal, campaign_id: int) -> StartSizes:
    """The group sizes this member may start in the campaign (the member app's size picker)."""
    return _sizes(s, p, _campaign(s, p.tenant_id, campaign_id))


def _sizes(s: Session, p: Principal, campaign: GroupBuy) -> StartSizes:
    assert p.member_id is not None
    tier = tiers.tier_of(s, p.tenant_id, p.member_id)
    default = campaign.size_by_tier.get(tier, campaign.group_size)
    allowed = tiers.benefits_of(s, p.tenant_id, p.member_id).group_size_max  # 可发起 N 人团
    return StartSizes(default=default, smallest=campaign.group_size,
                      largest=max(default, min(allowed, campaign.stock - campaign.held)), tier_max=allowed)


def start(s: Session, p: Principal, campaign_id: int, data: StartIn) -> StartedOut:
    """The starter opens a group and takes its first seat. Its size is the campaign's size for the
    starter's tier (size_by_tier, else group_size), or the size the starter chose: at least the
    campaign's group_size, at most their tier's group_size_max and the units left to fill it."""
    assert p.member_id is not None
    campaign = _campaign(s, p.tenant_id, campaign_id)
    if campaign.closed_at is not None:
        raise Conflict("the group-buy has ended", code="group_closed")
    now = clock.now()
    sizes = _sizes(s, p, campaign)
    size = sizes.default if data.size is None else _chosen(campaign, sizes, data.size)
    group = Group(tenant_id=p.tenant_id, group_buy_id=campaign.id, starter_member_id=p.member_id, size=size,
                  seats_taken=1, status="open", expires_at=now + timedelta(hours=campaign.time_limit_hours),
                  created_at=now)
    s.add(group)
    s.flush()
    order_id = _seat(s, p, campaign, group, data, "started")
    return StartedOut(group_id=group.id, order_id=order_id)


def _chosen(campaign: GroupBuy, sizes: StartSizes, size: int) -> int:
    if size < sizes.smallest:
        raise Invalid(f"a group has at least {sizes.smallest} people", code="group_size_too_small")
    if size == sizes.default:  # what the campaign gives this tier anyway
        return size
    if size > max(sizes.tier_max, sizes.default):
        raise Invalid(f"your tier may start groups of up to {max(sizes.tier_max, sizes.default)} people",
                      code="group_size_over_tier")
    if size > campaign.stock - campaign.held:  # a group that could never fill
        raise Conflict(f"only {campaign.stock - campaign.held} units are left for new groups",
                       code="group_size_over_stock")
    return size


def join(s: Session, p: Principal, group_id: int, data: JoinIn) -> JoinedOut:
    assert p.member_id is not None
    group = repo.group(s, p.tenant_id, group_id)
    if group is None:
        raise NotFound("group not found", code="group_not_found")
    now = clock.now()
    if group.status != "open" or group.expires_at <= now:
        raise Conflict("the group is closed", code="group_closed")
    if repo.live_seat(s, group.id, p.member_id) is not None:
        raise Conflict("already in this group", code="already_joined")
    if not repo.take_seat(s, group.id, now):  # locks the group row until commit
        s.refresh(group)
        closed = group.status != "open" or group.expires_at <= now
        raise Conflict("the group is closed" if closed else "the group is full",
                       code="group_closed" if closed else "group_full")
    campaign = _campaign(s, p.tenant_id, group.group_buy_id)
    return JoinedOut(order_id=_seat(s, p, campaign, group, data, "joined"), group_id=group.id)


def _seat(s: Session, p: Principal, campaign: GroupBuy, group: Group, data: JoinIn, action: str) -> int:
    assert p.member_id is not None
    if not repo.hold_unit(s, campaign.id):
        raise Conflict("the group-buy is sold out", code="sold_out")
    order = orders.place_reserved(s, p, campaign.product_id, 1, campaign.price_fen, "group_buy", campaign.id,
                                  data.pickup_point_id)
    try:
        with s.begin_nested():  # the partial unique index is the last word on "one seat per member"
            s.add(GroupSeat(tenant_id=p.tenant_id, group_id=group.id, member_id=p.member_id, order_id=order.id,
                            status="held"))
    except IntegrityError as exc:
        raise Conflict("already in this group", code="already_joined") from exc
    repo.add_event(s, p.tenant_id, group.id, action, p.member_id, clock.now(), order_id=order.id)
    outbox.emit(s, p.tenant_id, f"group.{action}", {"group_id": group.id, "member_id": p.member_id,
                                                    "order_id": order.id})
    return order.id


def get_group(s: Session, p: Principal, group_id: int) -> GroupOut:
    group = repo.group(s, p.tenant_id, group_id)
    if group is None:
        raise NotFound("group not found", code="group_not_found")
    timeline = [GroupEventOut.model_validate(e) for e in repo.events(s, group.id)]
    return group_out(group, repo.paid_counts(s, [group.id]).get(group.id, 0), timeline)


def progress(s: Session, p: Principal, campaign_id: int) -> ProgressOut:
    """Open groups and where their members live: the data for the live progress map."""
    campaign = _campaign(s, p.tenant_id, campaign_id)
    open_groups = repo.groups_of(s, p.tenant_id, campaign.id, "open")
    paid = repo.paid_counts(s, [g.id for g in open_groups])
    counts = repo.status_counts(s, p.tenant_id, campaign.id)
    per_community: dict[int, int] = {}
    for community_id in members.communities_of(s, p.tenant_id, repo.live_members(s, p.tenant_id, campaign.id)).values():
        per_community[community_id] = per_community.get(community_id, 0) + 1
    heat = [CommunityHeat(community_id=c.id, name=c.name, lat=c.lat, lng=c.lng, members=per_community[c.id])
            for c in communities.communities_by_ids(s, p.tenant_id, list(per_community))]
    return ProgressOut(group_buy_id=campaign.id, open_groups=[group_out(g, paid.get(g.id, 0)) for g in open_groups],
                       groups_succeeded=counts.get("succeeded", 0), groups_failed=counts.get("failed", 0),
                       communities=sorted(heat, key=lambda h: -h.members))


def _campaign(s: Session, tenant_id: int, campaign_id: int, lock: bool = False) -> GroupBuy:
    campaign = repo.campaign(s, tenant_id, campaign_id, lock=lock)
    if campaign is None:
        raise NotFound("group-buy not found", code="group_buy_not_found")
    return campaign


def campaign_out(c: GroupBuy) -> GroupBuyOut:
    status: Literal["active", "closed"] = "closed" if c.closed_at else "active"
    return GroupBuyOut(id=c.id, product_id=c.product_id, price_fen=c.price_fen, group_size=c.group_size,
                       size_by_tier=c.size_by_tier or {}, time_limit_hours=c.time_limit_hours, stock=c.stock,
                       held=c.held, remaining=c.stock - c.held, virtual_fill_percent=c.virtual_fill_percent,
                       status=status, created_at=c.created_at)


def group_out(g: Group, paid: int, timeline: list[GroupEventOut] | None = None) -> GroupOut:
    left = max(0, int((g.expires_at - clock.now()).total_seconds())) if g.status == "open" else 0
    return GroupOut(id=g.id, group_buy_id=g.group_buy_id, status=g.status,  # type: ignore[arg-type]
                    size=g.size, members_count=g.seats_taken, paid_count=paid, expires_at=g.expires_at,
                    time_left_seconds=left, timeline=timeline or [])


def outcomes(s: Session, tenant_id: int, start: datetime, end: datetime) -> tuple[int, int]:
    """(succeeded, failed) groups closed in [start, end) (the group-buy failure-rate alert)."""
    return repo.outcomes(s, tenant_id, start, end)
