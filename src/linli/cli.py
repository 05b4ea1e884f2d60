"""The `linli` command."""

from __future__ import annotations

import os
import signal
import sys
import time
from datetime import datetime
from typing import TYPE_CHECKING

import click

from linli.core import clock

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


@click.group()
def main() -> None:
    """linli 邻里 — community group-buying platform."""


@main.command()
def migrate() -> None:
    """Bring the database (LINLI_DATABASE_URL, default the SQLite file) to the newest schema."""
    from linli.core.migrate import upgrade
    from linli.core.runtime import get_runtime

    upgrade(get_runtime().settings.database_url)
    click.echo("database is at the newest schema")


@main.command("create-tenant")
@click.option("--slug", required=True)
@click.option("--name", required=True)
@click.option("--admin-username", required=True)
@click.option("--admin-password", required=True)
def create_tenant(slug: str, name: str, admin_username: str, admin_password: str) -> None:
    """A new tenant with one operator."""
    from linli.core.errors import LinliError
    from linli.core.runtime import get_runtime
    from linli.tenancy import service

    try:
        with get_runtime().db.unit_of_work() as s:
            tenant = service.create_tenant(s, slug, name, admin_username, admin_password)
    except LinliError as exc:
        raise click.ClickException(f"{exc.code}: {exc.message}") from exc
    click.echo(f"tenant {tenant.slug} (id {tenant.id}) created; operator {admin_username}")


@main.command()
@click.option("--slug", default="demo", show_default=True)
@click.option("--seed", default=20261123, show_default=True)
def demo(slug: str, seed: int) -> None:
    """Load the deterministic demo tenant."""
    from linli.core.runtime import get_runtime
    from linli.demo.loader import load

    load(get_runtime().db, slug=slug, seed=seed)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=int, default=lambda: int(os.environ.get("PORT", "8000")), show_default="$PORT or 8000")
@click.option("--workers", default=1, show_default=True, help="processes (granian only)")
@click.option("--server", type=click.Choice(["auto", "uvicorn", "granian"]), default="auto",
              show_default=True, help="auto: granian when installed and workers > 1, else uvicorn")
def serve(host: str, port: int, workers: int, server: str) -> None:
    """Serve the API and the pages."""
    use_granian = server == "granian" or (server == "auto" and workers > 1 and _has("granian"))
    if use_granian:
        from granian import Granian
        from granian.constants import Interfaces

        Granian("linli.app:asgi", address=host, port=port, interface=Interfaces.ASGI, workers=workers,
                factory=True).serve()
        return
    import uvicorn

    uvicorn.run("linli.app:asgi", host=host, port=port, factory=True, log_config=None,
                access_log=False)


@main.command()
@click.option("--batch", default=100, show_default=True)
@click.option("--idle", default=0.5, show_default=True, help="seconds to wait when there is nothing to do")
@click.option("--registry", "registry_path", default="linli.events:build_registry", show_default=True,
              help="module:function building the handler registry (tests and benchmarks name their own)")
def worker(batch: int, idle: float, registry_path: str) -> None:
    """Deliver outbox events (any number of these may run at once, on any number of machines): through the
    broker when LINLI_BROKER_URL is set, else by polling the database."""
    import importlib

    import linli.models  # noqa: F401  (every table: a registry of a few handlers imports too few for the ORM)
    from linli.core.observability import configure_logging
    from linli.core.outbox import dispatch_batch
    from linli.core.runtime import get_runtime

    rt = get_runtime()
    configure_logging(rt.settings.log_level, rt.settings.log_json)
    module, _, func = registry_path.partition(":")
    registry = getattr(importlib.import_module(module), func or "build_registry")()
    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(1))
    if rt.settings.broker_url:
        from linli.core.broker.relay import run_worker

        click.echo(f"worker started (broker {rt.settings.broker_url.split('://')[0]}, "
                   f"queue {rt.settings.broker_queue})", err=True)
        run_worker(rt.db, registry, rt.settings, lambda: bool(stopping), idle, batch)
        return
    click.echo("worker started", err=True)
    while not stopping:
        if dispatch_batch(rt.db, registry, limit=batch) == 0:
            time.sleep(idle)


@main.command("run-due")
@click.option("--at", "at", default=None, help="ISO 8601 instant (default: now); naive means Asia/Shanghai")
def run_due_cmd(at: str | None) -> None:
    """Run all work that is due as of an instant."""
    from linli.core.jobs import run_due
    from linli.core.runtime import get_runtime
    from linli.events import build_registry
    from linli.schedule import DUE_JOBS

    instant = None
    if at:
        try:
            instant = clock.as_utc(datetime.fromisoformat(at))
        except ValueError as exc:
            raise click.BadParameter(f"not an ISO 8601 time: {at}") from exc
    done = run_due(get_runtime().db, DUE_JOBS, build_registry(), instant)
    for name, count in done.items():
        click.echo(f"{name}: {count}")


@main.group()
def predict() -> None:
    """Participation prediction: backtest the model, rank a campaign's likely participants."""


def _tenant_id(s: Session, slug: str) -> int:
    from linli.tenancy import service as tenancy

    tenant = tenancy.tenant_by_slug(s, slug)
    if tenant is None:
        raise click.ClickException(f"no tenant {slug}")
    return tenant.id


