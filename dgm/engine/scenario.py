"""Scenario maths: (history, goal, growth, start year) → path, required rate, verdict.

Everything above the "edges" line is pure: the explorer (dgm.present.explorer) calls `update` on every
slider step and draws what it returns. Growth rates are fractions per year (0.065 = 6.5 %/yr),
values are on the series the goal is judged on (dgm.engine.goals, the one home of that restating: a
reduction goal and a yearly-growth goal become an index chained from the published yearly % changes,
first year of the chain = 100). The observed rate is the scorecard's (dgm.engine.rate_comparison.rates_stage).
Notes are `Note`s: a key of dgm.words.TEXT and its values, read in any language.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import pandas as pd

from dgm.constants import BOUND_KINDS, TO_YEAR
from dgm.data.loaders import load_observations, load_targets, state

# The growth slider's usual range, as fractions per year; a goal whose required or observed rate
# lies outside it gets a wider range (growth_range), never wider than GROWTH_FLOOR … GROWTH_CEIL.
GROWTH_MIN, GROWTH_MAX = -0.30, 0.40
GROWTH_FLOOR, GROWTH_CEIL = -0.90, 1.00
GROWTH_ROOM = 0.05  # room kept beyond a rate the range is widened for, so none opens at a limit
GROWTH_STEP = 0.001  # the slider's step (0.1 %/yr): defaults are rounded to it
# Goal kinds `update` draws as a path of levels (a growth-rate goal is a rate, not a path).
PATH_KINDS = ("level", "share", "count", "index", "reduction_vs_baseline")
# Default last year drawn.
HORIZON = TO_YEAR


@dataclass(frozen=True)
class Note:
    """A note for the reader: a key of dgm.words.TEXT and the values its words take.

    `text(lang)` reads it in zh, en or both; str() is the English (for errors and logs).
    """

    key: str
    values: tuple = ()  # (name, value) pairs filled into the words

    @classmethod
    def of(cls, key: str, **values) -> Note:
        """Note("key", values as keywords)."""
        return cls(key, tuple(values.items()))

    def text(self, lang: str = "en") -> str:
        """The note's words in lang (both: Chinese, then English)."""
        from dgm.labels import t

        return t(self.key, lang, " / ", **dict(self.values))

    def __str__(self) -> str:
        return self.text("en")


class ScenarioError(ValueError):
    """A state `update` cannot draw, with the reason as a Note (readable in any language)."""

    def __init__(self, note: Note):
        super().__init__(str(note))
        self.note = note


