"""A tenant's history as numpy arrays: one load, then every feature of every (campaign, member) pair is a
vectorised search over sorted event times — no per-member SQL. Times are seconds since the epoch (UTC)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

import numpy as np
from numpy.typing import NDArray
from sqlalchemy.orm import Session

from linli.core import clock
from linli.prediction import repository as repo

KINDS = ("group_buy", "flash_sale", "presale")
TIER_RANK = {"regular": 0, "silver": 1, "gold": 2, "black": 3}
SHIFT = np.int64(2**33)  # a key packs (member index, seconds since T0): 2^33 s is 272 years

Ints = NDArray[np.int64]
Floats = NDArray[np.float64]


@dataclass(frozen=True)
class Campaign:
    kind: str
    id: int
    category_id: int
    starts_at: float
    ends_at: float | None  # None: still open (a group-buy not closed)

    @property
    def ref(self) -> str:
        return f"{self.kind}:{self.id}"


@dataclass(frozen=True)
class Events:
    """One kind of member event, sorted by (member, time), searchable by packed key."""

    member: Ints  # member index
    t: Floats
    key: Ints
    value: Floats  # fen for orders, 1 otherwise

    @staticmethod
    def of(member: Ints, t: Floats, value: Floats | None = None) -> Events:
        value = np.ones(len(t)) if value is None else value
        order = np.lexsort((t, member))
        member, t, value = member[order], t[order], value[order]
        return Events(member, t, _pack(member, t), value)

    def subset(self, mask: NDArray[np.bool_]) -> Events:
        return Events(self.member[mask], self.t[mask], self.key[mask], self.value[mask])

    def count_between(self, members: Ints, start: float, end: float) -> Ints:
        """Events of each member at start <= t < end."""
        lo = np.searchsorted(self.key, _pack(members, np.full(len(members), start)))
        hi = np.searchsorted(self.key, _pack(members, np.full(len(members), end)))
        return (hi - lo).astype(np.int64)

    def sum_between(self, members: Ints, start: float, end: float) -> Floats:
        cum = np.concatenate(([0.0], np.cumsum(self.value)))
        lo = np.searchsorted(self.key, _pack(members, np.full(len(members), start)))
        hi = np.searchsorted(self.key, _pack(members, np.full(len(members), end)))
        return np.asarray(cum[hi] - cum[lo], dtype=np.float64)

    def last_before(self, members: Ints, end: float) -> tuple[Floats, Floats]:
        """(time, value) of each member's last event before `end`; (nan, nan) when there is none."""
        none = np.full(len(members), np.nan)
        if not len(self.key):
            return none, none.copy()
        i = np.searchsorted(self.key, _pack(members, np.full(len(members), end))) - 1
        safe = np.maximum(i, 0)
        ok = (i >= 0) & (self.member[safe] == members)
        return np.where(ok, self.t[safe], np.nan), np.where(ok, self.value[safe], np.nan)


T0 = 946684800.0  # 2000-01-01T00:00Z: keys hold seconds after it


def _pack(member: Ints, t: Floats) -> Ints:
    return member.astype(np.int64) * SHIFT + np.clip(t - T0, 0, float(SHIFT - 1)).astype(np.int64)


@dataclass(frozen=True)
class History:
    member_ids: Ints  # sorted; a member's index is its position
    community: Ints  # community index per member
    joined: Floats
    leader_since: Floats  # inf: not a leader
    orders: Events  # every paid order, value = payable fen, t = paid at
    order_points: Events  # the same orders, value = pickup point index (-1: none)
    lines: Events  # every line of a paid order, value = amount fen
    line_category: Ints  # category id of each line, in `lines` order
    participations: Events  # a paid order of a campaign, t = paid at
    part_kind: Ints  # index into KINDS, in `participations` order
    part_campaign: Ints  # campaign id, in `participations` order
    part_point: Ints  # pickup point index (-1: none), in `participations` order
    tiers: Events  # value = tier rank entered
    checkins: Events  # t = the end of the check-in's day (Asia/Shanghai): known only then
    interactions: Events
    campaigns: list[Campaign]  # by start, then kind and id

    def index_of(self, member_ids: list[int]) -> Ints:
        return np.searchsorted(self.member_ids, np.asarray(member_ids, dtype=np.int64)).astype(np.int64)


