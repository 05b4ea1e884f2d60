"""A rider's route through a batch of stops: OR-Tools routing (one vehicle, leaving the warehouse and coming back)
with each stop's promised time as a soft deadline, and a nearest-neighbour tour as the fallback and the
benchmark's reference. Pure functions over coordinates: no database."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from haversine import Unit, haversine
from ortools.constraint_solver import pywrapcp, routing_enums_pb2

SPEED_KMH = 15.0  # an e-bike in a residential area
STOP_SECONDS = 120  # parking, the lift, the door
LATE_PENALTY_PER_S = 50  # metres of detour worth one second less late: being on time comes first
SEARCH_MS_PER_STOP, SEARCH_MS = 10, 300  # the guided local search's budget: 10 ms a stop, 0.3 s at most


@dataclass(frozen=True)
class Stop:
    lat: float
    lng: float
    due_s: int  # seconds after departure by which the goods were promised (may be <= 0: already late)


@dataclass(frozen=True)
class Plan:
    order: list[int]  # indexes into the stops, in visiting order
    eta_s: list[int]  # arrival at each visited stop, seconds after departure (same order as `order`)
    distance_m: int  # warehouse -> every stop -> warehouse
    seconds: int  # back at the warehouse
    late: int  # stops reached after their due time
    solver: str


def travel_seconds(metres: int, speed_kmh: float = SPEED_KMH) -> int:
    return round(metres / (speed_kmh * 1000 / 3600))


def distances(depot: tuple[float, float], stops: Sequence[Stop]) -> list[list[int]]:
    """Metres between every pair of places, the warehouse first."""
    places = [depot, *((s.lat, s.lng) for s in stops)]
    return [[round(haversine(a, b, unit=Unit.METERS)) for b in places] for a in places]


def _evaluate(order: list[int], stops: Sequence[Stop], matrix: list[list[int]], speed_kmh: float,
              solver: str) -> Plan:
    at, here, metres, etas, late = 0, 0, 0, [], 0
    for i in order:
        leg = matrix[here][i + 1]
        metres += leg
        at += travel_seconds(leg, speed_kmh)
        etas.append(at)
        late += at > stops[i].due_s
        at += STOP_SECONDS
        here = i + 1
    metres += matrix[here][0]
    at += travel_seconds(matrix[here][0], speed_kmh)
    return Plan(order, etas, metres, at, late, solver)


def nearest_neighbour(depot: tuple[float, float], stops: Sequence[Stop], speed_kmh: float = SPEED_KMH,
                      matrix: list[list[int]] | None = None) -> Plan:
    """Always the closest stop not yet visited: the reference a planner must beat."""
    matrix = matrix or distances(depot, stops)
    left, here, order = set(range(len(stops))), 0, []
    while left:
        nxt = min(left, key=lambda i: (matrix[here][i + 1], i))
        order.append(nxt)
        left.discard(nxt)
        here = nxt + 1
    return _evaluate(order, stops, matrix, speed_kmh, "nearest_neighbour")


def plan(depot: tuple[float, float], stops: Sequence[Stop], speed_kmh: float = SPEED_KMH,
         search_ms: int | None = None) -> Plan:
    """The shortest tour that keeps the promised times where it can (lateness costs more than distance)."""
    matrix = distances(depot, stops)
    if len(stops) <= 1:
        return nearest_neighbour(depot, stops, speed_kmh, matrix)
    n = len(matrix)
    manager = pywrapcp.RoutingIndexManager(n, 1, 0)
    routing = pywrapcp.RoutingModel(manager)

    def metres(a: int, b: int) -> int:
        return matrix[manager.IndexToNode(a)][manager.IndexToNode(b)]

    def seconds(a: int, b: int) -> int:
        node = manager.IndexToNode(a)
        return travel_seconds(metres(a, b), speed_kmh) + (STOP_SECONDS if node else 0)

    routing.SetArcCostEvaluatorOfAllVehicles(routing.RegisterTransitCallback(metres))
    horizon = 24 * 3600
    routing.AddDimension(routing.RegisterTransitCallback(seconds), 0, horizon, True, "time")
    time = routing.GetDimensionOrDie("time")
    for i, stop in enumerate(stops):
        time.SetCumulVarSoftUpperBound(manager.NodeToIndex(i + 1), max(stop.due_s, 0), LATE_PENALTY_PER_S)
    params = pywrapcp.DefaultRoutingSearchParameters()
    params.first_solution_strategy = routing_enums_pb2.FirstSolutionStrategy.PATH_CHEAPEST_ARC
    params.local_search_metaheuristic = routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
    params.time_limit.FromMilliseconds(search_ms or min(SEARCH_MS, SEARCH_MS_PER_STOP * len(stops)))
    solution = routing.SolveWithParameters(params)
    if solution is None:
        return nearest_neighbour(depot, stops, speed_kmh, matrix)
    order, index = [], routing.Start(0)
    while not routing.IsEnd(index):
        node = manager.IndexToNode(index)
        if node:
            order.append(node - 1)
        index = solution.Value(routing.NextVar(index))
    return _evaluate(order, stops, matrix, speed_kmh, "ortools")
