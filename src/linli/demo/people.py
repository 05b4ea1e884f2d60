"""Plans the demo's places and people: buildings, households, members, leaders and pickup points.

Pure planning with the seeded RNG: no database here. Indices link the plans; the loader turns them
into rows and ids.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from linli.demo import data

# member personas: how often they order and whether they stopped
PERSONAS = ("fresh_regular", "regular", "occasional", "churned", "dormant")
_PERSONA_WEIGHTS: dict[str, tuple[int, ...]] = {  # in PERSONAS order
    "elderly": (35, 30, 15, 20, 8),
    "three_generations": (25, 35, 20, 20, 8),
    "with_children": (12, 40, 25, 24, 8),
    "young_family": (8, 35, 32, 24, 10),
    "young_couple": (5, 30, 40, 25, 10),
    "single": (3, 22, 45, 28, 12),
}
_HOUSEHOLD_SIZES: dict[str, tuple[tuple[int, ...], tuple[int, ...]]] = {  # (sizes, weights)
    "single": ((1,), (1,)), "elderly": ((1, 2), (6, 4)), "young_couple": ((1, 2), (6, 4)),
    "young_family": ((1, 2), (7, 3)), "with_children": ((1, 2), (6, 4)),
    "three_generations": ((1, 2, 3), (5, 3, 2)),
}
_LEADER_FAMILIES = ("with_children", "young_family", "elderly", "three_generations")


@dataclass
class Building:
    community: int
    name: str
    floors: int
    units: int
    rooms: int  # flats per floor and unit
    lat: float
    lng: float


@dataclass
class Household:
    building: int
    unit_no: str
    unit_type: str
    family: str


@dataclass
class Member:
    n: int  # 1-based, gives the username
    name: str
    phone: str
    community: int
    household: int
    family: str
    persona: str
    joined_at: datetime
    active_until: datetime | None = None  # churned members went silent after this
    point: int = -1  # preferred pickup point (index into People.points)

    @property
    def username(self) -> str:
        return f"member{self.n:04d}"


@dataclass
class Point:
    community: int
    name: str
    kind: str
    address: str
    lat: float
    lng: float
    capacity: int
    opening_hours: str
    leader: int | None  # index into People.leaders


@dataclass
class Leader:
    n: int
    community: int
    member: int | None  # the leader is also a resident (index into People.members)
    name: str
    phone: str
    since: datetime

    @property
    def username(self) -> str:
        return f"leader{self.n:02d}"


@dataclass
class People:
    tenant_created: datetime
    launch: datetime
    buildings: list[Building] = field(default_factory=list)
    households: list[Household] = field(default_factory=list)
    members: list[Member] = field(default_factory=list)
    leaders: list[Leader] = field(default_factory=list)
    points: list[Point] = field(default_factory=list)

    def points_of(self, community: int) -> list[int]:
        return [i for i, p in enumerate(self.points) if p.community == community and p.kind != "warehouse"]


class Names:
    """Chinese names and unique mobile numbers."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self._surnames = [s for s, _ in data.SURNAMES]
        self._cum = _cumulative([w for _, w in data.SURNAMES])
        self._phones: set[str] = set()

    def surname(self) -> str:
        return self.rng.choices(self._surnames, cum_weights=self._cum)[0]

    def person(self, generation: str, surname: str | None = None) -> str:
        female = self.rng.random() < 0.6  # most group-buying accounts are run by women
        given = {
            ("old", True): data.GIVEN_OLD_FEMALE, ("old", False): data.GIVEN_OLD_MALE,
            ("mid", True): data.GIVEN_MID_FEMALE, ("mid", False): data.GIVEN_MID_MALE,
            ("young", True): data.GIVEN_YOUNG_FEMALE, ("young", False): data.GIVEN_YOUNG_MALE,
        }[(generation, female)]
        return (surname or self.surname()) + self.rng.choice(given)

    def phone(self) -> str:
        while True:
            number = self.rng.choice(data.PHONE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"
            if number not in self._phones:
                self._phones.add(number)
                return number


def plan_people(rng: random.Random, now: datetime, n_members: int) -> People:
    people = People(tenant_created=now - timedelta(days=125), launch=now - timedelta(days=120))
    names = Names(rng)
    _plan_buildings(rng, people)
    _plan_residents(rng, people, names, n_members)
    _plan_leaders(rng, people, names)
    _plan_points(rng, people)
    for m in people.members:
        choices = people.points_of(m.community)
        kinds = {"leader_home": 5, "store": 3, "locker": 2}
        m.point = rng.choices(choices, weights=[kinds[people.points[i].kind] for i in choices])[0]
    return people


def _plan_buildings(rng: random.Random, people: People) -> None:
    for ci, c in enumerate(data.COMMUNITIES):
        if c.era == "old":
            count, floors, units, rooms = rng.randint(12, 24), (6, 7), (2, 4), (2, 2)
        elif c.era == "mid":
            count, floors, units, rooms = rng.randint(8, 16), (11, 18), (1, 2), (2, 3)
        else:
            count, floors, units, rooms = rng.randint(6, 14), (18, 33), (1, 2), (2, 4)
        for k in range(1, count + 1):
            people.buildings.append(Building(ci, f"{k}幢", rng.randint(*floors), rng.randint(*units),
                                             rng.randint(*rooms), *_site(c.lat, c.lng, k, count)))


def _plan_residents(rng: random.Random, people: People, names: Names, n_members: int) -> None:
    sizes = [c.size for c in data.COMMUNITIES]
    per_community = [0] * len(sizes)
    for ci in rng.choices(range(len(sizes)), weights=sizes, k=n_members):
        per_community[ci] += 1
    buildings_of: dict[int, list[int]] = {}
    for bi, b in enumerate(people.buildings):
        buildings_of.setdefault(b.community, []).append(bi)
    taken: set[tuple[int, str]] = set()
    residents: list[tuple[int, int, str, str]] = []  # community, household, family, generation
    for ci, wanted in enumerate(per_community):
        era = data.COMMUNITIES[ci].era
        col = 0 if era == "old" else 1
        families = list(data.FAMILY_WEIGHTS)
        weights = [data.FAMILY_WEIGHTS[f][col] if era != "mid" else sum(data.FAMILY_WEIGHTS[f]) / 2
                   for f in families]
        while wanted > 0:
            family = rng.choices(families, weights=weights)[0]
            hi = _household(rng, people, buildings_of[ci], family, taken)
            sz, sw = _HOUSEHOLD_SIZES[family]
            size = min(wanted, rng.choices(sz, weights=sw)[0])
            for g in _generations(rng, family, size):
                residents.append((ci, hi, family, g))
            wanted -= size
    # usernames are handed out in a shuffled order so member0001 is not always in the first community
    rng.shuffle(residents)
    early = people.launch + timedelta(days=21)
    surname_of_household: dict[int, str] = {}
    for n, (ci, hi, family, generation) in enumerate(residents, start=1):
        joined = _joined_at(rng, people.launch, people.launch + timedelta(days=120))
        persona = rng.choices(PERSONAS, weights=_PERSONA_WEIGHTS[family])[0]
        if persona == "churned" and joined > early:
            persona = "occasional"
        surname = surname_of_household.get(hi) if generation == "old" and rng.random() < 0.5 else None
        name = names.person(generation, surname)
        surname_of_household.setdefault(hi, name[0])
        m = Member(n, name, names.phone(), ci, hi, family, persona, joined)
        if persona == "churned":  # went silent 30 to 60 days ago
            m.active_until = people.launch + timedelta(days=120 - rng.uniform(30, 60))
        people.members.append(m)


def _household(rng: random.Random, people: People, buildings: list[int], family: str,
               taken: set[tuple[int, str]]) -> int:
    while True:
        bi = rng.choice(buildings)
        b = people.buildings[bi]
        unit_no = f"{rng.randint(1, b.units)}单元{rng.randint(1, b.floors)}{rng.randint(1, b.rooms):02d}"
        if (bi, unit_no) not in taken:
            taken.add((bi, unit_no))
            break
    types, weights = zip(*data.UNIT_TYPES[family], strict=True)
    people.households.append(Household(bi, unit_no, rng.choices(types, weights=weights)[0], family))
    return len(people.households) - 1


def _generations(rng: random.Random, family: str, size: int) -> list[str]:
    if family == "elderly":
        return ["old"] * size
    if family == "three_generations":
        return ["mid", "old", "young"][:size]
    if family == "with_children":
        return ["mid" if rng.random() < 0.7 else "young" for _ in range(size)]
    return ["young" if rng.random() < 0.8 else "mid" for _ in range(size)]


def _joined_at(rng: random.Random, launch: datetime, now: datetime) -> datetime:
    """45% in the launch month, half spread until last week, 5% this week."""
    r = rng.random()
    if r < 0.45:
        days = rng.uniform(0, 30)
    elif r < 0.95:
        days = rng.uniform(30, 113)
    else:
        days = rng.uniform(113, 119.9)
    at = launch + timedelta(days=days)
    return min(at, now - timedelta(minutes=5))


def _plan_leaders(rng: random.Random, people: People, names: Names) -> None:
    """One leader per community, a second one in the 16 largest: 40 in all."""
    sizes = [c.size for c in data.COMMUNITIES]
    largest = sorted(range(len(sizes)), key=lambda i: (-sizes[i], i))[:16]
    residents: dict[int, list[int]] = {}
    for mi, m in enumerate(people.members):
        residents.setdefault(m.community, []).append(mi)
    n = 0
    for ci in range(len(data.COMMUNITIES)):
        candidates = [mi for mi in residents.get(ci, []) if people.members[mi].persona != "churned"]
        preferred = [mi for mi in candidates if people.members[mi].family in _LEADER_FAMILIES]
        pool = preferred or candidates
        for _ in range(2 if ci in largest else 1):
            n += 1
            since = people.launch + timedelta(days=rng.uniform(-2, 20))
            if pool:
                mi = pool.pop(rng.randrange(len(pool)))
                m = people.members[mi]
                m.joined_at = since - timedelta(hours=rng.uniform(2, 40))  # joined just before leading
                m.active_until, m.persona = None, "regular"
                people.leaders.append(Leader(n, ci, mi, m.name, m.phone, since))
            else:
                people.leaders.append(Leader(n, ci, None, names.person("mid"), names.phone(), since))


def _plan_points(rng: random.Random, people: People) -> None:
    community_index = {c.name: i for i, c in enumerate(data.COMMUNITIES)}
    for li, leader in enumerate(people.leaders):
        c = data.COMMUNITIES[leader.community]
        lat, lng = _near(rng, c.lat, c.lng)
        if rng.random() < 0.2:
            shop = rng.choice(data.STORE_NAMES)
            people.points.append(Point(leader.community, f"{c.name}{shop}", "store",
                                       f"{c.district}{c.address}{c.name}底商", lat, lng,
                                       rng.choice((150, 200, 300, 400)),
                                       rng.choice(("07:00-22:00", "06:30-22:30", "08:00-21:30")), li))
            continue
        flat = ""
        if leader.member is not None:
            h = people.households[people.members[leader.member].household]
            flat = people.buildings[h.building].name + h.unit_no
        people.points.append(Point(leader.community, f"{leader.name}团长家", "leader_home",
                                   f"{c.district}{c.address}{c.name}{flat}", lat, lng,
                                   rng.choice((40, 50, 60, 80, 100, 120)),
                                   rng.choice(("16:00-21:00", "15:00-21:30", "08:00-20:00", "17:00-22:00")),
                                   li))
    for name in data.LOCKER_COMMUNITIES:
        ci = community_index[name]
        c = data.COMMUNITIES[ci]
        gate = rng.choice(("东门", "南门", "北门", "西门"))
        first_leader = next(i for i, le in enumerate(people.leaders) if le.community == ci)
        lat, lng = _near(rng, c.lat, c.lng)
        people.points.append(Point(ci, f"{c.name}{gate}智能自提柜", "locker", f"{c.district}{c.address}{c.name}{gate}",
                                   lat, lng, rng.choice((48, 60, 72)), "00:00-24:00", first_leader))
    for name, community, hours, capacity in data.WAREHOUSES:
        ci = community_index[community]
        c = data.COMMUNITIES[ci]
        lat, lng = _near(rng, c.lat, c.lng, spread=0.006)
        people.points.append(Point(ci, name, "warehouse", f"{c.district}{c.address}附近仓储园", lat, lng,
                                   capacity, hours, None))


def _site(lat: float, lng: float, k: int, count: int) -> tuple[float, float]:
    """Building k of count on rows of five about 70 m apart, centred on the community (no random draw: the
    rest of the plan stays as it was)."""
    rows = (count + 4) // 5
    row, col = divmod(k - 1, 5)
    return round(lat + (row - (rows - 1) / 2) * 0.00065, 6), round(lng + (col - 2) * 0.00075, 6)


def _near(rng: random.Random, lat: float, lng: float, spread: float = 0.0015) -> tuple[float, float]:
    return round(lat + rng.uniform(-spread, spread), 6), round(lng + rng.uniform(-spread, spread), 6)


def _cumulative(weights: list[int] | list[float]) -> list[float]:
    total, out = 0.0, []
    for w in weights:
        total += w
        out.append(total)
    return out
