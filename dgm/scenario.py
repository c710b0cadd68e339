"""Scenario explorer logic: (history, goal, growth, start year) → path, required rate, verdict.

Everything here except `history_for` and `ExplorerFigure` is pure: the sliders of notebook 06 call
`update`, the figure redraws what it returns. Growth rates are fractions per year
(0.065 = 6.5 %/yr), values are in the indicator's catalogue unit; for a reduction goal the
values are an index (baseline year = 100).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache

import pandas as pd

# Slider range for growth, as fractions per year.
GROWTH_MIN, GROWTH_MAX = -0.30, 0.40
# Goals the explorer can draw as a path of levels (a growth-rate goal is a rate, not a path).
PATH_KINDS = ("level", "share", "count", "index", "reduction_vs_baseline")
# "~" goals ("about 30 %") count as met within this relative distance of the goal.
APPROX_TOLERANCE = 0.05
# Default last year drawn.
HORIZON = 2030


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
        """The view as one flat dict of plain numbers (rates in %/yr), for tables and tests."""
        pct = None if self.required_rate is None else round(100 * self.required_rate, 3)
        return {
            "target_id": self.goal.target_id,
            "indicator": self.goal.indicator,
            "start_year": self.start_year,
            "start_value": self.start_value,
            "growth_pct": round(100 * self.growth, 3),
            "target_year": self.goal.target_year,
            "goal_value": self.goal.goal_value,
            "value_at_target_year": round(self.value_at_target_year, 6),
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
    years = range(int(start_year), int(to_year) + 1)
    values = [start_value * (1.0 + growth) ** (y - start_year) for y in years]
    return pd.Series(values, index=pd.Index(years, name="year"), name="scenario", dtype=float)


def required_rate(start_year: int, start_value: float, goal_value: float, goal_year: int) -> float:
    """Yearly compound growth (fraction) from start_value in start_year to goal_value in goal_year.

    Doubling in ten years needs 2**(1/10) − 1 = 7.177 %/yr; a 30 % cut in ten years −3.504 %/yr.
    """
    years = int(goal_year) - int(start_year)
    if years <= 0:
        raise ValueError(f"goal year {goal_year} is not after the start year {start_year}")
    if start_value <= 0 or goal_value <= 0:
        raise ValueError(
            f"compound growth needs positive values, got {start_value} and goal {goal_value}"
        )
    return (goal_value / start_value) ** (1.0 / years) - 1.0


def observed_rate(history: pd.Series) -> float | None:
    """Yearly compound growth (fraction) between the first and last points of a history."""
    h = history.dropna()
    h = h[h > 0]
    if len(h) < 2 or h.index[-1] == h.index[0]:
        return None
    return (h.iloc[-1] / h.iloc[0]) ** (1.0 / (h.index[-1] - h.index[0])) - 1.0


def meets(value: float, goal_value: float, comparison: str) -> bool:
    """Whether value satisfies `value COMPARISON goal_value` ("~" within APPROX_TOLERANCE)."""
    if comparison == ">=":
        return value >= goal_value
    if comparison == ">":
        return value > goal_value
    if comparison == "<=":
        return value <= goal_value
    if comparison == "<":
        return value < goal_value
    if comparison == "~":
        return abs(value - goal_value) <= APPROX_TOLERANCE * abs(goal_value)
    raise ValueError(f"unknown comparison {comparison!r} (expected >=, >, <=, < or ~)")


def crossing_year(path: pd.Series, goal_value: float, comparison: str) -> int | None:
    """First year of the path that meets the goal, or None."""
    for year, value in path.items():
        if meets(value, goal_value, comparison):
            return int(year)
    return None


def _as_history(history: pd.DataFrame | pd.Series) -> tuple[pd.Series, pd.Series]:
    """(values, kinds) indexed by int year, sorted, from a dgm.series frame or a plain Series."""
    if isinstance(history, pd.DataFrame):
        values = history["value"].astype(float)
        kinds = history["kind"] if "kind" in history else pd.Series("exact", index=history.index)
    else:
        values = history.astype(float)
        kinds = pd.Series("exact", index=history.index)
    values = values.dropna().sort_index()
    values.index = values.index.astype(int)
    kinds = kinds.reindex(values.index).fillna("exact").astype(str)
    return values, kinds


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
    if goal.kind == "share":
        path = path.clip(upper=100.0)
    notes = []
    if start_kind in ("lower_bound", "upper_bound"):
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


def goal_from_target(row) -> Goal:
    """A Goal from a row of dgm.load_targets(); a reduction becomes an index (baseline = 100)."""
    kind = str(row["kind"])
    value = float(row["target_value"])
    if kind == "reduction_vs_baseline":
        value = 100.0 - value
    baseline = row.get("baseline_year")
    return Goal(
        target_id=str(row["id"]),
        indicator=str(row["indicator"]),
        goal_value=value,
        target_year=int(row["target_year"]),
        comparison=str(row["comparison"]),
        kind=kind,
        baseline_year=None if pd.isna(baseline) else int(baseline),
        label=str(row.get("label_en", "")),
        unit="index" if kind == "reduction_vs_baseline" else str(row.get("unit", "")),
    )


@lru_cache(maxsize=256)
def history_for(target_id: str, as_of: int | None = None) -> pd.DataFrame:
    """The observed history of a goal's indicator on the goal's scale, as known at the end of as_of.

    Cached: the as-of slider moves between a handful of vintages, each read once.
    """
    import dgm

    row = dgm.load_targets().set_index("id").loc[target_id]
    return _history_on_goal_scale(row, as_of)


def _history_on_goal_scale(row, as_of):
    """dgm.series of the goal's indicator; a reduction's yearly changes chained into an index."""
    import dgm

    s = dgm.series(row["indicator"], as_of=as_of)
    if row["kind"] != "reduction_vs_baseline":
        return s
    from dgm import rates

    return rates.chain_index(s, int(row["baseline_year"]))


class ExplorerFigure:
    """A matplotlib figure the sliders redraw in place (line data only, no new axes)."""

    def __init__(self, lang: str = "both"):
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        self.lang = lang
        self.fig = Figure(figsize=(8, 4.5), dpi=100, layout="constrained")
        FigureCanvasAgg(self.fig)
        self.ax = self.fig.add_subplot()
        ax = self.ax
        (self.l_hist,) = ax.plot([], [], "o-", color="#0072B2", lw=2, label="observed")
        (self.l_path,) = ax.plot([], [], "--", color="#D55E00", lw=2, label="scenario (projection)")
        (self.l_req,) = ax.plot([], [], ":", color="#555555", lw=1.5, label="required path")
        self.l_goal = ax.axhline(math.nan, color="#009E73", lw=1.2)
        self.t_goal = ax.text(0, 0, "", color="#009E73", va="bottom", ha="right", fontsize=9)
        self.t_info = ax.text(0.01, 0.98, "", transform=ax.transAxes, va="top", fontsize=9)
        ax.legend(loc="lower right", fontsize=8, frameon=False)
        ax.grid(alpha=0.3)

    def draw(self, view: ScenarioView, history: pd.DataFrame | pd.Series) -> None:
        """Set the lines to the view's numbers and rescale; the caller renders (display or draw)."""
        values, _ = _as_history(history)
        g = view.goal
        self.l_hist.set_data(values.index, values.values)
        self.l_path.set_data(view.path.index, view.path.values)
        self.l_req.set_data(view.required_path.index, view.required_path.values)
        self.l_goal.set_ydata([g.goal_value, g.goal_value])
        self.t_goal.set_position((g.target_year, g.goal_value))
        self.t_goal.set_text(f"goal {g.comparison} {g.goal_value:g} in {g.target_year}")
        req = "—" if view.required_rate is None else f"{100 * view.required_rate:+.2f} %/yr"
        cross = view.crossing_year or f"not by {view.path.index[-1]}"
        self.t_info.set_text(
            f"scenario {100 * view.growth:+.1f} %/yr from {view.start_year}; "
            f"goal met: {'yes' if view.meets_goal else 'no'} (first year: {cross})\n"
            f"required from {view.latest_year}: {req}"
        )
        self.ax.set_title(f"{g.label or g.target_id}: scenario path to the {g.target_year} goal")
        self.ax.set_ylabel(g.unit)
        self.ax.relim()
        self.ax.autoscale_view()
        lo, hi = self.ax.get_ylim()
        self.ax.set_ylim(min(lo, g.goal_value * 0.95), max(hi, g.goal_value * 1.05))

    def png(self) -> bytes:
        """The figure rendered as PNG bytes (what an ipywidgets.Image shows)."""
        import io

        buf = io.BytesIO()
        self.fig.savefig(buf, format="png")
        return buf.getvalue()
