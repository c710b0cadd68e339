"""Goal assessment: registry + observed series -> one verdict per goal (`dgm assess [--json]`).

The orchestrator of the named stages (each a small pure function, docs/method.md §2), one module
each: where the indicator stands and the target year's own figure or bound (figures_read), the
compound rate needed from the baseline against the rate observed (rate_comparison; Eurostat /
Open SDG), ESCAP's anticipated gap and UNSD's Q from their own projections (schemes), the status
and its notes (status_rules), the evidence tier and reading (evidence), all but the forecast
decided together (verdict); then P(goal met) and the median first crossing year from the
ensemble's simulated paths (forecast_stage here) and whether the verdict survives other
baselines and ESCAP half-lives (robustness). The goal itself is restated on its judged series by
dgm.engine.goals. Here: one goal's record (its fields documented in dgm.engine.record), and every
goal's in a view (as-of date, data-to year).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TypedDict

import pandas as pd

from dgm.constants import HORIZON, N_PATHS, SEED, STATUSES
from dgm.data.loaders import series_frames
from dgm.data.results_store import lookup, stored
from dgm.engine import goals, rates
from dgm.engine.ensemble import MIN_FORECAST_POINTS
from dgm.engine.figures_read import basis_year, figures_used, latest_point, latest_stage
from dgm.engine.goals import CHAINED, Goal, Judged, _num
from dgm.engine.models import ESCAP_HALF_LIVES, InsufficientData
from dgm.engine.note_text import plural
from dgm.engine.rate_comparison import rates_stage
from dgm.engine.rates import Progress
from dgm.engine.record import AssessmentRecord
from dgm.engine.robustness import robustness
from dgm.engine.schemes import nan_for_none, schemes_stage, snap
from dgm.engine.simulate import (
    Forecast,
    forecast_history,
    median_crossing_year,
)
from dgm.engine.verdict import verdict

BASES = ("observed", "bound", "projected")
FIELDS = (  # the headline fields of a record (all of them: dgm.engine.record.AssessmentRecord)
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
EVIDENCE = (  # the fields that say what a verdict rests on
    "evidence",
    "reading",
    "reading_zh",
    "basis",
    "n_points",
    "first_year",
    "last_year",
    "min_reliability",
    "robustness",
    "proxy",
)


@dataclass
class Assessment:
    """One goal's verdict with what it was computed from: the record (JSON fields), the judged
    series, and the forecast (paths and quantiles to HORIZON) every view reads."""

    record: AssessmentRecord
    judged: Judged
    forecast: Forecast | None = None

    @property
    def fan(self) -> pd.DataFrame | None:
        """Forecast quantiles by year (a projection), or None when there is no forecast."""
        return None if self.forecast is None else self.forecast.quantiles


def forecast_stage(
    j: Judged, n_paths: int, seed: int, cache: dict, as_of=None, data_to: int | None = None
) -> Forecast | None:
    """The ensemble forecast of the judged series to HORIZON (None below MIN_FORECAST_POINTS),
    calibrated on the backtest errors of the same view (`as_of`, `data_to`)."""
    if len(j.hist) < MIN_FORECAST_POINTS or int(j.hist.index.max()) >= HORIZON:
        return None
    by = j.base[0] if j.goal.kind in CHAINED and j.base is not None else None  # (chained: always)
    key = (j.goal.indicator, j.kind_model, by)
    if key not in cache:
        try:
            cache[key] = forecast_history(
                j.hist,
                j.kind_model,
                j.goal.indicator,
                j.unit,
                to_year=max(j.goal.target_year, HORIZON),
                n_paths=n_paths,
                seed=seed,
                bounds=j.bounds,
                as_of=as_of,
                data_to=data_to,
            )
        except InsufficientData as err:
            cache[key] = err
    return None if isinstance(cache[key], Exception) else cache[key]


def evaluate(
    goal,
    frame: pd.DataFrame,
    n_paths: int = N_PATHS,
    seed: int = SEED,
    cache: dict | None = None,
    cumulative: pd.Series | None = None,
    today_year: int | None = None,
    levels: pd.Series | None = None,
    as_of=None,
    data_to: int | None = None,
    proxy: goals.Proxy | None = None,
) -> Assessment:
    """Assess one goal (registry row, dict or Goal) against its dgm.series frame -> Assessment.

    `today_year`: the year the verdict is read in (deadlines before it have passed; default: the
    current year); `cumulative`: five-year cumulative changes that bridge a chained goal;
    `levels`: the level whose endpoints can give a growth goal's rate; `proxy`: the registry's
    proxy series, judged while the goal's own indicator has no figure (the record's `proxy`).
    """
    g = Goal.from_row(goal)
    today_year = dt.date.today().year if today_year is None else today_year
    extra = {"cumulative": cumulative, "levels": levels, "proxy": proxy}
    j = goals.restate(g, frame, **extra)
    lat = latest_stage(proxy.frame if proxy is not None and j.proxy else frame, j)
    notes = list(j.notes) + lat["notes"]
    v = verdict(j, today_year)
    prog = v["prog"]
    rate_ratio = None if prog is None else snap(_num(prog["rate_ratio"]))
    notes += v["notes"]
    fc = forecast_stage(j, n_paths, seed, {} if cache is None else cache, as_of, data_to)
    last = latest_point(j)
    p_attain = crossing = None
    if v["ex_post"] is not None:
        p_attain = 1.0 if v["ex_post"] == "met" else 0.0
    elif fc is not None and last is not None and g.target_year > last[0]:
        p_attain = _num(fc.prob(j.cmp, j.goal_value, g.target_year, j.sign))
        notes.extend(fc.notes)
    if fc is not None:
        crossing = median_crossing_year(fc.crossing(j.cmp, j.goal_value, j.sign))
    elif last is not None:
        met = [int(y) for y, x in j.hist.items() if rates.meets(x, j.cmp, j.goal_value, j.sign)]
        crossing = min(met) if met else None
        if v["ex_post"] is None:
            notes.append(
                f"{j.proxy or g.indicator}: {plural(len(j.hist))}"
                f"{' in the chained index' if g.kind in CHAINED else ''}; "
                f"P(goal met) needs at least {MIN_FORECAST_POINTS}"
            )
    rec: AssessmentRecord = {  # in the order of dgm.engine.record (the JSON's order)
        "target_id": g.id,
        "indicator": g.indicator,
        "status": v["status"],
        "latest_year": lat["latest_year"],
        "latest_value": lat["latest_value"],
        "latest_kind": lat["latest_kind"],
        "required_rate": None if prog is None else _num(prog["required_rate"]),
        "observed_rate": None if prog is None else _num(prog["observed_rate"]),
        "rate_ratio": rate_ratio,
        "escap_gap": v["escap_gap"],
        "unsd_q": v["unsd_q"],
        "p_attain": p_attain,
        "crossing_year_median": crossing,
        "notes": "; ".join(dict.fromkeys(notes)),
        "kind": g.kind,
        "comparison": g.comparison,
        "target_value": g.target_value,
        "target_year": g.target_year,
        "unit": g.unit,
        "direction": j.direction,
        "baseline_year": j.base[0] if j.base else None,
        "baseline_value": j.base[1] if j.base else None,
        "baseline_rule": j.baseline_rule,
        "proxy": j.proxy,
        "ex_post": v["ex_post"] or "unknown",
        **_rate_method(prog),
        # the schemes' categories are trend words: only on a measured trend
        "eurostat_category": (
            rates.eurostat_category(nan_for_none(rate_ratio)) if v["trend"] else None
        ),
        "escap_category": rates.escap_category(nan_for_none(v["escap_gap"])),
        "unsd_category": rates.unsd_category(nan_for_none(v["unsd_q"])),
        **_models(fc),
        "evidence": v["evidence"],
        "reading": v["reading"],
        "reading_zh": v["reading_zh"],
        "basis": v["basis"],
        "basis_year": basis_year(v["basis"], last, lat["latest_year"], g.target_year),
        **figures_used(j),
        "min_reliability": goals.min_reliability(j.used),
        "bridged_years": list(j.bridged),
        "robustness": robustness(j, frame, extra, today_year, v),
    }
    return Assessment(rec, j, fc)


class _RateMethod(TypedDict, total=False):
    """The record's `rate_method`, present only with a rate."""

    rate_method: str


