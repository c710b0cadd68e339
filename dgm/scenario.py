"""Scenario maths: (history, goal, growth, start year) → path, required rate, verdict.

Everything above the "edges" line is pure: the explorer (dgm.explorer) calls `update` on every
slider step and draws what it returns. Growth rates are fractions per year (0.065 = 6.5 %/yr),
values are in the indicator's catalogue unit; a reduction goal and a yearly-growth goal are
restated on an index (baseline year = 100) chained from the published yearly % changes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import pandas as pd

from dgm.constants import BOUND_KINDS, TO_YEAR
from dgm.data import load_observations, load_targets, state

# Slider range for growth, as fractions per year.
GROWTH_MIN, GROWTH_MAX = -0.30, 0.40
# Goal kinds `update` draws as a path of levels (a growth-rate goal is a rate, not a path).
PATH_KINDS = ("level", "share", "count", "index", "reduction_vs_baseline")
# Registry kinds restated on an index chained from yearly % changes (baseline year = 100).
CHAINED = ("growth_rate", "reduction_vs_baseline")
# Default last year drawn.
HORIZON = TO_YEAR
# Names of the preset scenarios (zh, en), for charts and tables.
PRESET_LABELS = {
    "observed": ("按实际年均增速", "observed yearly rate"),
    "half_observed": ("实际增速减半", "half the observed rate"),
    "required": ("达标所需增速", "rate the goal requires"),
    "policy_baseline": ("政策基期隐含增速", "rate implied from the policy's baseline"),
    "user": ("自选情景", "your scenario"),
}


@dataclass(frozen=True)
class Goal:
    """One goal of the registry, reduced to what a path needs (values in the unit of the path)."""

    target_id: str
    indicator: str
    goal_value: float  # on the path's scale: a level, a share, or an index (baseline = 100)
    target_year: int
    comparison: str = ">="  # one of >=, >, <=, <, ~
    kind: str = "level"
    baseline_year: int | None = None
    label: str = ""
    unit: str = ""


@dataclass(frozen=True)
class ScenarioView:
    """What the explorer shows for one slider state."""

    goal: Goal
    growth: float  # the scenario's yearly growth (fraction)
    start_year: int
    start_value: float
    start_kind: str  # kind of the observation the path starts from (exact, lower_bound, …)
    path: pd.Series  # scenario path, start_year … to_year, marked as a projection by its name
    latest_year: int
    latest_value: float
    required_rate: float | None  # yearly growth from the latest year that exactly reaches the goal
    required_path: pd.Series  # latest_year … target_year at required_rate (empty if undefined)
    value_at_target_year: float
    meets_goal: bool
    crossing_year: int | None  # first year the scenario path meets the goal (None: not by to_year)
    notes: tuple[str, ...] = field(default_factory=tuple)

    def summary(self) -> dict:
        """The view as one flat dict of plain numbers (rates in %/yr, unrounded), for tables and tests."""
        pct = None if self.required_rate is None else 100 * self.required_rate
        return {
            "target_id": self.goal.target_id,
            "indicator": self.goal.indicator,
            "start_year": self.start_year,
            "start_value": self.start_value,
            "growth_pct": 100 * self.growth,
            "target_year": self.goal.target_year,
            "goal_value": self.goal.goal_value,
            "value_at_target_year": self.value_at_target_year,
            "meets_goal": self.meets_goal,
            "crossing_year": self.crossing_year,
            "latest_year": self.latest_year,
            "latest_value": self.latest_value,
            "required_rate_pct": pct,
        }


def project(start_year: int, start_value: float, growth: float, to_year: int) -> pd.Series:
    """Compound path start_value·(1+growth)^(year−start_year), start_year … to_year (unit kept)."""
    if growth <= -1:
        raise ValueError(f"growth must be above -100 % a year, got {100 * growth:.1f} %")
    years = np.arange(int(start_year), int(to_year) + 1)
    values = start_value * (1.0 + growth) ** (years - int(start_year)).astype(float)
    return pd.Series(values, index=pd.Index(years, name="year"), name="scenario", dtype=float)


def required_rate(start_year: int, start_value: float, goal_value: float, goal_year: int) -> float:
    """Yearly compound growth (fraction) from start_value in start_year to goal_value in goal_year.

    dgm.rates.compound_rate, with a ValueError instead of NaN so the explorer can say why.
    Doubling in ten years needs 2**(1/10) − 1 = 7.177 %/yr; a 30 % cut in ten years −3.504 %/yr.
    """
    from dgm import rates

    if int(goal_year) <= int(start_year):
        raise ValueError(f"goal year {goal_year} is not after the start year {start_year}")
    r = rates.compound_rate(start_value, goal_value, int(goal_year) - int(start_year))
    if math.isnan(r):
        raise ValueError(
            f"compound growth needs positive values, got {start_value} and goal {goal_value}"
        )
    return r


def observed_rate(history: pd.Series) -> float | None:
    """Yearly compound growth (fraction) between the first and last points of a history."""
    from dgm import rates

    h = history.dropna()
    if len(h) < 2:
        return None
    r = rates.observed_rate(h.iloc[0], h.iloc[-1], int(h.index[0]), int(h.index[-1]))
    return None if math.isnan(r) else r


def meets(value: float, goal_value: float, comparison: str, sign: int | None = None) -> bool:
    """Whether value satisfies the goal (dgm.rates.meets; `~` is one-sided by direction `sign`)."""
    from dgm import rates

    if sign is None:
        sign = -1 if comparison in ("<=", "<") else 1
    if abs(value - goal_value) <= 1e-9 * abs(goal_value):  # a path computed to hit the goal hits it
        value = goal_value
    return bool(rates.meets(value, comparison, goal_value, sign))


def crossing_year(path: pd.Series, goal_value: float, comparison: str) -> int | None:
    """First year of the path that meets the goal, or None."""
    for year, value in path.items():
        if meets(value, goal_value, comparison):
            return int(year)
    return None


def _as_history(history: pd.DataFrame | pd.Series) -> tuple[pd.Series, pd.Series]:
    """(values, kinds) by int year, sorted, one per year (a point wins over a bound that year).

    From a dgm.series frame (`value`, `kind`) or a plain Series. numpy inside: every slider step
    calls it.
    """
    if isinstance(history, pd.DataFrame):
        values = history["value"].to_numpy(dtype=float)
        raw = history["kind"].to_numpy(dtype=object) if "kind" in history else [None] * len(values)
        kinds = np.array([k if isinstance(k, str) else "exact" for k in raw], dtype=object)
    else:
        values = history.to_numpy(dtype=float)
        kinds = np.full(len(values), "exact", dtype=object)
    years = np.asarray(history.index, dtype=int)
    keep = ~np.isnan(values)
    years, values, kinds = years[keep], values[keep], kinds[keep]
    order = np.lexsort((np.isin(kinds, BOUND_KINDS), years))
    years, values, kinds = years[order], values[order], kinds[order]
    first = np.r_[True, years[1:] != years[:-1]] if len(years) else np.zeros(0, bool)
    index = pd.Index(years[first], name="year")
    return pd.Series(values[first], index=index), pd.Series(kinds[first], index=index)


def update(
    history: pd.DataFrame | pd.Series,
    goal: Goal,
    growth: float,
    start_year: int | None = None,
    to_year: int | None = None,
) -> ScenarioView:
    """The explorer's one function: a slider state → the view to draw. Pure; no I/O, no drawing.

    history: dgm.series frame (`value`, `kind`) or a Series by year, on the goal's scale.
    growth: yearly growth of the scenario (fraction);
    start_year: an observed year (default: the latest).
    """
    if goal.kind not in PATH_KINDS:
        raise ValueError(
            f"{goal.target_id}: a {goal.kind} goal is a rate, not a level; "
            "the explorer draws levels"
        )
    values, kinds = _as_history(history)
    if values.empty:
        raise ValueError(f"{goal.target_id}: no observed figure for {goal.indicator}")
    latest_year, latest_value = int(values.index[-1]), float(values.iloc[-1])
    if start_year is None:
        start_year = latest_year
    if start_year not in values.index:
        earlier = values.index[values.index <= start_year]
        if earlier.empty:
            raise ValueError(
                f"{goal.target_id}: no observed figure for {goal.indicator} "
                f"in or before {start_year}"
            )
        start_year = int(earlier[-1])
    start_value = float(values.loc[start_year])
    start_kind = str(kinds.loc[start_year])
    last = max(int(to_year or HORIZON), goal.target_year)
    path = project(start_year, start_value, growth, last)
    if goal.kind == "share":  # a share cannot pass 100 %
        path[:] = np.minimum(path.to_numpy(), 100.0)
    notes = []
    if start_kind in BOUND_KINDS:
        notes.append(f"starts from a {start_kind.replace('_', ' ')}: the path is a bound too")
    try:
        req = required_rate(latest_year, latest_value, goal.goal_value, goal.target_year)
        req_path = project(latest_year, latest_value, req, goal.target_year)
        req_path.name = "required"
    except ValueError as err:
        req, req_path = None, pd.Series(dtype=float, name="required")
        notes.append(str(err))
    at_target = float(path.loc[goal.target_year]) if goal.target_year in path.index else math.nan
    if goal.target_year < start_year:
        at_target = float(values.get(goal.target_year, math.nan))
        notes.append("the target year is before the start year: the verdict uses the data")
    return ScenarioView(
        goal=goal,
        growth=float(growth),
        start_year=int(start_year),
        start_value=start_value,
        start_kind=start_kind,
        path=path,
        latest_year=latest_year,
        latest_value=latest_value,
        required_rate=req,
        required_path=req_path,
        value_at_target_year=at_target,
        meets_goal=bool(
            not math.isnan(at_target) and meets(at_target, goal.goal_value, goal.comparison)
        ),
        crossing_year=crossing_year(path, goal.goal_value, goal.comparison),
        notes=tuple(notes),
    )


def presets(history: pd.DataFrame | pd.Series, goal: Goal) -> dict[str, float]:
    """Named growth rates (fractions) for headless runs, derived from the data and the goal.

    - `observed`: the compound rate over the whole history;
    - `required`: what the latest year needs to reach the goal exactly;
    - `half_observed`: a slowdown to half the observed rate;
    - `policy_baseline`: the rate the policy implied from its baseline to its goal, if known.
    """
    values, _ = _as_history(history)
    out: dict[str, float] = {}
    obs = observed_rate(values)
    if obs is not None:
        out["observed"] = obs
        out["half_observed"] = obs / 2
    if not values.empty:
        try:
            out["required"] = required_rate(
                int(values.index[-1]), float(values.iloc[-1]), goal.goal_value, goal.target_year
            )
        except ValueError:
            pass
    if goal.baseline_year is not None and goal.baseline_year in values.index:
        try:
            out["policy_baseline"] = required_rate(
                goal.baseline_year,
                float(values.loc[goal.baseline_year]),
                goal.goal_value,
                goal.target_year,
            )
        except ValueError:
            pass
    return out


def preset_table(history: pd.DataFrame | pd.Series, goal: Goal, extra: dict | None = None):
    """One row per preset (and per `extra` name → growth fraction): the view's summary, sorted."""
    rates = presets(history, goal) | dict(extra or {})
    rows = [{"scenario": name} | update(history, goal, g).summary() for name, g in rates.items()]
    return pd.DataFrame(rows).sort_values("scenario", kind="stable").reset_index(drop=True)


