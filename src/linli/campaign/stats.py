"""A/B arithmetic: stable assignment by hash, and the tests that say whether a difference is real.

Assignment: the first 8 bytes of SHA-256(salt ":" member id) as a number in [0, 1), placed on the arms'
cumulative weights. Same salt and member -> same arm, on every process and after every restart; a new
experiment has a new salt, so members are re-shuffled independently of earlier tests.

Significance: each treatment against the control with the two-proportion z-test (pooled standard error
for the test, unpooled for the 95 % interval of the difference), at alpha = 0.05 split over the treatments
(Bonferroni); and Pearson's chi-square over all arms (scipy). A winner is named only when significant."""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import NormalDist

ALPHA = 0.05
Z95 = NormalDist().inv_cdf(0.975)  # 1.959964…


def unit_hash(salt: str, member_id: int) -> float:
    digest = hashlib.sha256(f"{salt}:{member_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2.0**64


def assign(salt: str, member_id: int, weights: Sequence[int]) -> int:
    """The index of the member's arm; weights are whole percentages adding up to 100."""
    u = unit_hash(salt, member_id) * sum(weights)
    edge = 0
    for i, w in enumerate(weights):
        edge += w
        if u < edge:
            return i
    return len(weights) - 1  # u is below the total; only float rounding can land here


@dataclass(frozen=True)
class Comparison:
    diff: float  # treatment rate − control rate
    ci_low: float
    ci_high: float
    z: float
    p_value: float


def two_proportions(control_hits: int, control_n: int, hits: int, n: int) -> Comparison | None:
    """Two-sided two-proportion z-test of a treatment against the control; None without data on a side
    or when nobody (or everybody) converted in both (no variance)."""
    if control_n == 0 or n == 0:
        return None
    p1, p2 = control_hits / control_n, hits / n
    pooled = (control_hits + hits) / (control_n + n)
    se_pooled = math.sqrt(pooled * (1 - pooled) * (1 / control_n + 1 / n))
    if se_pooled == 0:
        return None
    z = (p2 - p1) / se_pooled
    p_value = math.erfc(abs(z) / math.sqrt(2))  # two-sided: 2 · P(Z > |z|)
    se = math.sqrt(p1 * (1 - p1) / control_n + p2 * (1 - p2) / n)
    diff = p2 - p1
    return Comparison(diff, diff - Z95 * se, diff + Z95 * se, z, p_value)


def chi_square(table: Sequence[tuple[int, int]]) -> tuple[float, float] | None:
    """Pearson's chi-square (no continuity correction) over (converted, not converted) per arm:
    (statistic, p-value), or None when a column or row is all zeros."""
    rows = [list(r) for r in table if sum(r) > 0]
    if len(rows) < 2 or any(sum(col) == 0 for col in zip(*rows, strict=True)):
        return None
    # scipy is imported here, not with the module: it would add seconds to every process start for a results page
    from scipy.stats import chi2_contingency

    chi2, p, _dof, _expected = chi2_contingency(rows, correction=False)
    return float(chi2), float(p)


def alpha_per_comparison(arms: int) -> float:
    return ALPHA / max(arms - 1, 1)
