"""Goal arithmetic: required vs observed compound rates and the Eurostat, ESCAP and UNSD schemes.

Pure functions on floats (or numpy arrays where stated). Rates are fractions per year
(0.07177 = 7.177 % a year); values are in the indicator's unit. No I/O, no pandas needed.

Schemes, side by side (docs/method.md gives the sources and the reasoning):
- Eurostat / Open SDG: ratio of the observed to the required compound annual rate from the
  baseline; >= 0.95 on_track, [0.60, 0.95) acceleration_needed, [0, 0.60) limited_progress,
  < 0 deterioration.
- ESCAP anticipated progress: gap = (goal - projected) / (goal - baseline), the share of the needed
  progress still missing in the target year; <= 0 on_track, (0, 1] acceleration_needed,
  > 1 regressing (projected to end up behind the baseline).
- UNSD progress chart: Q = (projected - baseline) / (goal - baseline); >= 0.95 on_track,
  [0.10, 0.95) acceleration_needed, [0, 0.10) limited_progress, < 0 deterioration.
"""

from __future__ import annotations

import math
from typing import TypedDict

import numpy as np

EUROSTAT_ON_TRACK = 0.95
EUROSTAT_MODERATE = 0.60
UNSD_ON_TRACK = 0.95
UNSD_FAIR = 0.10
# "about X" (comparison "~") counts as met within this relative distance on the unfavourable side
# of X; overshooting in the favourable direction is not penalised (a faster rise in investment or
# value added than "about 15 %" is not a failure of the goal).
APPROX_TOL = 0.05
COMPARISONS = (">=", ">", "<=", "<", "~")


class Progress(TypedDict):
    """Observed against required rate (`progress`): fractions a year, NaN when undefined."""

    observed_rate: float  # NaN on the linear method
    required_rate: float  # NaN on the linear method
    rate_ratio: float  # observed / required (on the linear method: of average yearly changes)
    method: str  # compound or linear


def _finite(*xs) -> bool:
    """True when every argument is a finite real number (numpy scalars included)."""
    for x in xs:
        try:
            if x is None or not math.isfinite(float(x)):
                return False
        except (TypeError, ValueError):
            return False
    return True


def compound_rate(start: float, end: float, years: float) -> float:
    """Compound rate per year (a fraction) taking `start` to `end` in `years`; NaN if undefined.

    Undefined when either value is not positive (it cannot be logged) or years <= 0.
    """
    start, end, years = float(start), float(end), float(years)
    if not _finite(start, end, years) or years <= 0 or start <= 0 or end <= 0:
        return math.nan
    return (end / start) ** (1 / years) - 1


def linear_rate(start: float, end: float, years: float) -> float:
    """Average absolute change per year (indicator units per year); NaN if undefined."""
    start, end, years = float(start), float(end), float(years)
    if not _finite(start, end, years) or years <= 0:
        return math.nan
    return (end - start) / years


def required_rate(baseline_value, target_value, baseline_year, target_year) -> float:
    """Compound rate per year needed from the baseline to hit the target in the target year."""
    return compound_rate(baseline_value, target_value, target_year - baseline_year)


def observed_rate(baseline_value, latest_value, baseline_year, latest_year) -> float:
    """Compound rate per year observed from the baseline to the latest figure."""
    return compound_rate(baseline_value, latest_value, latest_year - baseline_year)


def mean_growth(rates_pct) -> float:
    """Geometric mean of yearly growth rates given in percent -> fraction per year.

    [10, 10] -> 0.10; [20, 0] -> 0.0954 (not 0.10: compounding). NaN when empty or a rate <= -100.
    """
    r = np.asarray([x for x in rates_pct if x is not None and math.isfinite(x)], dtype=float)
    if r.size == 0 or (r <= -100).any():
        return math.nan
    return float(np.exp(np.mean(np.log1p(r / 100))) - 1)


def rate_ratio(observed: float, required: float) -> float:
    """Observed / required rate; NaN when the required rate is zero or either is undefined."""
    if not _finite(observed, required) or required == 0:
        return math.nan
    return observed / required


def eurostat_category(ratio: float) -> str | None:
    """Eurostat / Open SDG category of an observed/required rate ratio (None when undefined)."""
    if ratio is None or not math.isfinite(ratio):
        return None
    if ratio >= EUROSTAT_ON_TRACK:
        return "on_track"
    if ratio >= EUROSTAT_MODERATE:
        return "acceleration_needed"
    if ratio >= 0:
        return "limited_progress"
    return "deterioration"


