"""GET /predictions/participation: a campaign's likely participants for the operator, and bad input."""

from __future__ import annotations

from typing import Any

from click.testing import CliRunner

from linli.cli import main
from linli.core import clock
from tests.prediction.world import build

API = "/api/v1/predictions/participation"


def test_likely_participants_of_a_campaign(client: Any, make: Any) -> None:
    kit = make.tenant()
    w = build(kit, n_members=60, n_campaigns=6, seed=11)
    kind, campaign_id, begins = w.campaigns[-1]
    with clock.frozen_at(w.end):
        r = client.get(API, params={"kind": kind, "id": campaign_id, "limit": 10}, headers=kit.op)
        again = client.get(API, params={"kind": kind, "id": campaign_id, "limit": 10}, headers=kit.op)
        everyone = client.get(API, params={"kind": kind, "id": campaign_id, "limit": 200}, headers=kit.op).json()
    assert r.status_code == 200, r.text
    body = r.json()
    assert body == again.json()
    assert body["campaign"]["kind"] == kind and body["campaign"]["id"] == campaign_id
    assert body["method"] == "model" and body["trained_campaigns"] == 5 and body["candidates"] == 60
    assert body["trained_rows"] == 5 * 60 and body["trained_joiners"] >= 20
    probabilities = [i["probability"] for i in body["items"]]
    assert len(probabilities) == 10 and probabilities == sorted(probabilities, reverse=True)
    assert all(0 <= x <= 1 for x in probabilities)
    assert {i["member_id"] for i in everyone["items"]} == {p.member_id for p in w.members}
    # the hunters of the campaign's category are ranked above the others, on the whole
    category = ("水果", "乳品", "粮油")[(len(w.campaigns) - 1) % 3]
    likely = {m for m, fav in w.favourite.items() if fav == category and w.hunter[m]}
    ranks = {i["member_id"]: n for n, i in enumerate(everyone["items"])}
    assert likely and sum(ranks[m] for m in likely) / len(likely) < len(ranks) / 2
    assert any(i["joined"] for i in everyone["items"])

    with clock.frozen_at(w.end):
        out = CliRunner().invoke(main, ["predict", "score", "--tenant", kit.slug, "--campaign",
                                        f"{kind}:{campaign_id}", "--limit", "5"])
    assert out.exit_code == 0, out.output
    assert str(body["items"][0]["member_id"]) in out.output.splitlines()[2]


def test_without_earlier_campaigns_it_ranks_by_recency(client: Any, make: Any) -> None:
    kit = make.tenant()
    w = build(kit, n_members=8, n_campaigns=1, seed=2)
    kind, campaign_id, _ = w.campaigns[0]
    with clock.frozen_at(w.end):
        body = kit.client.get(API, params={"kind": kind, "id": campaign_id}, headers=kit.op).json()
    assert body["method"] == "recency" and body["trained_rows"] == body["trained_joiners"] == 0
    assert all(i["probability"] is None for i in body["items"])
    days = [i["days_since_last_order"] for i in body["items"] if i["days_since_last_order"] is not None]
    assert days == sorted(days)


def test_bad_input(client: Any, make: Any) -> None:
    kit = make.tenant()
    w = build(kit, n_members=4, n_campaigns=2, seed=1)
    kind, campaign_id, _ = w.campaigns[0]  # a flash sale
    member = kit.token("member", w.members[0].user_id, member_id=w.members[0].member_id)
    for params, status, code in [
            ({"kind": "group_buy", "id": 10**9}, 404, "campaign_not_found"),
            ({"kind": "presale", "id": campaign_id}, 404, "campaign_not_found"),  # no presale has that id
            ({"kind": "lottery", "id": campaign_id}, 422, "validation_error"),
            ({"kind": kind}, 422, "validation_error"),
            ({"kind": kind, "id": campaign_id, "limit": 201}, 422, "validation_error")]:
        r = client.get(API, params=params, headers=kit.op)
        assert r.status_code == status and r.json()["error"]["code"] == code, (params, r.text)
    r = client.get(API, params={"kind": kind, "id": campaign_id}, headers=member)
    assert r.status_code == 403
    out = CliRunner().invoke(main, ["predict", "score", "--tenant", kit.slug, "--campaign", "group_buy:999999"])
    assert out.exit_code != 0 and "campaign_not_found" in out.output
    out = CliRunner().invoke(main, ["predict", "backtest", "--tenant", "no-such-tenant"])
    assert out.exit_code != 0 and "no tenant" in out.output
