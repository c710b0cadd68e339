"""Known answers and invariants of dgm.engine.rates (required vs observed rates, the three schemes)."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dgm.engine import rates

KNOWN_RATES = [
    # start, end, years, rate
    (1.0, 2.0, 10, 2 ** (1 / 10) - 1),  # doubling in ten years
    (100.0, 70.0, 10, 0.7 ** (1 / 10) - 1),  # a 30 % cut in ten years
    (10000.0, 20000.0, 11, 2 ** (1 / 11) - 1),  # the two-trillion goal from 2014 to 2025
    (5.0, 5.0, 3, 0.0),
]


@pytest.mark.parametrize(("start", "end", "years", "rate"), KNOWN_RATES)
def test_compound_rate_known_answers(start, end, years, rate):
    assert rates.compound_rate(start, end, years) == pytest.approx(rate, abs=1e-12)


def test_doubling_needs_7177_per_year_and_30pct_cut_needs_minus_3504():
    assert round(100 * rates.required_rate(1, 2, 2015, 2025), 3) == 7.177
    assert round(100 * rates.required_rate(100, 70, 2015, 2025), 3) == -3.504


@pytest.mark.parametrize(
    ("start", "end", "years"), [(0, 5, 3), (-1, 5, 3), (5, 0, 3), (5, 6, 0), (math.nan, 1, 2)]
)
def test_compound_rate_undefined_is_nan(start, end, years):
    assert math.isnan(rates.compound_rate(start, end, years))


EUROSTAT = [
    (1.20, "on_track"),
    (0.95, "on_track"),
    (0.77, "acceleration_needed"),
    (0.60, "acceleration_needed"),
    (0.59, "limited_progress"),
    (0.0, "limited_progress"),
    (-0.1, "deterioration"),
    (math.nan, None),
]


@pytest.mark.parametrize(("ratio", "category"), EUROSTAT)
def test_eurostat_categories(ratio, category):
    assert rates.eurostat_category(ratio) == category


@pytest.mark.parametrize(
    ("projected", "baseline", "goal", "gap", "category"),
    [
        (120, 100, 120, 0.0, "on_track"),
        (130, 100, 120, -0.5, "on_track"),
        (110, 100, 120, 0.5, "acceleration_needed"),
        (90, 100, 120, 1.5, "regressing"),
        # lower is better: 100 -> 70 goal, projected 80 leaves a third of the way
        (80, 100, 70, 1 / 3, "acceleration_needed"),
        (65, 100, 70, -1 / 6, "on_track"),
        (105, 100, 70, 7 / 6, "regressing"),
    ],
)
def test_escap_gap_both_directions(projected, baseline, goal, gap, category):
    g = rates.escap_gap(projected, baseline, goal)
    assert g == pytest.approx(gap)
    assert rates.escap_category(g) == category


@pytest.mark.parametrize(
    ("q", "category"),
    [
        (1.0, "on_track"),
        (0.95, "on_track"),
        (0.5, "acceleration_needed"),
        (0.10, "acceleration_needed"),
        (0.05, "limited_progress"),
        (-0.2, "deterioration"),
    ],
)
def test_unsd_categories(q, category):
    assert rates.unsd_category(q) == category


def test_unsd_q_is_one_minus_escap_gap():
    assert rates.unsd_q(110, 100, 120) == pytest.approx(1 - rates.escap_gap(110, 100, 120))
    assert math.isnan(rates.unsd_q(110, 100, 100))


def test_lower_is_better_ratio_is_positive_when_falling():
    p = rates.progress(100, 83, 70, 2014, 2019, 2024)
    assert p["observed_rate"] < 0 and p["required_rate"] < 0
    assert p["rate_ratio"] == pytest.approx((0.83 ** (1 / 5) - 1) / (0.7 ** (1 / 10) - 1))
    assert rates.eurostat_category(p["rate_ratio"]) == "on_track"


def test_values_that_cannot_be_logged_fall_back_to_linear():
    p = rates.progress(0, 3, 5, 2014, 2020, 2025)  # clusters: 0 -> 3 by 2020, 5 by 2025
    assert p["method"] == "linear"
    assert math.isnan(p["observed_rate"]) and math.isnan(p["required_rate"])
    assert p["rate_ratio"] == pytest.approx((3 / 6) / (5 / 11))


def test_mean_growth_compounds():
    assert rates.mean_growth([10, 10]) == pytest.approx(0.10)
    assert rates.mean_growth([20, 0]) == pytest.approx(math.sqrt(1.2) - 1)
    assert math.isnan(rates.mean_growth([]))


@pytest.mark.parametrize(
    ("value", "comparison", "target", "sign", "met"),
    [
        (20000, ">=", 20000, 1, True),
        (20000, ">", 20000, 1, False),
        (69, "<=", 70, -1, True),
        (71, "<", 70, -1, False),
        (28.6, "~", 30, 1, True),
        (28.4, "~", 30, 1, False),
        (40, "~", 30, 1, True),
        (31.4, "~", 30, -1, True),
        (20, "~", 30, -1, True),
        (32, "~", 30, -1, False),
        (math.nan, ">=", 1, 1, False),
    ],
)
def test_meets(value, comparison, target, sign, met):
    assert rates.meets(value, comparison, target, sign) is met


def test_meets_vectorised():
    out = rates.meets(np.array([1.0, 2.0, 3.0]), ">=", 2)
    assert out.tolist() == [False, True, True]


@pytest.mark.parametrize(
    ("kind", "bound", "comparison", "target", "sign", "verdict"),
    [
        ("lower_bound", 25000, ">=", 20000, 1, "met"),  # 突破2.5万亿 vs the 2-trillion goal
        ("lower_bound", 15000, ">=", 20000, 1, None),
        ("upper_bound", 15000, ">=", 20000, 1, "not_met"),
        ("upper_bound", 25000, ">=", 20000, 1, None),
        ("upper_bound", 65, "<=", 70, -1, "met"),
        ("lower_bound", 75, "<=", 70, -1, "not_met"),
        ("lower_bound", 65, "<=", 70, -1, None),
    ],
)
def test_bound_verdicts(kind, bound, comparison, target, sign, verdict):
    assert rates.bound_verdict(kind, bound, comparison, target, sign) == verdict


def test_direction():
    assert rates.direction(">=") == 1 and rates.direction("<") == -1
    assert rates.direction("~", "lower_is_better") == -1
    with pytest.raises(ValueError):
        rates.direction("=>")


positive = st.floats(min_value=1e-3, max_value=1e6, allow_nan=False)


@settings(max_examples=200, deadline=None)
@given(
    base=positive,
    latest=positive,
    goal=positive,
    k=st.floats(1e-3, 1e3),
    t_latest=st.integers(1, 10),
    t_goal=st.integers(1, 15),
)
def test_rescaling_leaves_rates_and_categories_unchanged(base, latest, goal, k, t_latest, t_goal):
    a = rates.progress(base, latest, goal, 2014, 2014 + t_latest, 2014 + t_goal)
    b = rates.progress(k * base, k * latest, k * goal, 2014, 2014 + t_latest, 2014 + t_goal)
    for key in ("observed_rate", "required_rate"):
        assert b[key] == pytest.approx(a[key], rel=1e-6, abs=1e-9)
    if math.isfinite(a["rate_ratio"]) and abs(a["required_rate"]) > 1e-6:
        assert b["rate_ratio"] == pytest.approx(a["rate_ratio"], rel=1e-6, abs=1e-9)
        # categories agree away from the cut-offs (floating point may straddle one exactly)
        if min(abs(a["rate_ratio"] - c) for c in (0.95, 0.6, 0.0)) > 1e-6:
            assert rates.eurostat_category(a["rate_ratio"]) == rates.eurostat_category(
                b["rate_ratio"]
            )
    gap_a, gap_b = (
        rates.escap_gap(latest, base, goal),
        rates.escap_gap(k * latest, k * base, k * goal),
    )
    if math.isfinite(gap_a) and abs(goal - base) > 1e-6 * max(goal, base):
        assert gap_b == pytest.approx(gap_a, rel=1e-6, abs=1e-9)


def test_slower_fall_needs_acceleration():
    p = rates.progress(100, 85, 70, 2014, 2019, 2024)  # -3.2 %/yr against -3.5 %/yr needed
    assert rates.eurostat_category(p["rate_ratio"]) == "acceleration_needed"
