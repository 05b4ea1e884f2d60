"""Property-based fuzzing of every documented operation from /openapi.json (schemathesis): no server
errors, every status documented, every response body matching its schema. Run as an operator, a member
and a leader, against a tenant with data so that some generated ids hit real rows.

Each generated call goes to every backend: the test runs on PostgreSQL and sends the same call to the same world
built on SQLite (a shadow) — generating the data is most of the fuzz's time, so it is done once for both."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.generation.meta import TestPhase
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from linli.core.runtime import Runtime, get_runtime
from tests.api.conftest import Populated, populated
from tests.api.test_auth import ROLES
from tests.client import Client
from tests.conftest import app_on, backend_database, backends, runtime_on, wire
from tests.factories import SAME_ORIGIN, Factory

CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]
# The generated values as they are (None), or an independent choice of real row for each id field: one strategy
# made once, as a new strategy per draw costs Hypothesis more to validate than drawing from it.
PICKS = st.one_of(st.none(), st.tuples(*[st.integers(min_value=0, max_value=5)] * 8))
# the backend the test runs on (and its coverage phase, below), and the ones each call is repeated on
PRIMARY = "postgresql" if "postgresql" in backends() else backends()[0]
SHADOWS = [b for b in backends() if b != PRIMARY]


def headers_of(role: str, w: Populated) -> dict[str, str]:
    return {"operator": w.op, "member": w.member_h, "leader": w.leader_h}[role]


def ids(w: Populated) -> dict[str, Any]:
    return {f.name: getattr(w, f.name) for f in fields(w) if isinstance(getattr(w, f.name), int)}


@pytest.fixture
def fuzz_world(role: str, make: Any) -> tuple[Populated, dict[str, str]]:
    w = populated(make)[0]
    return w, headers_of(role, w)


@dataclass(frozen=True)
class Shadow:
    backend: str
    runtime: Runtime
    app: FastAPI
    headers: dict[str, str]


@pytest.fixture
def shadows(role: str, fuzz_world: tuple[Populated, dict[str, str]],
            tmp_path_factory: pytest.TempPathFactory) -> list[Shadow]:
    """The fuzz world built again on each other backend: the same rows under the same ids."""
    primary, made = get_runtime(), []
    for backend in SHADOWS:
        other = backend_database(backend, tmp_path_factory)
        rt = runtime_on(other, tmp_path_factory.mktemp(backend))
        wire(rt)
        try:
            with Client(app_on(other), headers=SAME_ORIGIN) as c:
                w = populated(Factory(c, other))[0]
        finally:
            wire(primary)
        assert ids(w) == ids(fuzz_world[0])
        made.append(Shadow(backend, rt, app_on(other), headers_of(role, w)))
    return made


@pytest.fixture
def api_schema(client: Any, db: Any, fuzz_world: tuple[Populated, dict[str, str]]) -> Any:
    w, _ = fuzz_world
    schema = schemathesis.openapi.from_asgi("/openapi.json", client.app)
    # The coverage phase (boundary and just-invalid values: two thirds of the calls) runs on PostgreSQL, the
    # stricter backend (column lengths, NUL, integer range); every backend runs the random phase on real rows.
    schema.config.phases.coverage.enabled = db.dialect == "postgresql"
    real: dict[str, list[Any]] = {
        "order_id": [w.order_id, w.pending_order_id, w.picked_order_id], "product_id": [w.product_id],
        "member_id": [w.member_id],
        "community_id": [w.community_id], "flash_sale_id": [w.flash_sale_id], "pickup_point_id": [w.point_id],
        "leader_id": [w.leader_id, w.recruit_leader_id], "category_id": [w.category_id],
        "group_buy_id": [w.group_buy_id],
        "group_id": [w.group_id], "building_id": [w.building_id], "household_id": [w.household_id],
        "bundle_id": [w.bundle_id], "presale_id": [w.presale_id], "referral_id": [w.referral_id],
        "item_id": [w.item_id, w.catalog_item_id],  # an order line (refunds) or a catalogue item (redemptions)
        "coupon_id": [w.coupon_id, w.geo_coupon_id, w.member_coupon_id],  # a template (path) or held (order)
        "coupon_template_id": [w.coupon_id, w.geo_coupon_id], "spot_id": [w.spot_id],
        "catalog_item_id": [w.catalog_item_id],
        "application_id": [w.application_id, w.recruit_application_id], "withdrawal_id": [w.withdrawal_id],
        "task_id": [w.help_task_id], "case_id": [w.case_id], "month": [w.assessed_month],
        "journey_id": [w.journey_id], "leader_task_id": [w.leader_task_id],
        "message_id": [w.inbox_message_id], "delivery_id": [w.delivery_id],
        "campaign_id": [w.scenario_campaign_id, w.pilot_campaign_id], "experiment_id": [w.experiment_id],
        "pilot_id": [w.pilot_id], "segment_id": [w.segment_id, w.audience_segment_id],
        "tag_id": [w.tag_id],
        "id": [w.group_buy_id, w.flash_sale_id, w.presale_id],  # a campaign of ?kind= (predictions)
        "member_ids": [[w.member_id], [w.invitee_member_id, w.member_id]],  # coupon issues
        "merchant_id": [w.merchant_id], "service_id": [w.service_id], "slot_id": [w.slot_id],
        "booking_id": [w.booking_id],  # local services
    }

    def real_ids(values: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
        """Either the generated values, or the same with every known id field pointing at a real row."""
        known = [k for k in values if k in real]
        if not known:
            return st.just(values)

        def swapped(picks: tuple[int, ...] | None) -> dict[str, Any]:
            if picks is None:
                return values
            return {**values, **{k: real[k][picks[i % len(picks)] % len(real[k])] for i, k in enumerate(known)}}

        return PICKS.map(swapped)

    @schema.hook
    def flatmap_path_parameters(ctx: Any, path_parameters: dict[str, Any]) -> Any:
        return real_ids(path_parameters or {})

    @schema.hook
    def flatmap_query(ctx: Any, query: dict[str, Any] | None) -> Any:
        return real_ids(query) if isinstance(query, dict) else st.just(query)

    @schema.hook
    def flatmap_body(ctx: Any, body: Any) -> Any:
        if not isinstance(body, dict):
            return st.just(body)
        if isinstance(body.get("items"), list):  # order lines
            lines = [real_ids(i) if isinstance(i, dict) else st.just(i) for i in body["items"]]
            return real_ids(body).flatmap(lambda b: st.tuples(*lines).map(lambda ls: {**b, "items": list(ls)}))
        return real_ids(body)

    return schema


def may_not_call(role: str) -> Any:
    """The operations a role is stopped from at the role check (test_auth's ROLES), which test_auth proves answers
    403 on every one of them: fuzzing them as that role would only fuzz the check. Public operations are fuzzed as
    the operator."""
    def match(ctx: Any) -> bool:
        allowed = ROLES.get(f"{ctx.operation.method.upper()} {ctx.operation.path}")
        return role != "operator" if allowed is None else role not in allowed
    return match


schema = schemathesis.pytest.from_fixture("api_schema").include(path_regex=r"^/(api/v1/|healthz$|readyz$)")
FUZZ = settings(max_examples=25, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large])


def fuzz_as(role: str) -> Any:
    """The fuzz test for one role, over the operations it may call."""
    @pytest.mark.parametrize("database", [PRIMARY], indirect=True)
    @pytest.mark.parametrize("role", [role])
    @FUZZ
    @schema.exclude(may_not_call(role)).parametrize()
    def test(case: Any, fuzz_world: tuple[Populated, dict[str, str]], shadows: list[Shadow]) -> None:
        _, headers = fuzz_world
        case.call_and_validate(headers=headers, checks=CHECKS)
        if case.meta is not None and case.meta.phase.name == TestPhase.COVERAGE:
            return
        primary = get_runtime()
        for shadow in shadows:
            wire(shadow.runtime)
            try:
                case.call_and_validate(headers=shadow.headers, checks=CHECKS, app=shadow.app)
            except BaseException as exc:
                exc.add_note(f"the same call on {shadow.backend}")
                raise
            finally:
                wire(primary)
    return test


test_operator_calls_conform_to_the_schema = fuzz_as("operator")
test_member_calls_conform_to_the_schema = fuzz_as("member")
test_leader_calls_conform_to_the_schema = fuzz_as("leader")