def _rate_method(prog: Progress | None) -> _RateMethod:
    """{'rate_method': compound or linear} with a rate, else {} (the key is left out)."""
    return {} if prog is None else {"rate_method": prog["method"]}


class _Models(TypedDict, total=False):
    """The record's `models`, present only with a forecast."""

    models: list[str]


def _models(fc: Forecast | None) -> _Models:
    """{'models': the ensemble's members} with a forecast, else {} (the key is left out)."""
    return {} if fc is None else {"models": list(fc.members)}


def assess_goal(
    goal, frame: pd.DataFrame, n_paths: int = N_PATHS, seed: int = SEED, **kw
) -> AssessmentRecord:
    """The record (JSON fields) of evaluate(): one goal's verdict as a dict."""
    return evaluate(goal, frame, n_paths=n_paths, seed=seed, **kw).record


def view_year(as_of=None, data_to: int | None = None) -> int:
    """The year a verdict is read in: the as-of date's, else the data-to year, else this year."""
    from dgm.data.loaders import as_of_date

    day = as_of_date(as_of)
    if day is not None:
        return day.year
    return int(data_to) if data_to is not None else dt.date.today().year


def _evaluate_in_view(g: Goal, frame, n_paths, seed, cache, as_of, data_to) -> Assessment:
    """evaluate() for a goal in a view (as-of date, data-to year), the view stamped on its record."""
    extra = goals.companions(g, as_of, data_to)
    a = evaluate(
        g,
        frame,
        n_paths,
        seed,
        cache,
        today_year=view_year(as_of, data_to),
        as_of=as_of,
        data_to=data_to,
        **extra,
    )
    a.record["as_of"] = as_of.isoformat() if isinstance(as_of, dt.date) else as_of
    a.record["data_to"] = data_to
    a.record["pseudo_real_time"] = data_to is not None
    return a


