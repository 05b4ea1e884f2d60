from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from linli.core.schemas import Id, In, Instant, Lat, Lng, Name, Out, ShortText

PickupKind = Literal["leader_home", "store", "locker", "warehouse"]
Hours = Annotated[str, StringConstraints(pattern=r"^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-4]):[0-5]\d$")]


class CommunityIn(In):
    name: Name
    address: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
    lat: Lat
    lng: Lng
    city: Annotated[str, StringConstraints(strip_whitespace=True, max_length=40)] = ""  # the columns are 40 long
    district: Annotated[str, StringConstraints(strip_whitespace=True, max_length=40)] = ""


class CommunityOut(Out):
    id: int
    name: str
    address: str
    city: str
    district: str
    lat: float
    lng: float
    created_at: Instant


class PickupPointIn(In):
    community_id: Id
    name: Name
    kind: PickupKind
    lat: Lat
    lng: Lng
    capacity: Annotated[int, Field(gt=0, le=100000)] | None = None
    leader_id: Id | None = None
    address: ShortText = ""
    opening_hours: Hours = "08:00-21:00"


class PickupPointOut(Out):
    id: int
    community_id: int
    name: str
    kind: str
    lat: float
    lng: float
    capacity: int | None
    leader_id: int | None
    address: str
    opening_hours: str


UnitType = Literal["一室一厅", "两室一厅", "两室两厅", "三室一厅", "三室两厅", "四室两厅", "别墅", "其他"]
FamilyStructure = Literal["single", "young_couple", "young_family", "with_children", "elderly",
                          "three_generations", "other"]


class BuildingIn(In):
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)]
    floors: Annotated[int, Field(gt=0, le=200)] = 6
    lat: Lat | None = None  # none: the building stands at its community's location
    lng: Lng | None = None


@dataclass(frozen=True)
class BuildingPlace:
    building_id: int
    community_id: int
    name: str
    lat: float
    lng: float


class BuildingOut(Out):
    id: int
    community_id: int
    name: str
    floors: int
    lat: float | None
    lng: float | None


class HouseholdIn(In):
    unit_no: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20)]
    unit_type: UnitType
    family_structure: FamilyStructure


class HouseholdOut(Out):
    id: int
    building_id: int
    unit_no: str
    unit_type: str
    family_structure: str
