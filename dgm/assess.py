"""Goal assessment: registry + observed series -> one verdict per goal (`dgm assess [--json]`).

For each goal: where the indicator stands (latest figure and its kind), the compound rate needed
from the baseline against the rate observed (Eurostat / Open SDG categories), ESCAP's anticipated
gap and UNSD's Q from their own projections, P(goal met in the target year) and the median first
crossing year from the ensemble's simulated paths, and the ex-post verdict once the target year is
published (bounds included: a published lower bound above the goal means met). Growth-rate and
reduction goals are judged on the index chained from the yearly % changes (baseline year = 100).
"""

from __future__ import annotations

import json
import math
import time

import numpy as np
import pandas as pd

from dgm import rates
from dgm.models import ESCAP_HALF_LIFE, ESCAP_HALF_LIVES, InsufficientData, escap_weights, observed
from dgm.simulate import (
    MIN_FORECAST_POINTS,
    N_PATHS,
    SEED,
    forecast_history,
    median_crossing_year,
    split_series,
)
from dgm.transforms import SHARE_EPS, chain_index, scale_for

CROSSING_TO = 2035  # paths run to this year so late crossings can be dated
CHAINED = ("growth_rate", "reduction_vs_baseline")
STATUSES = (
    "met",
    "not_met",
    "on_track",
    "acceleration_needed",
    "limited_progress",
    "deterioration",
    "insufficient_data",
)
FIELDS = (
    "target_id",
    "indicator",
    "status",
    "latest_year",
    "latest_value",
    "latest_kind",
    "required_rate",
    "observed_rate",
    "rate_ratio",
    "escap_gap",
    "unsd_q",
    "p_attain",
    "crossing_year_median",
    "notes",
)
FLIP = {">=": "<=", ">": "<", "<=": ">=", "<": ">", "~": "~"}


def _num(x) -> float | None:
    """A finite float, or None for NA/NaN/None."""
    if x is None or x is pd.NA:
        return None
    try:
        v = float(x)
    except (TypeError, ValueError):
        return None
    return v if math.isfinite(v) else None


def _int(x) -> int | None:
    """An int, or None for NA/NaN/None."""
    v = _num(x)
    return int(v) if v is not None else None


def _plural(n: int, word: str = "point") -> str:
    """'1 point', '3 points'."""
    return f"{n} {word}{'' if n == 1 else 's'}"


def escap_projection(z: pd.Series, year: int, half_life: float) -> float:
    """ESCAP time-weighted least-squares line through z (modelling scale), evaluated at `year`.

    Works from two points (ESCAP's own minimum); NaN with fewer.
    """
    s = observed(z)
    if len(s) < 2:
        return math.nan
    yrs = s.index.to_numpy(dtype=float)
    w = escap_weights(yrs, half_life)
    x = np.column_stack([np.ones_like(yrs), yrs - yrs[-1]])
    beta = np.linalg.lstsq(x * np.sqrt(w)[:, None], s.to_numpy() * np.sqrt(w), rcond=None)[0]
    return float(beta[0] + beta[1] * (year - yrs[-1]))