@predict.command("backtest")
@click.option("--tenant", default="demo", show_default=True, help="tenant slug")
@click.option("--seed", default=0, show_default=True)
@click.option("--test-share", default=0.3, show_default=True, help="share of the latest campaigns held out")
def predict_backtest(tenant: str, seed: int, test_share: float) -> None:
    """Train on earlier campaigns, test on later ones: the model against the recency baseline, per kind."""
    from linli.core.runtime import get_runtime
    from linli.prediction import service
    from linli.prediction.report import backtest_table

    with get_runtime().db.unit_of_work() as s:
        result = service.backtest(s, _tenant_id(s, tenant), seed, test_share)
    click.echo(backtest_table(result, tenant))


@predict.command("score")
@click.option("--tenant", default="demo", show_default=True, help="tenant slug")
@click.option("--campaign", required=True, help="kind:id, e.g. group_buy:3 (group_buy, flash_sale, presale)")
@click.option("--limit", default=20, show_default=True)
def predict_score(tenant: str, campaign: str, limit: int) -> None:
    """The members most likely to join a campaign, for targeting."""
    from linli.core.errors import LinliError
    from linli.core.runtime import get_runtime
    from linli.core.security import Principal
    from linli.prediction import service
    from linli.prediction.report import participants_table

    kind, _, raw = campaign.partition(":")
    if kind not in ("group_buy", "flash_sale", "presale") or not raw.isdigit():
        raise click.BadParameter("expected kind:id with kind group_buy, flash_sale or presale", param_hint="--campaign")
    try:
        with get_runtime().db.unit_of_work() as s:
            p = Principal(0, _tenant_id(s, tenant), tenant, "operator")
            out = service.likely_participants(s, p, kind, int(raw), limit)
    except LinliError as exc:
        raise click.ClickException(f"{exc.code}: {exc.message}") from exc
    click.echo(participants_table(out))


@main.group()
def audience() -> None:
    """Tags, segments and RFM: the bulk job."""


@audience.command("refresh")
@click.option("--tenant", default=None, help="tenant slug (default: every tenant with tags)")
@click.option("--at", "at", default=None, help="ISO 8601 instant (default: now); naive means Asia/Shanghai")
def audience_refresh(tenant: str | None, at: str | None) -> None:
    """Compute every member's features, tags, segments and RFM now and write the differences."""
    from linli.audience import service
    from linli.core.outbox import drain
    from linli.core.runtime import get_runtime
    from linli.events import build_registry

    try:
        instant = clock.as_utc(datetime.fromisoformat(at)) if at else clock.now()
    except ValueError as exc:
        raise click.BadParameter(f"not an ISO 8601 time: {at}") from exc
    db = get_runtime().db
    with db.unit_of_work() as s:
        everyone = service.tenants_due(s, instant)  # last run before now: every tenant with tags
        tenants = [(_tenant_id(s, tenant), tenant)] if tenant else [(t, f"tenant {t}") for t in everyone]
    for tenant_id, name in tenants:
        with clock.frozen_at(instant), db.unit_of_work() as s:
            run = service.refresh(s, tenant_id, instant)
        click.echo(f"{name}: {run.members} members, {run.tags} tags, +{run.tags_added} -{run.tags_removed} tag rows, "
                   f"segments +{run.segments_entered} -{run.segments_left}, {run.seconds:.2f}s")
    drain(db, build_registry())  # segment.entered / segment.left reach their subscribers


@main.group()
def recommend() -> None:
    """Recommendations: the offline evaluation, the purchase backfill."""


@recommend.command("evaluate")
@click.option("--tenant", default="demo", show_default=True, help="tenant slug")
@click.option("--at", "at", default=None, help="cut-off, ISO 8601 (default: --days before now); naive = Asia/Shanghai")
@click.option("--k", default=10, show_default=True, help="list length")
@click.option("--days", default=7, show_default=True, help="test window after the cut-off")
def recommend_evaluate(tenant: str, at: str | None, k: int, days: int) -> None:
    """Train before the cut-off, test on the next days' purchases: the model against popularity."""
    from linli.core.errors import LinliError
    from linli.core.runtime import get_runtime
    from linli.recommend import service
    from linli.recommend.evaluate import table

    try:
        cut = clock.as_utc(datetime.fromisoformat(at)) if at else None
    except ValueError as exc:
        raise click.BadParameter(f"not an ISO 8601 time: {at}") from exc
    try:
        with get_runtime().db.unit_of_work() as s:
            result = service.evaluate(s, _tenant_id(s, tenant), cut, k, days)
    except LinliError as exc:
        raise click.ClickException(f"{exc.code}: {exc.message}") from exc
    click.echo(table(result, tenant))


@recommend.command("backfill")
@click.option("--tenant", default="demo", show_default=True, help="tenant slug")
def recommend_backfill(tenant: str) -> None:
    """Purchase events for paid orders recorded before recommendations existed (safe to repeat)."""
    from linli.core.runtime import get_runtime
    from linli.recommend import service

    with get_runtime().db.unit_of_work() as s:
        added = service.backfill_purchases(s, _tenant_id(s, tenant))
    click.echo(f"{added} purchase events added")


def _has(module: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(module) is not None


if __name__ == "__main__":
    sys.exit(main())