@dataclass(frozen=True)
class Goal:
    """One goal of the registry, reduced to what a path needs (values in the unit of the path)."""

    target_id: str
    indicator: str
    goal_value: float  # on the path's scale: a level, a share, or an index (first year = 100)
    target_year: int
    comparison: str = ">="  # one of >=, >, <=, <, ~
    kind: str = "level"
    baseline_year: int | None = None  # the judged series' baseline (a chained index's 100)
    label: str = ""
    unit: str = ""

    @property
    def sign(self) -> int:
        """+1 when more is better, -1 when less is (a "~" goal counts as more-is-better)."""
        return -1 if self.comparison in ("<=", "<") else 1


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
    latest_kind: str
    required_rate: float | None  # yearly growth from the latest year that exactly reaches the goal
    required_path: pd.Series  # latest_year … target_year at required_rate (empty if undefined)
    value_at_target_year: float
    meets_goal: bool
    crossing_year: int | None  # first year the scenario path meets the goal (None: not by to_year)
    already_met: bool = False  # the latest figure is already at the goal: no required path
    notes: tuple[Note, ...] = field(default_factory=tuple)

    def summary(self) -> dict:
        """The view as one flat dict of plain numbers (rates in %/yr, unrounded; NaN where there
        is no required rate), for tables and tests."""
        pct = math.nan if self.required_rate is None else 100 * self.required_rate
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

    dgm.engine.rates.compound_rate, with a ScenarioError instead of NaN so the explorer can say why.
    Doubling in ten years needs 2**(1/10) − 1 = 7.177 %/yr; a 30 % cut in ten years −3.504 %/yr.
    """
    from dgm.engine import rates

    if int(goal_year) <= int(start_year):
        raise ScenarioError(Note.of("note_goal_year_reached", year=int(goal_year)))
    r = rates.compound_rate(start_value, goal_value, int(goal_year) - int(start_year))
    if math.isnan(r):
        raise ScenarioError(Note.of("note_not_positive"))
    return r


def meets(value: float, goal_value: float, comparison: str, sign: int | None = None) -> bool:
    """Whether value satisfies the goal (dgm.engine.rates.meets; `~` is one-sided by direction `sign`)."""
    from dgm.engine import rates

    if sign is None:
        sign = -1 if comparison in ("<=", "<") else 1
    if abs(value - goal_value) <= 1e-9 * abs(goal_value):  # a path computed to hit the goal hits it
        value = goal_value
    return bool(rates.meets(value, comparison, goal_value, sign))


def met_by(value: float, kind: str, goal: Goal) -> bool:
    """Whether one published figure shows the goal met: a point that meets it, or a bound that
    can only meet it (a lower bound above a higher-is-better goal; dgm.engine.rates.bound_verdict)."""
    from dgm.engine import rates

    if kind in BOUND_KINDS:
        verdict = rates.bound_verdict(kind, value, goal.comparison, goal.goal_value, goal.sign)
        return verdict == "met"
    return meets(value, goal.goal_value, goal.comparison)


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
    start_year: an observed year (default: the latest; a year without a figure: the one before).
    A goal the latest figure already meets (in or before its year) has no required path
    (`already_met`; whether it is met is still decided by its year's figure).
    """
    if goal.kind not in PATH_KINDS:
        raise ValueError(
            f"{goal.target_id}: a {goal.kind} goal is a rate, not a level; "
            "the explorer draws levels"
        )
    values, kinds = _as_history(history)
    if values.empty:
        raise ScenarioError(Note.of("note_no_figure"))
    latest_year, latest_value = int(values.index[-1]), float(values.iloc[-1])
    latest_kind = str(kinds.iloc[-1])
    if start_year is None:
        start_year = latest_year
    if start_year not in values.index:
        earlier = values.index[values.index <= start_year]
        if earlier.empty:
            raise ScenarioError(Note.of("note_no_figure_by", year=int(start_year)))
        start_year = int(earlier[-1])
    start_value = float(values.loc[start_year])
    start_kind = str(kinds.loc[start_year])
    last = max(int(to_year or HORIZON), goal.target_year)
    path = project(start_year, start_value, growth, last)
    if goal.kind == "share":  # a share cannot pass 100 %
        path[:] = np.minimum(path.to_numpy(), 100.0)
    notes = []
    if start_kind in BOUND_KINDS:
        notes.append(Note.of(f"note_{start_kind}_start"))
    already = latest_year <= goal.target_year and met_by(latest_value, latest_kind, goal)
    req, req_path = None, pd.Series(dtype=float, name="required")
    if not already:
        try:
            req = required_rate(latest_year, latest_value, goal.goal_value, goal.target_year)
            req_path = project(latest_year, latest_value, req, goal.target_year)
            req_path.name = "required"
        except ScenarioError as err:
            notes.append(err.note)
    at_target = float(path.loc[goal.target_year]) if goal.target_year in path.index else math.nan
    if goal.target_year < start_year:
        at_target = float(values.get(goal.target_year, math.nan))
        notes.append(Note.of("note_target_before_start"))
    return ScenarioView(
        goal=goal,
        growth=float(growth),
        start_year=int(start_year),
        start_value=start_value,
        start_kind=start_kind,
        path=path,
        latest_year=latest_year,
        latest_value=latest_value,
        latest_kind=latest_kind,
        required_rate=req,
        required_path=req_path,
        value_at_target_year=at_target,
        meets_goal=bool(
            not math.isnan(at_target) and meets(at_target, goal.goal_value, goal.comparison)
        ),
        crossing_year=crossing_year(path, goal.goal_value, goal.comparison),
        already_met=already,
        notes=tuple(notes),
    )


