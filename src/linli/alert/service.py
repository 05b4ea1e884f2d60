"""The alert centre: thresholds per tenant, evaluation of every metric (raising each breach once per metric,
scope and window, auto-resolving alerts whose metric is back to normal) and the open -> acknowledged ->
resolved workflow."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from linli.alert import repository as repo
from linli.alert.catalogue import METRICS
from linli.alert.registry import Context, Limits, Metric, Reading, window_for
from linli.alert.schemas import ActionIn, AlertOut, MetricOut, SummaryOut, ThresholdIn, ThresholdOut
from linli.core import clock
from linli.core.errors import Conflict, Invalid, NotFound
from linli.core.listing import Numbered, numbered
from linli.core.pagination import fetch_page
from linli.core.security import Principal
from linli.models import Alert, AlertThreshold

AUTO_NOTE = "指标已恢复正常,系统自动解决"


def metrics() -> list[MetricOut]:
    return [MetricOut(key=m.key, label=m.label, scope=m.scope, window=m.window, unit=m.unit,
                      comparator=m.comparator, hint=m.hint, default_threshold=m.threshold,
                      default_min_base=m.min_base, max_threshold=m.max_threshold) for m in METRICS.values()]


def _metric(key: str) -> Metric:
    found = METRICS.get(key)
    if found is None:
        raise NotFound("no such metric", code="metric_not_found")
    return found


def limits(s: Session, tenant_id: int) -> dict[str, tuple[Limits, bool, bool]]:
    """metric -> (limits, enabled, is_default)."""
    own = repo.thresholds(s, tenant_id)
    out = {}
    for key, m in METRICS.items():
        t = own.get(key)
        out[key] = ((Limits(m.threshold, m.min_base), True, True) if t is None
                    else (Limits(t.threshold, t.min_base), t.enabled, False))
    return out


def thresholds(s: Session, tenant_id: int) -> list[ThresholdOut]:
    out = []
    for key, (lim, enabled, default) in limits(s, tenant_id).items():
        m = METRICS[key]
        out.append(ThresholdOut(metric=key, label=m.label, unit=m.unit, comparator=m.comparator,
                                threshold=lim.threshold, min_base=lim.min_base, enabled=enabled, is_default=default))
    return out


def set_threshold(s: Session, p: Principal, metric: str, data: ThresholdIn) -> ThresholdOut:
    m = _metric(metric)
    if data.threshold > m.max_threshold:
        raise Invalid(f"threshold must be at most {m.max_threshold:g}", code="invalid_threshold")
    row = repo.threshold(s, p.tenant_id, metric)
    if row is None:
        row = AlertThreshold(tenant_id=p.tenant_id, metric=metric)
        s.add(row)
    row.threshold, row.min_base, row.enabled = data.threshold, data.min_base, data.enabled
    row.updated_by, row.updated_at = p.user_id, clock.now()
    s.flush()
    return ThresholdOut(metric=metric, label=m.label, unit=m.unit, comparator=m.comparator, threshold=row.threshold,
                        min_base=row.min_base, enabled=row.enabled, is_default=False)


def evaluate(s: Session, tenant_id: int, at: datetime) -> int:
    """Every enabled metric as of `at`; returns the alerts raised. Safe to repeat and to run concurrently."""
    ctx = Context()
    raised = 0
    for key, (lim, enabled, _) in limits(s, tenant_id).items():
        if enabled:
            raised += evaluate_metric(s, tenant_id, METRICS[key], lim, at, ctx)
    return raised


def evaluate_metric(s: Session, tenant_id: int, m: Metric, lim: Limits, at: datetime, ctx: Context) -> int:
    w = window_for(m.window, at)
    readings = m.compute(s, tenant_id, w, ctx, lim)
    breaches: dict[tuple[str, int], Reading] = {(r.scope_kind, r.scope_id): r for r in readings
                                                if r.base >= lim.min_base and m.breached(r.value, lim)}
    live = {(a.scope_kind, a.scope_id): a for a in repo.live_of_metric(s, tenant_id, m.key)}
    now = clock.now()
    raised = 0
    for scope, r in breaches.items():
        earlier = live.get(scope)
        if earlier is not None:  # still abnormal: the open alert absorbs the later window
            earlier.last_value, earlier.last_seen_at = r.value, now
            continue
        if repo.insert_alert(s, _values(tenant_id, m, r, lim, w.start, w.end, now)) is not None:
            raised += 1
    for key, a in live.items():
        if key not in breaches:
            a.status, a.resolved_at, a.resolved_by, a.note = "resolved", now, None, AUTO_NOTE
    s.flush()
    return raised


def _values(tenant_id: int, m: Metric, r: Reading, lim: Limits, start: datetime, end: datetime,
            now: datetime) -> dict[str, object]:
    return dict(tenant_id=tenant_id, metric=m.key, scope_kind=r.scope_kind, scope_id=r.scope_id,
                scope_name=r.scope_name[:100], community_id=r.community_id, window_start=start, window_end=end,
                value=r.value, threshold=lim.threshold, base=r.base, detail=r.detail, status="open",
                raised_at=now, last_value=r.value, last_seen_at=now, note="")


def claim_run(s: Session, tenant_id: int, at: datetime) -> bool:
    """True for the first run of the tenant's hour (the scheduler ticks far more often than that)."""
    slot = clock.as_utc(at).replace(minute=0, second=0, microsecond=0)
    return repo.claim_run(s, tenant_id, slot, clock.now())