# ---- edges: data lookup and drawing (not pure) ---------------------------------------------


def goal_from_target(row, lang: str = "en") -> Goal:
    """A Goal from a row of dgm.load_targets(), on the scale the goal is judged on.

    A reduction ("down at least 30 %") becomes an index goal: the index (baseline year = 100) must
    end at or below 100 − 30 = 70. A yearly-growth goal ("at least 10 % a year from 2014") becomes
    an index goal too: 100·1.10^(2025 − 2014) = 285.3 in the target year.
    """
    kind = str(row["kind"])
    value = float(row["target_value"])
    comparison = str(row["comparison"])
    baseline = row.get("baseline_year")
    baseline = None if pd.isna(baseline) else int(baseline)
    if kind == "reduction_vs_baseline":
        value = 100.0 - value
        comparison = {">=": "<=", ">": "<", "<=": ">=", "<": ">"}.get(comparison, comparison)
    elif kind == "growth_rate":
        value = 100.0 * (1 + value / 100) ** (int(row["target_year"]) - _chain_base(row))
        kind = "index"
    label = {"zh": row.get("label_zh"), "en": row.get("label_en")}.get(lang)
    if label is None:  # both
        label = f"{row.get('label_zh', '')} · {row.get('label_en', '')}"
    return Goal(
        target_id=str(row["id"] if "id" in row else row.name),
        indicator=str(row["indicator"]),
        goal_value=value,
        target_year=int(row["target_year"]),
        comparison=comparison,
        kind=kind,
        baseline_year=baseline,
        label=str(label),
        unit="index" if str(row["kind"]) in CHAINED else str(row.get("unit", "")),
    )


