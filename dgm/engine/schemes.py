"""A judged series and its rates → ESCAP's anticipated gap and UNSD's Q from their own projections
(docs/method.md §2), read off with float noise snapped (a ratio, gap or Q is a fraction: 1 = the goal
reached, 0 = no progress from the baseline)."""

from __future__ import annotations

import math

import pandas as pd

from dgm.engine import rates
from dgm.engine.goals import CHAINED, Judged, _num
from dgm.engine.models import ESCAP_HALF_LIFE, escap_weights, observed, wls_line
from dgm.engine.transforms import scale_for

NEAR_TOL = 1e-9  # a ratio, gap or Q within this of 0 or 1 is read as exactly 0 or 1 (float noise)


def snap(x: float | None, tol: float = NEAR_TOL) -> float | None:
    """x, or exactly 0 or 1 when within `tol` of it (float noise must not change a category)."""
    if x is None or not math.isfinite(x):
        return None
    for whole in (0.0, 1.0):
        if abs(x - whole) <= tol:
            return whole
    return x


def nan_for_none(x: float | None) -> float:
    """None -> NaN for the category functions; exact zero stays zero (never `x or nan`)."""
    return math.nan if x is None else x


def escap_projection(z: pd.Series, year: int, half_life: float) -> float:
    """ESCAP time-weighted least-squares line through z (modelling scale), evaluated at `year`.

    Works from two points (ESCAP's own minimum); NaN with fewer.
    """
    s = observed(z)
    if len(s) < 2:
        return math.nan
    beta, _, _ = wls_line(s, escap_weights(s.index, half_life))
    return float(beta[0] + beta[1] * (year - s.index[-1]))


def schemes_stage(
    j: Judged, prog: rates.Progress | None, half_life: float = ESCAP_HALF_LIFE
) -> tuple[float | None, float | None, list[str]]:
    """(escap_gap, unsd_q, notes): ESCAP's weighted trend and UNSD's compound-rate projection.

    The target year's own figure replaces both projections. One figure: both read a no-change
    projection (gap 1, Q 0). Chained goals whose rate was refused get neither.
    """
    T = j.goal.target_year
    if j.base is None or not len(j.hist) or (j.goal.kind in CHAINED and prog is None):
        return None, None, []
    by, bv = j.base
    notes = []
    if T in j.hist.index:
        p_escap = p_unsd = float(j.hist.loc[T])
    elif len(j.hist) == 1:
        p_escap = p_unsd = float(j.hist.iloc[0])
        notes.append("one figure: ESCAP and UNSD read a no-change projection from it")
    else:
        scale = scale_for(j.kind_model, j.hist.to_numpy())
        z = scale.forward(j.hist)
        p_escap = float(scale.inverse(escap_projection(z, T, half_life)))
        ly, lv = int(j.hist.index[-1]), float(j.hist.iloc[-1])
        if j.goal.kind in CHAINED:
            assert prog is not None  # a chained goal without a rate returned above
            r = rates.compound_rate(100, lv, ly - by) if ly > by else prog["observed_rate"]
            p_unsd = lv * (1 + r) ** (T - ly)
        elif prog is not None and prog["method"] == "compound":
            p_unsd = lv * (1 + prog["observed_rate"]) ** (T - ly)
        else:
            y0 = int(j.hist.index[0]) if ly == by else by
            v0 = float(j.hist.iloc[0]) if ly == by else bv
            p_unsd = lv + rates.linear_rate(v0, lv, ly - y0) * (T - ly)
    gap = snap(_num(rates.escap_gap(p_escap, bv, j.goal_value)))
    q = snap(_num(rates.unsd_q(p_unsd, bv, j.goal_value)))
    return gap, q, notes