def presets(
    history: pd.DataFrame | pd.Series, goal: Goal, observed: float | None = None
) -> dict[str, float]:
    """Named growth rates (fractions) for headless runs, derived from the data and the goal.

    - `observed`: the observed yearly rate as given (the scorecard's, dgm.engine.rate_comparison.rates_stage;
      `observed_rate_for` looks it up); left out when None;
    - `half_observed`: a slowdown to half the observed rate;
    - `required`: what the latest year needs to reach the goal exactly (not for a goal met already);
    - `policy_baseline`: the rate the policy implied from its baseline to its goal, if known.
    """
    values, _ = _as_history(history)
    out: dict[str, float] = {}
    if observed is not None and math.isfinite(observed):
        out["observed"] = float(observed)
        out["half_observed"] = float(observed) / 2
    if not values.empty:
        view = update(history, goal, 0.0)
        if view.required_rate is not None:
            out["required"] = view.required_rate
    if goal.baseline_year is not None and goal.baseline_year in values.index:
        try:
            out["policy_baseline"] = required_rate(
                goal.baseline_year,
                float(values.loc[goal.baseline_year]),
                goal.goal_value,
                goal.target_year,
            )
        except ScenarioError:
            pass
    return out


def preset_table(
    history: pd.DataFrame | pd.Series,
    goal: Goal,
    observed: float | None = None,
    extra: dict | None = None,
):
    """One row per preset (and per `extra` name → growth fraction): the view's summary, sorted
    (no row when the goal has no preset and no `extra`)."""
    rates = presets(history, goal, observed) | dict(extra or {})
    rows = [{"scenario": name} | update(history, goal, g).summary() for name, g in rates.items()]
    if not rows:  # no rate to show (no observed rate, no required path, no baseline)
        return pd.DataFrame(columns=["scenario", *update(history, goal, 0.0).summary()])
    return pd.DataFrame(rows).sort_values("scenario", kind="stable").reset_index(drop=True)


def growth_range(*rates: float | None) -> tuple[float, float]:
    """The growth slider's (min, max), fractions per year: GROWTH_MIN … GROWTH_MAX, widened to
    hold each rate given with GROWTH_ROOM to spare (in whole 5 %/yr), within GROWTH_FLOOR … CEIL.
    """
    known = [r for r in rates if r is not None and math.isfinite(r)]
    lo = min([GROWTH_MIN, *(r - GROWTH_ROOM for r in known)])
    hi = max([GROWTH_MAX, *(r + GROWTH_ROOM for r in known)])
    lo, hi = math.floor(round(lo * 20, 9)) / 20, math.ceil(round(hi * 20, 9)) / 20
    return max(lo, GROWTH_FLOOR), min(hi, GROWTH_CEIL)


def default_growth(
    observed: float | None, view: ScenarioView, limits: tuple[float, float]
) -> tuple[float, Note | None]:
    """(growth, why) a goal's slider opens at, fraction per year on the slider's step.

    The observed rate (the scorecard's) when there is one, else the rate the goal requires
    (rounded the way that still reaches the goal), else no change; a rate outside `limits` gives
    the nearest limit. `why` is None for the observed rate inside the limits, else a Note saying
    what the slider shows instead.
    """
    from dgm.labels import minus

    def pct(r: float) -> str:
        return minus(f"{100 * r:+.1f}")

    lo, hi = limits
    snap: Callable[[float], int] = round
    if observed is not None and math.isfinite(observed):
        growth, note = observed, None
    elif view.required_rate is not None:
        growth = view.required_rate
        snap = math.ceil if view.goal.sign > 0 else math.floor
        note = Note.of(
            "note_growth_required", growth=pct(snap(round(growth / GROWTH_STEP, 6)) * GROWTH_STEP)
        )
    else:
        growth = 0.0
        note = Note.of("note_growth_met" if view.already_met else "note_growth_none")
    clamped = min(max(growth, lo), hi)
    if clamped != growth:
        note = Note.of("note_growth_outside", rate=pct(growth), growth=pct(clamped))
    return round(snap(round(clamped / GROWTH_STEP, 6)) * GROWTH_STEP, 6), note


# ---- edges: data lookup and drawing (not pure) ---------------------------------------------


def goal_from_judged(j, lang: str = "en") -> Goal:
    """A Goal on the series a dgm.engine.goals.Judged restates it on (its goal value, comparison, unit
    and baseline: a 30 % cut from a chain starting in 2016 is index ≤ 70, 2016 = 100)."""
    g = j.goal
    label = {"zh": g.label_zh, "en": g.label_en}.get(lang)
    if label is None:  # both
        label = f"{g.label_zh} · {g.label_en}"
    kind = "index" if g.kind == "growth_rate" else g.kind
    return Goal(
        target_id=g.id,
        indicator=j.proxy or g.indicator,
        goal_value=float(j.goal_value),
        target_year=g.target_year,
        comparison=j.cmp,
        kind=kind,
        baseline_year=None if j.base is None else int(j.base[0]),
        label=label,
        unit=j.unit,
    )