@stored  # computed once per report (dgm.data.results_store)
def assessments(
    as_of=None, n_paths: int = N_PATHS, seed: int = SEED, data_to: int | None = None
) -> list[Assessment]:
    """Every goal of the registry, assessed once (records, judged series, forecasts).

    `as_of`: a year or a date; only figures published by then. `data_to`: only figures for years up
    to it, from any vintage (pseudo-real-time).
    """
    all_goals = goals.load_goals().values()
    frames = series_frames({g.indicator for g in all_goals}, as_of, data_to)
    cache: dict = {}
    return [
        _evaluate_in_view(g, frames[g.indicator], n_paths, seed, cache, as_of, data_to)
        for g in all_goals
    ]


def assessment(
    target_id: str, as_of=None, n_paths: int = N_PATHS, seed: int = SEED, data_to=None
) -> Assessment:
    """One goal's Assessment, with the same frames and seeding as assessments() gives it (taken
    from a report's stored assessments() of the same view when there is one)."""
    every = lookup(assessments, as_of, n_paths, seed, data_to)
    for a in every or ():
        if a.record["target_id"] == target_id:
            return a
    g = goals.goal(target_id)
    frame = series_frames([g.indicator], as_of, data_to)[g.indicator]
    return _evaluate_in_view(g, frame, n_paths, seed, {}, as_of, data_to)


def assess_all(
    as_of=None, n_paths: int = N_PATHS, seed: int = SEED, data_to: int | None = None
) -> list[AssessmentRecord]:
    """The records of assessments(): one verdict per goal of the registry."""
    return [a.record for a in assessments(as_of, n_paths, seed, data_to)]


def escap_sensitivity(as_of=None, half_lives=ESCAP_HALF_LIVES) -> pd.DataFrame:
    """ESCAP gap per goal (rows) and weight half-life in years (columns; inf = unweighted OLS).

    Only goals with a baseline and at least two points on their judged series get a row; the
    target year's own figure, when published, replaces the projection as in assess_goal.
    """
    rows = {}
    for g in goals.load_goals().values():
        j = goals.judged(g, as_of)
        if j.base is None or len(j.hist) < 2:
            continue
        prog, _ = rates_stage(j)
        if g.kind in CHAINED and prog is None:
            continue
        rows[g.id] = {hl: schemes_stage(j, prog, hl)[0] for hl in half_lives}
    out = pd.DataFrame.from_dict(rows, orient="index", columns=list(half_lives))
    out.index.name, out.columns.name = "target_id", "half_life_years"
    return out


def view_label(as_of=None, data_to: int | None = None) -> str:
    """What figures a view uses, in words ('pseudo-real-time' whenever data_to is set)."""
    from dgm.data.loaders import as_of_date

    parts, day = [], as_of_date(as_of)
    if day is not None:
        parts.append(f"figures published by {day.isoformat()}")
    if data_to is not None:
        parts.append(f"figures for years up to {data_to} from any vintage (pseudo-real-time)")
    return "; ".join(parts) or "all figures"


__all__ = [
    "Assessment",
    "assess_all",
    "assess_goal",
    "assessment",
    "assessments",
    "evaluate",
    "STATUSES",
    "FIELDS",
]
