"""Read-only group-buy views for the pages: the campaigns members can join, which groups a member sits
in, and one campaign's figures for operators. Nothing here writes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from linli.core.errors import Forbidden
from linli.core.security import Principal
from linli.groupbuy import repository as repo
from linli.groupbuy import service
from linli.groupbuy.schemas import GroupBuyOut


@dataclass(frozen=True)
class CampaignFigures:
    campaign: GroupBuyOut
    groups_open: int
    groups_succeeded: int
    groups_failed: int
    seats_paid: int  # seats paid for and not given back (awaiting their group, or fulfilled)
    paid_orders: int  # seat orders that were paid, including ones refunded since
    paid_gmv_fen: int  # paid amount minus refunds (a failed group's refunds take its money back out)

    @property
    def success_permille(self) -> int | None:
        """Succeeded groups per thousand settled (succeeded or failed), rounded half up; None before any."""
        settled = self.groups_succeeded + self.groups_failed
        return (self.groups_succeeded * 2000 + settled) // (2 * settled) if settled else None


def active(s: Session, p: Principal, limit: int = 20) -> list[GroupBuyOut]:
    """Campaigns still taking new groups, newest first."""
    return [service.campaign_out(c) for c in repo.active_campaigns(s, p.tenant_id, limit)]


def my_seats(s: Session, p: Principal, group_ids: Sequence[int]) -> dict[int, int]:
    """For a member: group id -> the order holding their seat, among `group_ids`. Empty for anyone else."""
    if p.member_id is None:
        return {}
    return repo.member_seats(s, p.tenant_id, p.member_id, list(group_ids))


def figures(s: Session, p: Principal, campaign_id: int) -> CampaignFigures:
    if p.role != "operator":
        raise Forbidden("campaign figures are for operators", code="forbidden")
    campaign = service.get(s, p, campaign_id)  # NotFound for another tenant's campaign
    counts = repo.status_counts(s, p.tenant_id, campaign.id)
    gmv, paid = repo.paid_totals(s, p.tenant_id, campaign.id)
    return CampaignFigures(campaign=campaign, groups_open=counts.get("open", 0),
                           groups_succeeded=counts.get("succeeded", 0), groups_failed=counts.get("failed", 0),
                           seats_paid=repo.seats_paid(s, p.tenant_id, campaign.id), paid_orders=paid,
                           paid_gmv_fen=gmv)


def group_of_order(s: Session, p: Principal, order_id: int) -> int | None:
    """The group an order holds (or held) a seat in; a member only learns this for their own orders."""
    seat = repo.seat_of_order(s, p.tenant_id, order_id)
    if seat is None or (p.role == "member" and seat.member_id != p.member_id):
        return None
    return seat.group_id