def _ts(at: datetime) -> float:
    return at.timestamp()


def load(s: Session, tenant_id: int) -> History:
    members = repo.members(s, tenant_id)
    member_ids = np.array([m for m, _, _ in members], dtype=np.int64)
    pos = {m: i for i, m in enumerate(member_ids.tolist())}
    communities = sorted({c for _, c, _ in members})
    community = np.array([communities.index(c) for _, c, _ in members], dtype=np.int64) if members \
        else np.zeros(0, dtype=np.int64)
    joined = np.array([_ts(j) for _, _, j in members], dtype=np.float64)
    leader_since = np.full(len(members), np.inf)
    for m, since in repo.leaders(s, tenant_id):
        if m in pos:
            leader_since[pos[m]] = min(leader_since[pos[m]], _ts(since))

    paid = [o for o in repo.paid_orders(s, tenant_id) if o[1] in pos]
    order_at = {o: (pos[m], _ts(at)) for o, m, at, _, _, _, _ in paid}
    om, ot = _ints([order_at[o][0] for o, *_ in paid]), _floats([order_at[o][1] for o, *_ in paid])
    orders = Events.of(om, ot, _floats([fen for _, _, _, fen, _, _, _ in paid]))
    points = sorted({pt for *_, pt in paid if pt is not None})
    point_of = {pt: i for i, pt in enumerate(points)}
    order_point = _ints([point_of.get(pt, -1) if pt is not None else -1 for *_, pt in paid])
    lines = [(order_at[o], c, fen) for o, c, fen in repo.paid_lines(s, tenant_id) if o in order_at]
    lm, lt = _ints([mt[0] for mt, _, _ in lines]), _floats([mt[1] for mt, _, _ in lines])
    order = np.lexsort((lt, lm))
    line_events = Events.of(lm, lt, _floats([fen for _, _, fen in lines]))
    line_category = _ints([c for _, c, _ in lines])[order]

    camp = [(m, at, src, sid, pt) for _, m, at, _, src, sid, pt in paid if src in KINDS and sid is not None]
    pm, ptime = _ints([pos[m] for m, *_ in camp]), _floats([_ts(at) for _, at, *_ in camp])
    order = np.lexsort((ptime, pm))
    participations = Events.of(pm, ptime)
    part_kind = _ints([KINDS.index(src) for _, _, src, _, _ in camp])[order]
    part_campaign = _ints([sid for _, _, _, sid, _ in camp])[order]
    part_point = _ints([point_of.get(pt, -1) if pt is not None else -1 for *_, pt in camp])[order]

    tiers = [(pos[m], _ts(at), TIER_RANK.get(t, 0)) for m, t, at in repo.tier_changes(s, tenant_id) if m in pos]
    checks = [(pos[m], _ts(datetime.combine(d + timedelta(days=1), time(), tzinfo=clock.SHANGHAI)))
              for m, d in repo.checkins(s, tenant_id) if m in pos]
    acts = [(pos[m], _ts(at)) for m, at in repo.interactions(s, tenant_id) if m in pos]
    campaigns = sorted((Campaign(kind, i, c, _ts(a), None if b is None else _ts(b))
                        for kind, i, c, a, b in repo.campaigns(s, tenant_id)),
                       key=lambda x: (x.starts_at, KINDS.index(x.kind), x.id))
    return History(
        member_ids=member_ids, community=community, joined=joined, leader_since=leader_since,
        orders=orders, order_points=Events.of(om, ot, order_point.astype(np.float64)),
        lines=line_events, line_category=line_category, participations=participations, part_kind=part_kind,
        part_campaign=part_campaign, part_point=part_point,
        tiers=Events.of(_ints([m for m, _, _ in tiers]), _floats([t for _, t, _ in tiers]),
                        _floats([r for _, _, r in tiers])),
        checkins=Events.of(_ints([m for m, _ in checks]), _floats([t for _, t in checks])),
        interactions=Events.of(_ints([m for m, _ in acts]), _floats([t for _, t in acts])),
        campaigns=campaigns)


def _ints(xs: list[int]) -> Ints:
    return np.asarray(xs, dtype=np.int64)


def _floats(xs: list[float] | list[int]) -> Floats:
    return np.asarray(xs, dtype=np.float64)