def out(a: Alert) -> AlertOut:
    m = METRICS.get(a.metric)
    return AlertOut(
        id=a.id, metric=a.metric, label=m.label if m else a.metric, unit=m.unit if m else "",
        comparator=m.comparator if m else ">", scope_kind=a.scope_kind, scope_id=a.scope_id, scope_name=a.scope_name,
        community_id=a.community_id, window_start=a.window_start, window_end=a.window_end, value=a.value,
        threshold=a.threshold, base=a.base, last_value=a.last_value, detail=a.detail or {}, status=a.status,  # type: ignore[arg-type]
        raised_at=a.raised_at, last_seen_at=a.last_seen_at, acknowledged_at=a.acknowledged_at,
        acknowledged_by=a.acknowledged_by, resolved_at=a.resolved_at, resolved_by=a.resolved_by, note=a.note)


def search(s: Session, p: Principal, status: str | None, metric: str | None, community_id: int | None,
           limit: int, cursor: str | None) -> tuple[list[AlertOut], str | None]:
    rows, nxt = fetch_page(s, repo.search(p.tenant_id, status, metric, community_id), Alert.id, limit, cursor)
    return [out(a) for a in rows], nxt


def require(s: Session, tenant_id: int, alert_id: int, lock: bool = False) -> Alert:
    a = repo.get(s, tenant_id, alert_id, lock)
    if a is None:
        raise NotFound("alert not found", code="alert_not_found")
    return a


def get(s: Session, p: Principal, alert_id: int) -> AlertOut:
    return out(require(s, p.tenant_id, alert_id))


def acknowledge(s: Session, p: Principal, alert_id: int, data: ActionIn) -> AlertOut:
    a = require(s, p.tenant_id, alert_id, lock=True)
    if a.status != "open":
        raise Conflict("only an open alert can be acknowledged", code="alert_not_open")
    a.status, a.acknowledged_at, a.acknowledged_by = "acknowledged", clock.now(), p.user_id
    if data.note:
        a.note = data.note
    s.flush()
    return out(a)


def resolve(s: Session, p: Principal, alert_id: int, data: ActionIn) -> AlertOut:
    a = require(s, p.tenant_id, alert_id, lock=True)
    if a.status == "resolved":
        raise Conflict("the alert is resolved already", code="alert_resolved")
    now = clock.now()
    if a.acknowledged_at is None:
        a.acknowledged_at, a.acknowledged_by = now, p.user_id
    a.status, a.resolved_at, a.resolved_by = "resolved", now, p.user_id
    if data.note:
        a.note = data.note
    s.flush()
    return out(a)


def summary(s: Session, tenant_id: int) -> SummaryOut:
    c = repo.counts_by_status(s, tenant_id)
    return SummaryOut(open=c.get("open", 0), acknowledged=c.get("acknowledged", 0), resolved=c.get("resolved", 0))


def open_count(s: Session, tenant_id: int) -> int:
    """Alerts still to handle (open or acknowledged): the console home's badge."""
    c = repo.counts_by_status(s, tenant_id)
    return c.get("open", 0) + c.get("acknowledged", 0)


def brief(s: Session, tenant_id: int, alert_id: int) -> AlertOut:
    """One alert for another domain (a crisis case opened from it); 404 alert_not_found."""
    return out(require(s, tenant_id, alert_id))


def page(s: Session, p: Principal, status: str | None, metric: str | None, community_id: int | None, number: int,
         size: int) -> Numbered[AlertOut]:
    """The alert centre's numbered page, newest first."""
    return numbered(s, repo.search(p.tenant_id, status, metric, community_id), Alert.id, number, size,
                    lambda rows: [out(a) for a in rows])
