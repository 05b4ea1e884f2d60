"""The A/B arithmetic against hand computation, and assignment that is stable and in proportion."""

from __future__ import annotations

import math
from collections import Counter

from scipy import stats as sps

from linli.campaign import stats


def test_two_proportion_z_test_matches_the_hand_computed_example():
    # control 200/1000 = 20 %, treatment 250/1000 = 25 %
    # pooled p = 450/2000 = 0.225; SE = sqrt(0.225 * 0.775 * (1/1000 + 1/1000)) = 0.0186748
    # z = 0.05 / 0.0186748 = 2.67740; p = 2 * (1 - Phi(2.67740)) = 0.007420
    # CI: SE = sqrt(0.2*0.8/1000 + 0.25*0.75/1000) = 0.0186414; 0.05 -/+ 1.959964 * 0.0186414 = [0.013464, 0.086536]
    c = stats.two_proportions(200, 1000, 250, 1000)
    assert c is not None
    assert math.isclose(c.diff, 0.05, abs_tol=1e-12)
    assert math.isclose(c.z, 2.67740, abs_tol=1e-4)
    assert math.isclose(c.p_value, 0.007420, abs_tol=1e-5)
    assert math.isclose(c.ci_low, 0.013464, abs_tol=1e-5) and math.isclose(c.ci_high, 0.086536, abs_tol=1e-5)


def test_chi_square_of_two_arms_is_the_square_of_z():
    chi = stats.chi_square([(200, 800), (250, 750)])
    assert chi is not None
    assert math.isclose(chi[0], 2.67740 ** 2, rel_tol=1e-4)
    assert math.isclose(chi[1], 0.007420, abs_tol=1e-5)


def test_no_test_without_data_or_variance():
    assert stats.two_proportions(0, 0, 3, 10) is None
    assert stats.two_proportions(0, 10, 0, 10) is None
    assert stats.chi_square([(0, 10), (0, 10)]) is None


def test_a_small_difference_is_not_significant():
    c = stats.two_proportions(20, 100, 22, 100)
    assert c is not None and c.p_value > 0.5 and c.ci_low < 0 < c.ci_high


def test_assignment_is_stable_and_follows_the_weights():
    weights = [50, 30, 20]
    first = [stats.assign("salt-a", m, weights) for m in range(1, 20001)]
    assert first == [stats.assign("salt-a", m, weights) for m in range(1, 20001)]  # same every time
    counts = Counter(first)
    # goodness of fit to 50/30/20 over 20,000 members: a fair hash fails this 1 time in 1,000
    _, p = sps.chisquare([counts[0], counts[1], counts[2]], [10000, 6000, 4000])
    assert p > 0.001
    for arm, w in enumerate(weights):
        assert abs(counts[arm] / 20000 - w / 100) < 0.015


def test_another_salt_shuffles_members_independently():
    a = [stats.assign("salt-a", m, [50, 50]) for m in range(1, 10001)]
    b = [stats.assign("salt-b", m, [50, 50]) for m in range(1, 10001)]
    table = Counter(zip(a, b, strict=True))
    _, p, _, _ = sps.chi2_contingency([[table[(0, 0)], table[(0, 1)]], [table[(1, 0)], table[(1, 1)]]])
    assert p > 0.001  # knowing the arm in one test tells nothing about the arm in the other


def test_bonferroni_splits_alpha_over_the_treatments():
    assert stats.alpha_per_comparison(2) == 0.05
    assert math.isclose(stats.alpha_per_comparison(3), 0.025)