def _goal_frame(goal: dict, frame: pd.DataFrame):
    """The goal restated on the series it is judged on.

    Returns dict: hist (point values by year), bounds, goal_value, cmp, sign, base (year, value)
    or None, kind_model (scale kind), and notes. Chained goals use the index (baseline = 100).
    """
    kind, cmp, tv = goal["kind"], goal["comparison"], float(goal["target_value"])
    by, bv = _int(goal.get("baseline_year")), _num(goal.get("baseline_value"))
    T = int(goal["target_year"])
    sign = rates.direction(cmp, frame.attrs.get("direction"))
    pts, bounds = split_series(frame)
    notes = []
    if kind in CHAINED:
        if by is None:
            by = int(pts.index.min()) - 1 if len(pts) else T - 11
            notes.append(f"no baseline year in the registry; {by} used")
        idx = chain_index(pts, by)
        if kind == "reduction_vs_baseline":
            goal_value, cmp_i, sign_i = 100 - tv, FLIP[cmp], -sign
        else:
            g = tv / 100
            if cmp == "~":  # "about g a year": met at g * (1 - tol) or more (or less if falling)
                g, cmp_i = g * (1 - rates.APPROX_TOL * sign), ">=" if sign > 0 else "<="
            else:
                cmp_i = cmp
            goal_value, sign_i = 100 * (1 + g) ** (T - by), sign
        after = pts[(pts.index > by) & (pts.index <= T)]
        if len(idx) - 1 < len(after):
            notes.append(
                f"the chain of yearly changes from {by} breaks after {int(idx.index.max())}; "
                "later years are not chained (never interpolated)"
            )
        return {
            "hist": idx if len(idx) > 1 else pd.Series(dtype=float),
            "bounds": None,
            "goal_value": goal_value,
            "cmp": cmp_i,
            "sign": sign_i,
            "base": (by, 100.0),
            "kind_model": "index",
            "yearly": after,
            "notes": notes,
        }
    base = None
    if by is not None and bv is not None:
        base = (by, bv)
        if by in pts.index and abs(pts.loc[by] - bv) > 0.01 * abs(bv):
            notes.append(
                f"registry baseline {bv:g} differs from the series' {pts.loc[by]:g} in {by}; "
                "the registry's (the policy text's) is used"
            )
    elif by is not None and by in pts.index:
        base = (by, float(pts.loc[by]))
    elif len(pts):
        base = (int(pts.index[0]), float(pts.iloc[0]))
        notes.append(f"no baseline in the registry; the first figure ({base[0]}) is the baseline")
    goal_value = tv
    if kind == "share" and sign > 0 and tv >= 100 - SHARE_EPS:
        goal_value = 100 - SHARE_EPS
        notes.append(f"a share of {tv:g} % is read as >= {goal_value:g} % (rounding)")
    return {
        "hist": pts,
        "bounds": bounds,
        "goal_value": goal_value,
        "cmp": cmp,
        "sign": sign,
        "base": base,
        "kind_model": kind,
        "yearly": None,
        "notes": notes,
    }


