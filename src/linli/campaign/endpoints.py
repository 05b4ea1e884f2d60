from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse

from linli.campaign import experiments, pilots, service
from linli.campaign.schemas import (
    AssignmentOut,
    CalendarOut,
    CampaignIn,
    CampaignOut,
    CampaignPatch,
    CampaignStatus,
    ExperimentIn,
    ExperimentOut,
    ExperimentStatus,
    ExposureIn,
    PilotIn,
    PilotOut,
    PilotReviewOut,
    PilotStatus,
    ResultsOut,
    ReviewIn,
    RolloutIn,
)
from linli.core.http import Db, IdemKey, Operator, idempotent
from linli.core.pagination import Page
from linli.core.schemas import Id, Limit, MonthQuery

router = APIRouter(tags=["scenario campaigns"])
Cursor = Annotated[str | None, Query(max_length=20)]


# --- scenario campaigns (场景活动) -------------------------------------------------------------

@router.post("/scenario-campaigns", status_code=201, response_model=CampaignOut)
def create_campaign(data: CampaignIn, p: Operator, s: Db, request: Request, key: IdemKey = None) -> JSONResponse:
    return idempotent(s, p, request, key, data, 201, lambda: service.create(s, p, data))


@router.get("/scenario-campaigns", response_model=Page[CampaignOut])
def list_campaigns(p: Operator, s: Db, status: CampaignStatus | None = None, limit: Limit = 50,
                   cursor: Cursor = None) -> Page[CampaignOut]:
    items, nxt = service.search(s, p, status, limit, cursor)
    return Page[CampaignOut](items=items, next_cursor=nxt)


@router.get("/scenario-campaigns/calendar", response_model=CalendarOut)
def campaign_calendar(p: Operator, s: Db, month: MonthQuery) -> CalendarOut:
    return service.calendar(s, p, month)


@router.get("/scenario-campaigns/{campaign_id}", response_model=CampaignOut)
def get_campaign(campaign_id: Id, p: Operator, s: Db) -> CampaignOut:
    return service.get(s, p, campaign_id)


@router.patch("/scenario-campaigns/{campaign_id}", response_model=CampaignOut)
def patch_campaign(campaign_id: Id, data: CampaignPatch, p: Operator, s: Db) -> CampaignOut:
    return service.update(s, p, campaign_id, data)


@router.post("/scenario-campaigns/{campaign_id}/launch", response_model=CampaignOut)
def launch_campaign(campaign_id: Id, p: Operator, s: Db, request: Request, key: IdemKey = None) -> JSONResponse:
    return idempotent(s, p, request, key, None, 200, lambda: service.launch(s, p, campaign_id))


@router.post("/scenario-campaigns/{campaign_id}/cancel", response_model=CampaignOut)
def cancel_campaign(campaign_id: Id, p: Operator, s: Db) -> CampaignOut:
    return service.cancel(s, p, campaign_id)


# --- A/B experiments --------------------------------------------------------------------------

@router.post("/experiments", status_code=201, response_model=ExperimentOut)
def create_experiment(data: ExperimentIn, p: Operator, s: Db, request: Request,
                      key: IdemKey = None) -> JSONResponse:
    return idempotent(s, p, request, key, data, 201, lambda: experiments.create(s, p, data))


@router.get("/experiments", response_model=Page[ExperimentOut])
def list_experiments(p: Operator, s: Db, status: ExperimentStatus | None = None, limit: Limit = 50,
                     cursor: Cursor = None) -> Page[ExperimentOut]:
    items, nxt = experiments.search(s, p, status, limit, cursor)
    return Page[ExperimentOut](items=items, next_cursor=nxt)


@router.get("/experiments/{experiment_id}", response_model=ExperimentOut)
def get_experiment(experiment_id: Id, p: Operator, s: Db) -> ExperimentOut:
    return experiments.get(s, p, experiment_id)


@router.post("/experiments/{experiment_id}/start", response_model=ExperimentOut)
def start_experiment(experiment_id: Id, p: Operator, s: Db) -> ExperimentOut:
    return experiments.start(s, p, experiment_id)


@router.post("/experiments/{experiment_id}/stop", response_model=ExperimentOut)
def stop_experiment(experiment_id: Id, p: Operator, s: Db) -> ExperimentOut:
    return experiments.stop(s, p, experiment_id)


@router.get("/experiments/{experiment_id}/assignments/{member_id}", response_model=AssignmentOut)
def experiment_assignment(experiment_id: Id, member_id: Id, p: Operator, s: Db) -> AssignmentOut:
    return experiments.assignment(s, p, experiment_id, member_id)


@router.post("/experiments/{experiment_id}/exposures", status_code=201, response_model=AssignmentOut)
def expose_member(experiment_id: Id, data: ExposureIn, p: Operator, s: Db) -> AssignmentOut:
    return experiments.expose(s, p, experiment_id, data.member_id)


@router.get("/experiments/{experiment_id}/results", response_model=ResultsOut)
def experiment_results(experiment_id: Id, p: Operator, s: Db) -> ResultsOut:
    return experiments.results(s, p, experiment_id)


# --- pilots (试点-复盘-推广) ---------------------------------------------------------------------

@router.post("/pilots", status_code=201, response_model=PilotOut)
def create_pilot(data: PilotIn, p: Operator, s: Db, request: Request, key: IdemKey = None) -> JSONResponse:
    return idempotent(s, p, request, key, data, 201, lambda: pilots.create(s, p, data))


@router.get("/pilots", response_model=Page[PilotOut])
def list_pilots(p: Operator, s: Db, status: PilotStatus | None = None, limit: Limit = 50,
                cursor: Cursor = None) -> Page[PilotOut]:
    items, nxt = pilots.search(s, p, status, limit, cursor)
    return Page[PilotOut](items=items, next_cursor=nxt)


@router.get("/pilots/{pilot_id}", response_model=PilotOut)
def get_pilot(pilot_id: Id, p: Operator, s: Db) -> PilotOut:
    return pilots.get(s, p, pilot_id)


@router.get("/pilots/{pilot_id}/review", response_model=PilotReviewOut)
def pilot_review(pilot_id: Id, p: Operator, s: Db) -> PilotReviewOut:
    return pilots.review(s, p, pilot_id)


@router.post("/pilots/{pilot_id}/reviewed", response_model=PilotOut)
def review_pilot(pilot_id: Id, p: Operator, s: Db, data: ReviewIn | None = None) -> PilotOut:
    return pilots.mark_reviewed(s, p, pilot_id, data or ReviewIn())


@router.post("/pilots/{pilot_id}/roll-out", response_model=PilotOut)
def roll_out_pilot(pilot_id: Id, p: Operator, s: Db, data: RolloutIn | None = None) -> PilotOut:
    return pilots.roll_out(s, p, pilot_id, data or RolloutIn())


@router.post("/pilots/{pilot_id}/abandon", response_model=PilotOut)
def abandon_pilot(pilot_id: Id, p: Operator, s: Db) -> PilotOut:
    return pilots.abandon(s, p, pilot_id)