def _chain_base(row) -> int:
    """Baseline year of a chained goal: the registry's, else the year before the target's decade."""
    base = row.get("baseline_year")
    return int(row["target_year"]) - 11 if pd.isna(base) else int(base)


def history_for(target_id: str, as_of: int | None = None) -> pd.DataFrame:
    """The observed history of a goal on the scale it is judged on, as known at the end of as_of.

    Cached per state of data/raw (dgm.data.state): the as-of slider moves between a handful of
    vintages, each read once, and a figure imported meanwhile is seen at the next call.
    """
    return _history_for(target_id, as_of, state())


@lru_cache(maxsize=256)
def _history_for(target_id: str, as_of, key: tuple) -> pd.DataFrame:
    """history_for() for one state of data/raw."""
    return goal_history(load_targets().set_index("id").loc[target_id], as_of)


def judged(target_id: str, as_of: int | None = None, lang: str = "en") -> tuple[Goal, pd.DataFrame]:
    """(goal, history) restated on the series the goal is judged on: the explorer's one data access.

    Cached like history_for (a slider step must not re-read the registry).
    """
    return _judged(target_id, as_of, lang, state())


@lru_cache(maxsize=1024)
def _judged(target_id: str, as_of, lang: str, key: tuple) -> tuple[Goal, pd.DataFrame]:
    """judged() for one state of data/raw."""
    row = load_targets().set_index("id").loc[target_id]
    return goal_from_target(row, lang), history_for(target_id, as_of)