def assess_goal(
    goal: dict,
    frame: pd.DataFrame,
    n_paths: int = N_PATHS,
    seed: int = SEED,
    cache: dict | None = None,
) -> dict:
    """Assess one goal (a registry row as dict) against its series frame (dgm.series output)."""
    cache = {} if cache is None else cache
    ind, kind, T = goal["indicator"], goal["kind"], int(goal["target_year"])
    tv = float(goal["target_value"])
    rec = {f: None for f in FIELDS}
    rec.update(
        target_id=goal["id"],
        indicator=ind,
        kind=kind,
        comparison=goal["comparison"],
        target_value=tv,
        target_year=T,
        unit=goal.get("unit"),
    )
    g = _goal_frame(goal, frame)
    notes = list(g["notes"])
    hist, cmp, sign, gv, base = g["hist"], g["cmp"], g["sign"], g["goal_value"], g["base"]
    rec["direction"] = "higher_is_better" if sign > 0 else "lower_is_better"
    rec["baseline_year"] = base[0] if base else None
    rec["baseline_value"] = base[1] if base else None
    pts_raw, bounds = split_series(frame)
    n_points = len(pts_raw)
    rec["n_points"] = n_points

    # latest figure (points and bounds; plan targets never count)
    rows = frame[frame["kind"].astype(str) != "plan_target"] if len(frame) else frame
    if len(rows):
        rec["latest_year"] = int(rows.index[-1])
        rec["latest_value"] = _num(rows["value"].iloc[-1])
        rec["latest_kind"] = str(rows["kind"].iloc[-1])
    if kind == "reduction_vs_baseline" and len(hist) > 1:
        y = int(hist.index[-1])
        rec.update(latest_year=y, latest_value=100 - float(hist.iloc[-1]), latest_kind="derived")
        notes.append(f"latest_value is the cumulative reduction since {base[0]} (%), chained")

    # ex post: the target year's own figure, bounds included
    ex_post = None
    if kind in CHAINED:
        if T in hist.index:
            ex_post = "met" if rates.meets(hist.loc[T], cmp, gv, sign) else "not_met"
    elif T in pts_raw.index:
        ex_post = "met" if rates.meets(pts_raw.loc[T], cmp, gv, sign) else "not_met"
    elif bounds is not None and T in bounds.index:
        b = bounds.loc[[T]].iloc[0]
        ex_post = rates.bound_verdict(b["kind"], float(b["value"]), cmp, gv, sign)
        word = "lower" if b["kind"] == "lower_bound" else "upper"
        notes.append(
            f"{T} has only a published {word} bound ({float(b['value']):g}); "
            + (f"it decides: {ex_post}" if ex_post else "it does not decide the goal")
        )
    rec["ex_post"] = ex_post or "unknown"

    # rates: required vs observed (Eurostat / Open SDG)
    prog = None
    already = False
    if kind in CHAINED:
        yearly = g["yearly"]
        if len(yearly):
            obs = rates.mean_growth(yearly.to_numpy())
            req = tv / 100 if kind == "growth_rate" else rates.compound_rate(100, gv, T - base[0])
            prog = {
                "observed_rate": obs,
                "required_rate": req,
                "rate_ratio": rates.rate_ratio(obs, req),
                "method": "compound",
            }
            span = T - base[0]
            notes.append(
                f"observed_rate is the compound mean of {_plural(len(yearly), 'yearly figure')} "
                f"({int(yearly.index.min())}-{int(yearly.index.max())}) of the {span} years "
                f"{base[0] + 1}-{T}"
            )
    elif base is not None:
        later = hist[hist.index > base[0]]
        if len(later):
            ly, lv = int(later.index[-1]), float(later.iloc[-1])
            prog = rates.progress(base[1], lv, gv, base[0], ly, T)
            already = bool(rates.meets(lv, cmp, gv, sign))
            if prog["method"] == "linear":
                notes.append("values cannot be logged; rate_ratio compares average yearly changes")
    if prog is not None:
        rec.update(
            observed_rate=_num(prog["observed_rate"]),
            required_rate=_num(prog["required_rate"]),
            rate_ratio=_num(prog["rate_ratio"]),
        )
        rec["rate_method"] = prog["method"]
    rec["eurostat_category"] = rates.eurostat_category(rec["rate_ratio"] or math.nan)
    met_at_base = base is not None and kind not in CHAINED and rates.meets(base[1], cmp, gv, sign)
    if met_at_base:
        notes.append(f"the goal was already met at the baseline ({base[0]})")

    # forecast: paths, P(goal met), first crossing
    scale = scale_for(g["kind_model"], hist.to_numpy() if len(hist) else None)
    fc = None
    last_pt = int(hist.index.max()) if len(hist) else None
    if len(hist) >= MIN_FORECAST_POINTS and last_pt < max(T, CROSSING_TO):
        key = (ind, g["kind_model"], base[0] if kind in CHAINED else None)
        if key not in cache:
            try:
                cache[key] = forecast_history(
                    hist,
                    g["kind_model"],
                    ind,
                    rec["unit"] or "",
                    to_year=max(T, CROSSING_TO),
                    n_paths=n_paths,
                    seed=seed,
                    bounds=g["bounds"],
                )
            except InsufficientData as err:
                cache[key] = err
        fc = cache[key] if not isinstance(cache[key], Exception) else None
    if ex_post is not None:
        rec["p_attain"] = 1.0 if ex_post == "met" else 0.0
    elif fc is not None and T > last_pt:
        rec["p_attain"] = _num(fc.prob(cmp, gv, T, sign))
        notes.extend(fc.notes)
    elif len(hist) and T <= (last_pt or 0):
        notes.append(f"no figure for {T}; ex post unknown")
    if fc is not None:
        rec["crossing_year_median"] = median_crossing_year(fc.crossing(cmp, gv, sign))
        rec["models"] = list(fc.members)
    elif len(hist):
        hist_met = [int(y) for y, v in hist.items() if rates.meets(v, cmp, gv, sign)]
        if hist_met:
            rec["crossing_year_median"] = min(hist_met)
    if fc is None and ex_post is None and len(hist):
        notes.append(
            f"{ind}: {_plural(len(hist) if kind in CHAINED else n_points)}"
            f"{' in the chained index' if kind in CHAINED else ''}; "
            f"P(goal met) needs at least {MIN_FORECAST_POINTS}"
        )

    # ESCAP (time-weighted trend) and UNSD (compound-rate) projections to the target year
    if base is not None and len(hist) >= 2:
        if T in hist.index:
            p_escap = p_unsd = float(hist.loc[T])
        else:
            z = scale.forward(hist)
            p_escap = float(scale.inverse(escap_projection(z, T, ESCAP_HALF_LIFE)))
            ly, lv = int(hist.index[-1]), float(hist.iloc[-1])
            if prog is not None and prog["method"] == "compound" and kind not in CHAINED:
                p_unsd = lv * (1 + prog["observed_rate"]) ** (T - ly)
            elif kind in CHAINED and len(hist) > 1:
                r = rates.compound_rate(100, lv, ly - base[0])
                p_unsd = lv * (1 + r) ** (T - ly)
            else:
                r = rates.linear_rate(base[1], lv, ly - base[0])
                p_unsd = lv + r * (T - ly)
        rec["escap_gap"] = _num(rates.escap_gap(p_escap, base[1], gv))
        rec["unsd_q"] = _num(rates.unsd_q(p_unsd, base[1], gv))
        rec["escap_category"] = rates.escap_category(rec["escap_gap"] or math.nan)
        rec["unsd_category"] = rates.unsd_category(
            rec["unsd_q"] if rec["unsd_q"] is not None else math.nan
        )

    # status
    passed = ex_post is None and len(hist) and T < int(hist.index[-1])
    if ex_post in ("met", "not_met"):
        status = ex_post
    elif passed:
        # the deadline passed with no figure for it: progress only, never an "already met"
        status = rec["eurostat_category"] or "insufficient_data"
        if rates.meets(float(hist.iloc[-1]), cmp, gv, sign):
            notes.append(f"the goal is met in {int(hist.index[-1])}, after its {T} deadline")
    elif met_at_base:
        status = "on_track" if already or prog is None else "deterioration"
    elif already and T >= int(hist.index[-1]):
        status = "on_track"
        notes.append(f"already at the goal in {int(hist.index[-1])}; the {T} figure decides")
    elif rec["eurostat_category"] is not None:
        status = rec["eurostat_category"]
    else:
        status = "insufficient_data"
        notes = [x for x in notes if "P(goal met) needs" not in x]
        n = len(g["yearly"]) if kind in CHAINED else n_points
        what = _plural(n, "yearly figure") + f" after {base[0]}" if kind in CHAINED else _plural(n)
        notes.insert(
            0,
            f"{ind}: {what}"
            + (f" ({n_points} published, {len(bounds)} bound(s))" if len(bounds) else "")
            + "; rates need a baseline and a later figure, "
            + f"P(goal met) at least {MIN_FORECAST_POINTS} points",
        )
    if T < (rec["latest_year"] or 0) and ex_post is None:
        notes.append(f"target year {T} passed without a published figure")
    rec["status"] = status
    rec["notes"] = "; ".join(dict.fromkeys(notes))
    return rec


