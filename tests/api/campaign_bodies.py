"""Bad-input cases of scenario campaigns, A/B experiments and pilots (see bad_bodies.Spec)."""

from __future__ import annotations

from tests.api.bad_bodies import NOWHERE, Spec, changed, without
from tests.api.conftest import Populated, experiment_body, scenario_campaign_body


def campaign_specs(w: Populated) -> list[Spec]:
    body = scenario_campaign_body(w.segment_id, 300)
    arms = experiment_body()
    pilot = {"name": "试点", "experiment_id": w.experiment_id, "community_ids": [w.community_id]}
    return [
        Spec("POST /api/v1/scenario-campaigns", "/scenario-campaigns", "operator", body, [
            ("unknown segment", changed(body, "segment_id", NOWHERE), 422, "unknown_segment"),
            ("string segment", changed(body, "segment_id", "1"), 422, "validation_error"),
            ("ends before it starts", changed(body, "ends_at", body["starts_at"]), 422, "invalid_window"),
            ("a window of a year", changed(body, "ends_at", "2099-01-01T00:00:00+08:00"), 422, "invalid_window"),
            ("overlapping the live one", scenario_campaign_body(w.segment_id, 30), 422, "window_overlaps"),
            ("unknown scenario", changed(body, "scenario", "moon_landing"), 422, "validation_error"),
            ("empty title", changed(body, "title", ""), 422, "validation_error"),
            ("body too long", changed(body, "body", "长" * 1001), 422, "validation_error"),
            ("unknown link kind", {**body, "link": {"kind": "page", "id": 1}}, 422, "validation_error"),
            ("link to nothing", {**body, "link": {"kind": "group_buy", "id": NOWHERE}}, 422, "unknown_link_target"),
            ("unknown coupon", {**body, "coupon_template_id": NOWHERE}, 422, "unknown_coupon_template"),
            ("unknown community", {**body, "community_ids": [NOWHERE]}, 422, "unknown_community"),
        ]),
        Spec("PATCH /api/v1/scenario-campaigns/{campaign_id}", f"/scenario-campaigns/{w.scenario_campaign_id}",
             "operator", {"title": "中秋月饼（改）"}, [
                 ("ends before it starts", {"ends_at": "2000-01-01T00:00:00+08:00"}, 422, "invalid_window"),
                 ("unknown segment", {"segment_id": NOWHERE}, 422, "unknown_segment"),
                 ("unknown scenario", {"scenario": "moon_landing"}, 422, "validation_error"),
                 ("unknown coupon", {"coupon_template_id": NOWHERE}, 422, "unknown_coupon_template"),
             ]),
        Spec("POST /api/v1/experiments", "/experiments", "operator", arms, [
            ("no variants", changed(arms, "variants", []), 422, "experiment_too_few_variants"),
            ("one variant", changed(arms, "variants", arms["variants"][:1]), 422, "experiment_too_few_variants"),
            ("weights not adding up", changed(arms, "variants.1.weight", 40), 422, "experiment_weights_not_100"),
            ("zero weight", changed(arms, "variants.1.weight", 0), 422, "validation_error"),
            ("string weight", changed(arms, "variants.1.weight", "50"), 422, "validation_error"),
            ("same code twice", changed(arms, "variants.1.code", "A"), 422, "experiment_duplicate_variant"),
            ("two controls", changed(arms, "variants.1.is_control", True), 422, "experiment_two_controls"),
            ("eleven variants", changed(arms, "variants", arms["variants"] * 6), 422, "validation_error"),
            ("unknown campaign", {**arms, "campaign_id": NOWHERE}, 422, "unknown_campaign"),
            ("zero conversion days", changed(arms, "conversion_days", 0), 422, "validation_error"),
            ("variant without a name", {**arms, "variants": [without(arms["variants"][0], "name"),
                                                              arms["variants"][1]]}, 422, "validation_error"),
        ]),
        Spec("POST /api/v1/experiments/{experiment_id}/exposures", f"/experiments/{w.experiment_id}/exposures",
             "operator", {"member_id": w.member_id}, [
                 ("unknown member", {"member_id": NOWHERE}, 422, "unknown_member"),
                 ("string member", {"member_id": "1"}, 422, "validation_error"),
             ], ok=(201, 409)),  # a draft experiment exposes nobody: the body got through
        Spec("POST /api/v1/pilots", "/pilots", "operator", pilot, [
            ("no subject", without(pilot, "experiment_id"), 422, "pilot_subject_required"),
            ("two subjects", {**pilot, "campaign_id": w.pilot_campaign_id}, 422, "pilot_subject_required"),
            ("no communities", changed(pilot, "community_ids", []), 422, "pilot_no_communities"),
            ("six communities", changed(pilot, "community_ids", [w.community_id] * 6), 422, "validation_error"),
            ("unknown community", changed(pilot, "community_ids", [NOWHERE]), 422, "unknown_community"),
            ("unknown experiment", changed(pilot, "experiment_id", NOWHERE), 422, "unknown_experiment"),
            ("unknown campaign", {**without(pilot, "experiment_id"), "campaign_id": NOWHERE}, 422,
             "unknown_campaign"),
            ("ends before it starts", {**pilot, "starts_at": "2030-01-02T00:00:00+08:00",
                                       "ends_at": "2030-01-01T00:00:00+08:00"}, 422, "invalid_window"),
        ]),
        Spec("POST /api/v1/pilots/{pilot_id}/reviewed", f"/pilots/{w.pilot_id}/reviewed", "operator",
             {"note": "参与率提升"}, [
                 ("note too long", {"note": "长" * 501}, 422, "validation_error"),
                 ("number note", {"note": 5}, 422, "validation_error"),
             ], ok=(200, 409)),
        Spec("POST /api/v1/pilots/{pilot_id}/roll-out", f"/pilots/{w.pilot_id}/roll-out", "operator",
             {"community_ids": None}, [
                 ("unknown community", {"community_ids": [NOWHERE]}, 422, "unknown_community"),
                 ("string communities", {"community_ids": "all"}, 422, "validation_error"),
             ], ok=(200, 409)),  # not reviewed yet: the body got through
    ]