def goal_from_row(row, lang: str = "en", as_of: int | None = None) -> Goal:
    """A Goal from a row of dgm.load_targets(), on the series it is judged on in the shipped data
    as known at the end of as_of (dgm.engine.goals.judged)."""
    from dgm.engine import goals

    row = dict(row) | ({} if "id" in row else {"id": row.name})
    return goal_from_judged(goals.judged(row, as_of), lang)


def _judged(target_id: str, as_of: int | None = None):
    """dgm.engine.goals.judged of a goal as known at the end of as_of, cached per state of data/raw
    (dgm.data.loaders.state): sliders move back, and a figure imported meanwhile is seen at the next call."""
    return _judged_in(target_id, as_of, state())


@lru_cache(maxsize=256)
def _judged_in(target_id: str, as_of, key: tuple):
    """_judged() for one state of data/raw."""
    from dgm.engine import goals

    return goals.judged(target_id, as_of)


def history_for(target_id: str, as_of: int | None = None) -> pd.DataFrame:
    """The observed history of a goal on the scale it is judged on, as known at the end of as_of,
    shaped like dgm.series (dgm.engine.goals.Judged.frame: a chained goal's index, plan targets left out).
    """
    return _judged(target_id, as_of).frame()


def judged(target_id: str, as_of: int | None = None, lang: str = "en") -> tuple[Goal, pd.DataFrame]:
    """(goal, history) restated on the series the goal is judged on: the explorer's one data access
    (cached like _judged: a slider step must not re-read the registry)."""
    return goal_from_judged(_judged(target_id, as_of), lang), history_for(target_id, as_of)


def observed_rate_for(target_id: str, as_of: int | None = None) -> float | None:
    """The goal's observed yearly rate (fraction), as the scorecard measures it
    (dgm.engine.rate_comparison.rates_stage on the same judged series); None where the scorecard has none."""
    from dgm.engine.rate_comparison import rates_stage

    prog, _ = rates_stage(_judged(target_id, as_of))
    rate = None if prog is None else prog["observed_rate"]
    return float(rate) if rate is not None and math.isfinite(rate) else None


def has_history(target_id: str, as_of: int | None = None) -> bool:
    """Whether the explorer can draw a goal: a path or chained kind and at least one figure."""
    from dgm.engine.goals import CHAINED

    targets = load_targets().set_index("id")
    if target_id not in targets.index or targets.at[target_id, "kind"] not in PATH_KINDS + CHAINED:
        return False
    try:
        return len(history_for(target_id, as_of)) > 0
    except (KeyError, ValueError):
        return False


def preset_rows(target_ids, growth_pct: dict, as_of: int | None = None) -> pd.DataFrame:
    """Every preset scenario of every goal, plus the user's (`user`: growth_pct[goal] %/yr)."""
    frames = []
    for t in target_ids:
        goal, history = judged(t, as_of)
        user = {"user": growth_pct[t] / 100} if t in growth_pct else {}
        frame = preset_table(history, goal, observed_rate_for(t, as_of), extra=user)
        if len(frame):
            frames.append(frame)
    if not frames:
        return pd.DataFrame()
    out = pd.concat(frames, ignore_index=True)
    first = ["target_id", "scenario"]
    return out[first + [c for c in out.columns if c not in first]]


def preset_paths(target_id: str, growth_pct: dict, as_of: int | None = None) -> dict:
    """{scenario name: projected path} for one goal: the presets plus the user's growth, sorted."""
    goal, history = judged(target_id, as_of)
    rates_ = presets(history, goal, observed_rate_for(target_id, as_of))
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


def as_of_years(target_id: str) -> list[int]:
    """The vintage years by whose end a goal has a figure to draw (figures only accumulate, so
    these are the vintages from the first such year on; found by bisection)."""
    years = vintage_years()
    lo, hi = 0, len(years)
    while lo < hi:
        mid = (lo + hi) // 2
        if has_history(target_id, years[mid]):
            hi = mid
        else:
            lo = mid + 1
    return years[lo:]