def goal_history(row, as_of: int | None = None) -> pd.DataFrame:
    """A goal's history on the scale it is judged on, shaped like dgm.series (dgm.goals.judged).

    A reduction's yearly % changes are chained into an index (baseline year = 100, unit "index");
    other goals get their figures as dgm.series gives them (plan targets left out).
    """
    from dgm import goals

    return goals.judged(row, as_of).frame()


def has_history(target_id: str, as_of: int | None = None) -> bool:
    """Whether the explorer can draw a goal: a path or chained kind and at least one figure."""
    targets = load_targets().set_index("id")
    if target_id not in targets.index or targets.at[target_id, "kind"] not in PATH_KINDS + CHAINED:
        return False
    try:
        return len(history_for(target_id, as_of)) > 0
    except (KeyError, ValueError):
        return False


def preset_rows(target_ids, growth_pct: dict, as_of: int | None = None) -> pd.DataFrame:
    """Every preset scenario of every goal, plus the user's (`user`: growth_pct[goal] %/yr)."""
    targets = load_targets().set_index("id")
    frames = []
    for t in target_ids:
        goal = goal_from_target(targets.loc[t])
        user = {"user": growth_pct[t] / 100} if t in growth_pct else {}
        frames.append(preset_table(history_for(t, as_of), goal, extra=user))
    if not frames:
        return pd.DataFrame()
    out = pd.concat(frames, ignore_index=True)
    first = ["target_id", "scenario"]
    return out[first + [c for c in out.columns if c not in first]]


def preset_paths(target_id: str, growth_pct: dict, as_of: int | None = None) -> dict:
    """{scenario name: projected path} for one goal: the presets plus the user's growth, sorted."""
    row = load_targets().set_index("id").loc[target_id]
    goal, history = goal_from_target(row), history_for(target_id, as_of)
    rates_ = presets(history, goal)
    if target_id in growth_pct:
        rates_["user"] = growth_pct[target_id] / 100
    return {name: update(history, goal, g).path for name, g in sorted(rates_.items())}


def explorable(as_of: int | None = None) -> list[str]:
    """Ids of every goal the explorer can draw (a judged series with a figure), registry order."""
    return [t for t in load_targets()["id"] if has_history(t, as_of)]


def vintage_years() -> list[int]:
    """Years in which the observations were published (the as-of slider's positions)."""
    vintages = load_observations()["vintage"].dropna().astype(str).str[:4]
    return sorted({int(v) for v in vintages if v.isdigit()})
