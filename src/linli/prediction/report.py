"""The backtest and a campaign's likely participants as plain-text tables (the `linli predict` commands)."""

from __future__ import annotations

from datetime import UTC, datetime

from linli.core import clock
from linli.prediction.backtest import Result
from linli.prediction.model import TOP_SHARE, Scores
from linli.prediction.schemas import ParticipationOut

_HEAD = ("kind", "scorer", "campaigns", "members", "joined", "base rate", "ROC AUC", "avg precision",
         f"precision@{TOP_SHARE:.0%}", f"lift@{TOP_SHARE:.0%}")


def backtest_table(r: Result, tenant: str) -> str:
    lines = [f"participation backtest, tenant {tenant}"]
    if r.cut is not None:
        lines.append(f"train: {r.train_campaigns} campaigns started before "
                     f"{clock.local(datetime.fromtimestamp(r.cut, UTC)):%Y-%m-%d %H:%M} (Asia/Shanghai), "
                     f"{r.train_rows} member-campaign rows, {r.train_positives} joined; "
                     f"test: the {r.test_campaigns} later campaigns, each scored as of its own start")
    if r.note:
        lines.append(f"nothing measured: {r.note}")
        return "\n".join(lines)
    rows = [_HEAD]
    for k in r.kinds:
        for name, sc in (("model", k.model), ("recency", k.recency)):
            rows.append((k.kind, name, str(sc.campaigns), str(sc.rows), str(sc.positives), _rate(sc),
                         _f(sc.roc_auc), _f(sc.average_precision), _f(sc.precision_at_top), _f(sc.lift_at_top, 2)))
    widths = [max(len(row[i]) for row in rows) for i in range(len(_HEAD))]
    lines += ["  ".join(cell.ljust(w) if i < 2 else cell.rjust(w) for i, (cell, w) in enumerate(zip(row, widths,
                                                                                                       strict=True)))
              for row in rows]
    lines.append("recency: score = -(days since the member's last paid order); lift = precision@top / base rate")
    return "\n".join(lines)


def participants_table(out: ParticipationOut) -> str:
    c = out.campaign
    lines = [f"{c.kind}:{c.id} from {clock.local(c.starts_at):%Y-%m-%d %H:%M}: {out.candidates} candidates, "
             f"ranked by {out.method} (earlier campaigns: {out.trained_campaigns}, {out.trained_rows} rows, "
             f"{out.trained_joiners} joined)",
             f"{'member':>8}  {'probability':>11}  {'days since order':>16}  joined  name"]
    for it in out.items:
        prob = "-" if it.probability is None else f"{it.probability:.3f}"
        days = "-" if it.days_since_last_order is None else f"{it.days_since_last_order:.1f}"
        lines.append(f"{it.member_id:>8}  {prob:>11}  {days:>16}  {'yes' if it.joined else 'no':>6}  {it.name}")
    return "\n".join(lines)


def _f(x: float | None, digits: int = 3) -> str:
    return "-" if x is None else f"{x:.{digits}f}"


def _rate(sc: Scores) -> str:
    return "-" if not sc.rows else f"{sc.positives / sc.rows:.3f}"