def series_frames(indicators, as_of: int | None = None) -> dict[str, pd.DataFrame]:
    """{indicator: dgm.series(indicator, as_of)} for several indicators (the panel is cached)."""
    import dgm

    return {ind: dgm.series(ind, as_of) for ind in indicators}


def assess_all(as_of: int | None = None, n_paths: int = N_PATHS, seed: int = SEED) -> list[dict]:
    """Assess every goal of the registry with figures published by `as_of`-12-31 (None: all)."""
    import dgm

    targets = dgm.load_targets()
    frames = series_frames(targets["indicator"].unique(), as_of)
    cache: dict = {}
    out = []
    for goal in targets.to_dict("records"):
        rec = assess_goal(goal, frames[goal["indicator"]], n_paths=n_paths, seed=seed, cache=cache)
        rec["as_of"] = as_of
        out.append(rec)
    return out


def escap_sensitivity(as_of: int | None = None, half_lives=ESCAP_HALF_LIVES) -> pd.DataFrame:
    """ESCAP gap per goal (rows) and weight half-life in years (columns; inf = unweighted OLS).

    Only goals with a baseline and at least two points on their judged series get a row; the
    target year's own figure, when published, replaces the projection as in assess_goal.
    """
    import dgm

    targets = dgm.load_targets()
    frames = series_frames(targets["indicator"].unique(), as_of)
    rows = {}
    for goal in targets.to_dict("records"):
        g = _goal_frame(goal, frames[goal["indicator"]])
        hist, base, T = g["hist"], g["base"], int(goal["target_year"])
        if base is None or len(hist) < 2:
            continue
        scale = scale_for(g["kind_model"], hist.to_numpy())
        z = scale.forward(hist)
        row = {}
        for hl in half_lives:
            if T in hist.index:
                proj = float(hist.loc[T])
            else:
                proj = float(scale.inverse(escap_projection(z, T, hl)))
            row[hl] = _num(rates.escap_gap(proj, base[1], g["goal_value"]))
        rows[goal["id"]] = row
    out = pd.DataFrame.from_dict(rows, orient="index", columns=list(half_lives))
    out.index.name, out.columns.name = "target_id", "half_life_years"
    return out