def escap_gap(projected: float, baseline: float, goal: float) -> float:
    """ESCAP anticipated-progress gap: share of the progress needed from the baseline still missing.

    0 = exactly on target, negative = beyond it, 1 = no progress, > 1 = behind the baseline.
    Works for both directions (the sign of goal - baseline carries it). NaN when goal == baseline.
    """
    if not _finite(projected, baseline, goal) or goal == baseline:
        return math.nan
    return (goal - projected) / (goal - baseline)


def escap_category(gap: float) -> str | None:
    """ESCAP category of an anticipated-progress gap."""
    if gap is None or not math.isfinite(gap):
        return None
    if gap <= 0:
        return "on_track"
    if gap <= 1:
        return "acceleration_needed"
    return "regressing"


def unsd_q(projected: float, baseline: float, goal: float) -> float:
    """UNSD projected ratio Q = (projected - baseline) / (goal - baseline); NaN if goal = base."""
    if not _finite(projected, baseline, goal) or goal == baseline:
        return math.nan
    return (projected - baseline) / (goal - baseline)


def unsd_category(q: float) -> str | None:
    """UNSD progress-chart category of Q (cut-offs 0.95 and 0.10)."""
    if q is None or not math.isfinite(q):
        return None
    if q >= UNSD_ON_TRACK:
        return "on_track"
    if q >= UNSD_FAIR:
        return "acceleration_needed"
    if q >= 0:
        return "limited_progress"
    return "deterioration"


def direction(comparison: str, indicator_direction: str | None = None) -> int:
    """+1 when more is better for the goal, -1 when less is better.

    `>=`/`>` -> +1, `<=`/`<` -> -1; `~` takes the indicator's direction (higher_is_better unless
    the catalogue says lower_is_better).
    """
    if comparison in (">=", ">"):
        return 1
    if comparison in ("<=", "<"):
        return -1
    if comparison == "~":
        return -1 if indicator_direction == "lower_is_better" else 1
    raise ValueError(f"unknown comparison {comparison!r}; expected one of {COMPARISONS}")


def meets(value, comparison: str, target: float, sign: int = 1, tol: float = APPROX_TOL):
    """Whether value(s) satisfy the goal; works on floats and numpy arrays (NaN -> False).

    For `~` the goal is met within `tol` (relative) of the target on the unfavourable side, or
    anywhere beyond it on the favourable side given by `sign`.
    """
    v = np.asarray(value, dtype=float)
    with np.errstate(invalid="ignore"):
        if comparison == ">=":
            out = v >= target
        elif comparison == ">":
            out = v > target
        elif comparison == "<=":
            out = v <= target
        elif comparison == "<":
            out = v < target
        elif comparison == "~":
            slack = abs(target) * tol
            out = v >= target - slack if sign > 0 else v <= target + slack
        else:
            raise ValueError(f"unknown comparison {comparison!r}; expected one of {COMPARISONS}")
    return bool(out) if out.ndim == 0 else out


def bound_verdict(kind: str, bound: float, comparison: str, target: float, sign: int = 1):
    """What a published bound alone says about a goal: "met", "not_met" or None (undecided).

    A lower bound (突破, 超过, 以上) that already satisfies a higher-is-better goal means met;
    an upper bound that fails it means not met; the mirror holds for lower-is-better goals.
    """
    if not _finite(bound, target):
        return None
    ok = meets(bound, comparison, target, sign)
    if kind == "lower_bound":
        # true value >= bound
        if sign > 0 and ok:
            return "met"
        if sign < 0 and not ok:
            return "not_met"
    elif kind == "upper_bound":
        # true value <= bound
        if sign < 0 and ok:
            return "met"
        if sign > 0 and not ok:
            return "not_met"
    return None


def progress(
    baseline_value, latest_value, target_value, baseline_year, latest_year, target_year
) -> Progress:
    """Observed and required rates and their ratio; compound when possible, else linear.

    Returns a dict: observed_rate, required_rate (fractions per year, or NaN when the values
    cannot be logged), rate_ratio, method ("compound" or "linear"). The linear fallback (values
    that are zero or negative) compares average absolute changes per year; its ratio has the same
    reading for the Eurostat categories.
    """
    obs = observed_rate(baseline_value, latest_value, baseline_year, latest_year)
    req = required_rate(baseline_value, target_value, baseline_year, target_year)
    if math.isfinite(obs) and math.isfinite(req):
        return {
            "observed_rate": obs,
            "required_rate": req,
            "rate_ratio": rate_ratio(obs, req),
            "method": "compound",
        }
    lo = linear_rate(baseline_value, latest_value, latest_year - baseline_year)
    lr = linear_rate(baseline_value, target_value, target_year - baseline_year)
    return {
        "observed_rate": math.nan,
        "required_rate": math.nan,
        "rate_ratio": rate_ratio(lo, lr),
        "method": "linear",
    }
