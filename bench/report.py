"""The results table and bench/results/latest.json."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

RESULTS_DIR = Path(__file__).resolve().parent / "results"
HEADER = (f"{'backend':<11} {'target':<20} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}  "
          "ratio to healthz")


def _num(v: float | None, fmt: str) -> str:
    return "-" if v is None else format(v, fmt)


def row_line(row: dict[str, Any]) -> str:
    ratio = row.get("ratio_to_healthz")
    extra = ""
    if row.get("statuses") and set(row["statuses"]) - {"200", "201"}:
        extra = "  statuses " + " ".join(f"{k}:{v}" for k, v in row["statuses"].items())
    if any(row.get("socket_errors", {}).values()):
        extra += "  socket " + " ".join(f"{k}:{v}" for k, v in row["socket_errors"].items() if v)
    return (f"{row['backend']:<11} {row['target']:<20} {row['rps']:>9.1f} {_num(row['p50_ms'], '.1f'):>8} "
            f"{_num(row['p99_ms'], '.1f'):>8} {row['errors']:>7}  "
            f"{'-' if ratio is None else f'{ratio:.2f}x'}{extra}")


def table(rows: list[dict[str, Any]]) -> str:
    return "\n".join([HEADER, *(row_line(r) for r in rows)])


def write_json(meta: dict[str, Any], rows: list[dict[str, Any]], skipped: dict[str, str]) -> Path:
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path = RESULTS_DIR / "latest.json"
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps({"meta": meta, "results": rows, "skipped": skipped}, indent=2,
                              ensure_ascii=False) + "\n")
    tmp.replace(path)
    return path