def _jsonable(x):
    """Recursively turn numpy/pandas scalars into JSON values (NaN -> None)."""
    if isinstance(x, dict):
        return {k: _jsonable(v) for k, v in x.items()}
    if isinstance(x, list | tuple):
        return [_jsonable(v) for v in x]
    if isinstance(x, np.integer):
        return int(x)
    if isinstance(x, float | np.floating):
        return float(x) if math.isfinite(float(x)) else None
    if x is pd.NA:
        return None
    return x


def _table(recs, wide: bool = False) -> str:
    """A fixed-width table of the main fields."""

    def pct(v):
        return "" if v is None else f"{100 * v:.2f}%"

    def num(v, fmt="{:.2f}"):
        return "" if v is None else fmt.format(v)

    rows = [
        {
            "target_id": r["target_id"],
            "status": r["status"],
            "latest": ""
            if r["latest_year"] is None
            else f"{r['latest_year']}: {r['latest_value']:g} ({r['latest_kind']})",
            "required": pct(r["required_rate"]),
            "observed": pct(r["observed_rate"]),
            "ratio": num(r["rate_ratio"]),
            "escap_gap": num(r["escap_gap"]),
            "unsd_q": num(r["unsd_q"]),
            "p_attain": num(r["p_attain"], "{:.3f}"),
            "crossing": "" if r["crossing_year_median"] is None else str(r["crossing_year_median"]),
        }
        for r in recs
    ]
    from dgm.termtable import render

    numbers = {"required", "observed", "ratio", "escap_gap", "unsd_q", "p_attain", "crossing"}
    return render(rows, right=numbers, wide=wide)


def main_assess(args) -> int:
    """`dgm assess [--json] [--as-of YEAR] [--paths N] [--seed S]`: print every goal's verdict."""
    t0 = time.perf_counter()
    recs = assess_all(
        as_of=getattr(args, "as_of", None),
        n_paths=getattr(args, "n_paths", N_PATHS) or N_PATHS,
        seed=getattr(args, "seed", SEED),
    )
    if getattr(args, "json", False):
        print(json.dumps(_jsonable(recs), ensure_ascii=False, indent=1))
    else:
        print(_table(recs, wide=getattr(args, "wide", False)))
        as_of = getattr(args, "as_of", None)
        print(
            f"\n{len(recs)} goals; figures published by {as_of}-12-31"
            if as_of
            else f"\n{len(recs)} goals; all figures",
            f"; P(goal met) from {getattr(args, 'n_paths', N_PATHS)} simulated paths "
            f"(projections); {time.perf_counter() - t0:.2f} s",
            sep="",
        )
    return 0


__all__ = ["assess_all", "assess_goal", "main_assess", "STATUSES", "FIELDS"]
