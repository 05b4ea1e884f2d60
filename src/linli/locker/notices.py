"""What the member and the leader are told about a parcel (inbox, service category: never capped or deferred).
Each notice has its own dedupe key, so a retried job or request sends it once."""

from __future__ import annotations

from sqlalchemy.orm import Session

from linli.core import clock
from linli.leader import service as leaders
from linli.messaging import service as messaging
from linli.messaging.schemas import OutgoingMessage
from linli.models import LockerParcel

LINK = "/m/lockers"


def _send(s: Session, member_id: int, parcel: LockerParcel, kind: str, title: str, body: str,
          link: str = LINK) -> None:
    messaging.send_to_member(s, parcel.tenant_id, member_id, OutgoingMessage(
        category="service", title=title, body=body, dedupe_key=f"locker:{parcel.id}:{kind}", source="locker",
        link=link))


def _until(parcel: LockerParcel) -> str:
    return clock.local(parcel.expires_at).strftime("%m月%d日 %H:%M")


def deposited(s: Session, parcel: LockerParcel, locker_name: str, label: str) -> None:
    _send(s, parcel.member_id, parcel, "deposited", "您的包裹已放入智能柜",
          f"订单 #{parcel.order_id} 已放入「{locker_name}」{label} 号格口，开箱码 {parcel.code}，"
          f"请在 {_until(parcel)} 前取件，超时将退回团长处。")


def reminder(s: Session, parcel: LockerParcel, locker_name: str, label: str) -> None:
    _send(s, parcel.member_id, parcel, "reminder", "智能柜包裹即将超时",
          f"订单 #{parcel.order_id} 仍在「{locker_name}」{label} 号格口，开箱码 {parcel.code}，"
          f"请在 {_until(parcel)} 前取件。")


def expired(s: Session, parcel: LockerParcel, locker_name: str, leader_id: int | None) -> None:
    _send(s, parcel.member_id, parcel, "expired", "智能柜包裹已退回团长",
          f"订单 #{parcel.order_id} 超时未取，已从「{locker_name}」退回团长处，请凭提货码到团长处提货。",
          link=f"/m/orders/{parcel.order_id}")
    _tell_leader(s, parcel, leader_id, "智能柜超时包裹待取回",
                 f"订单 #{parcel.order_id} 在「{locker_name}」超时未取，请到柜取回并改为到店自提。")


def withdrawn(s: Session, parcel: LockerParcel, locker_name: str, leader_id: int | None) -> None:
    _tell_leader(s, parcel, leader_id, "智能柜包裹已退款，请取回",
                 f"订单 #{parcel.order_id} 已退款或取消，开箱码已失效，请到「{locker_name}」取回商品。")


def _tell_leader(s: Session, parcel: LockerParcel, leader_id: int | None, title: str, body: str) -> None:
    """In the leader's own member inbox, when the leader is also a resident; the workbench lists it either way."""
    if leader_id is None:
        return
    leader_member = leaders.profile(s, parcel.tenant_id, leader_id).member_id
    if leader_member is not None:
        _send(s, leader_member, parcel, "take_back", title, body, link="/m/lockers")
