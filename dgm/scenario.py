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
# Default last year drawn.
HORIZON = 2030
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
    years = range(int(start_year), int(to_year) + 1)
    values = [start_value * (1.0 + growth) ** (y - start_year) for y in years]
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


def goal_from_target(row, lang: str = "en") -> Goal:
    """A Goal from a row of dgm.load_targets().

    A reduction (kind reduction_vs_baseline, "down at least 30 %") becomes an index goal: the
    index (baseline year = 100) must end at or below 100 − 30 = 70.
    """
    kind = str(row["kind"])
    value = float(row["target_value"])
    comparison = str(row["comparison"])
    if kind == "reduction_vs_baseline":
        value = 100.0 - value
        comparison = {">=": "<=", ">": "<", "<=": ">=", "<": ">"}.get(comparison, comparison)
    baseline = row.get("baseline_year")
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
        baseline_year=None if pd.isna(baseline) else int(baseline),
        label=str(label),
        unit="index" if kind == "reduction_vs_baseline" else str(row.get("unit", "")),
    )


@lru_cache(maxsize=256)
def history_for(target_id: str, as_of: int | None = None) -> pd.DataFrame:
    """The observed history of a goal's indicator on the goal's scale, as known at the end of as_of.

    Cached: the as-of slider moves between a handful of vintages, each read once.
    """
    import dgm

    row = dgm.load_targets().set_index("id").loc[target_id]
    return goal_history(row, as_of)


def goal_history(row, as_of: int | None = None) -> pd.DataFrame:
    """A goal's history on the scale it is judged on, shaped like dgm.series (dgm.goals.judged).

    A reduction's yearly % changes are chained into an index (baseline year = 100, unit "index");
    other goals get their figures as dgm.series gives them (plan targets left out).
    """
    from dgm import goals

    return goals.judged(row, as_of).frame()


def has_history(target_id: str, as_of: int | None = None) -> bool:
    """Whether the explorer can draw a goal: a path kind and at least one observed figure."""
    import dgm

    targets = dgm.load_targets().set_index("id")
    if target_id not in targets.index or targets.at[target_id, "kind"] not in PATH_KINDS:
        return False
    try:
        return len(history_for(target_id, as_of)) > 0
    except (KeyError, ValueError):
        return False


def preset_rows(target_ids, growth_pct: dict, as_of: int | None = None) -> pd.DataFrame:
    """Every preset scenario of every goal, plus the user's (`user`: growth_pct[goal] %/yr)."""
    import dgm

    targets = dgm.load_targets().set_index("id")
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
    import dgm

    row = dgm.load_targets().set_index("id").loc[target_id]
    goal, history = goal_from_target(row), history_for(target_id, as_of)
    rates_ = presets(history, goal)
    if target_id in growth_pct:
        rates_["user"] = growth_pct[target_id] / 100
    return {name: update(history, goal, g).path for name, g in sorted(rates_.items())}


def vintage_years() -> list[int]:
    """Years in which the observations were published (the as-of slider's positions)."""
    import dgm

    vintages = dgm.load_observations()["vintage"].dropna().astype(str).str[:4]
    return sorted({int(v) for v in vintages if v.isdigit()})


def _font_family() -> list[str]:
    """font.family for the explorer: the project's CJK font (dgm.fonts) first, DejaVu Sans after."""
    try:
        from dgm import fonts
    except ImportError:  # pragma: no cover - dgm.fonts ships with the package
        return ["DejaVu Sans"]
    return fonts.font_families()


def _text(lang: str, zh: str, en: str) -> str:
    """A label in lang = zh, en or both."""
    return {"zh": zh, "en": en}.get(lang, f"{zh} {en}")


class ExplorerFigure:
    """The explorer's chart, redrawn in place: a growth change only re-blits the scenario line.

    The observed history, the goal, the required path and the axes change only with the goal, the
    start year or the vintage; they are rendered once into a cached background. A growth change
    restores that background and draws the (animated) scenario line and its caption, unless the
    new path leaves the axes, which triggers a full redraw with new limits.
    """

    SIZE = (8.0, 4.5)  # inches
    DPI = 90
    MARGIN = 0.08  # share of the data range added above and below on a full redraw
    SLACK = 0.05  # growth (fraction/yr) either side of the current one the axes make room for

    def __init__(self, lang: str = "both"):
        import matplotlib
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        self.lang = lang
        rc = {"font.family": _font_family(), "axes.unicode_minus": True}
        with matplotlib.rc_context(rc):
            self.fig = Figure(figsize=self.SIZE, dpi=self.DPI)
            FigureCanvasAgg(self.fig)
            self.fig.subplots_adjust(left=0.09, right=0.97, top=0.88, bottom=0.1)
            ax = self.ax = self.fig.add_subplot()
            t = lambda zh, en: _text(lang, zh, en)  # noqa: E731
            (self.l_hist,) = ax.plot(
                [], [], "o-", color="#0072B2", lw=2, label=t("实际", "observed")
            )
            (self.l_path,) = ax.plot(
                [],
                [],
                "--",
                color="#D55E00",
                lw=2,
                label=t("情景（预测）", "scenario (projection)"),
            )
            (self.l_req,) = ax.plot(
                [], [], ":", color="#555555", lw=1.5, label=t("所需路径", "required path")
            )
            self.l_goal = ax.axhline(math.nan, color="#009E73", lw=1.2)
            self.t_goal = ax.text(0, 0, "", color="#009E73", va="bottom", ha="right", fontsize=9)
            self.t_info = ax.text(0.01, 0.98, "", transform=ax.transAxes, va="top", fontsize=9)
            self.title = self.fig.suptitle("", fontsize=11)
            ax.legend(loc="lower right", fontsize=8, frameon=False)
            ax.grid(alpha=0.3)
        self._dynamic = (self.l_path, self.t_info)
        self._key = None
        self._background = None
        self.full_redraws = 0

    def export_figure(self):
        """The figure for dgm.export.save: every artist static again (savefig skips animated)."""
        for artist in self._dynamic:
            artist.set_animated(False)
        self._key = None
        return self.fig

    def _caption(self, view: ScenarioView) -> str:
        """The line above the plot: scenario, verdict, required rate."""
        req = "—" if view.required_rate is None else f"{100 * view.required_rate:+.2f} %/yr"
        cross = view.crossing_year or f"> {view.path.index[-1]}"
        t = lambda zh, en: _text(self.lang, zh, en)  # noqa: E731
        met = t("是", "yes") if view.meets_goal else t("否", "no")
        return (
            f"{t('情景', 'scenario')} {100 * view.growth:+.1f} %/yr ({view.start_year}→); "
            f"{t('达成', 'goal met')}: {met} ({t('首次', 'first year')} {cross})\n"
            f"{t('所需增速', 'required')} ({view.latest_year}→{view.goal.target_year}): {req}"
        )

    def draw(self, view: ScenarioView, history: pd.DataFrame | pd.Series) -> None:
        """Draw the view into the canvas buffer (fast path when only the growth changed)."""
        values, _ = _as_history(history)
        g = view.goal
        key = (g, view.start_year, tuple(values.index), tuple(values.values), view.latest_year)
        path = view.path.to_numpy()
        ylo, yhi = self.ax.get_ylim()
        fits = path.min() >= ylo and path.max() <= yhi
        self.l_path.set_data(view.path.index, path)
        self.t_info.set_text(self._caption(view))
        if key == self._key and self._background is not None and fits:
            self.fig.canvas.restore_region(self._background)
        else:
            self._full(view, values)
            self._key = key
        for artist in self._dynamic:
            self.ax.draw_artist(artist)

    def _full(self, view: ScenarioView, values: pd.Series) -> None:
        """Redraw the static layer with new limits and cache it as the background."""
        g = view.goal
        self.full_redraws += 1
        self.l_hist.set_data(values.index, values.values)
        self.l_req.set_data(view.required_path.index, view.required_path.values)
        self.l_goal.set_ydata([g.goal_value, g.goal_value])
        self.t_goal.set_position((g.target_year, g.goal_value))
        self.t_goal.set_text(
            f"{_text(self.lang, '目标', 'goal')} {g.comparison} {g.goal_value:g} ({g.target_year})"
        )
        self.title.set_text(g.label or g.target_id)
        self.ax.set_ylabel(g.unit)
        # room for the path at ± SLACK growth, so dragging the slider mostly blits
        n = view.path.index[-1] - view.start_year
        reach = [view.start_value * (1 + view.growth + d) ** n for d in (-self.SLACK, self.SLACK)]
        if g.kind == "share":
            reach = [min(r, 100.0) for r in reach]
        data = [
            values.to_numpy(),
            view.path.to_numpy(),
            view.required_path.to_numpy(),
            [g.goal_value],
            reach,
        ]
        lo = min(float(min(d)) for d in data if len(d))
        hi = max(float(max(d)) for d in data if len(d))
        pad = self.MARGIN * (hi - lo or abs(hi) or 1.0)
        self.ax.set_ylim(lo - pad, hi + pad)
        self.ax.set_xlim(min(values.index.min(), view.start_year) - 0.5, view.path.index[-1] + 0.5)
        for artist in self._dynamic:
            artist.set_animated(True)
        self.fig.canvas.draw()
        self._background = self.fig.canvas.copy_from_bbox(self.fig.bbox)

    def png(self) -> bytes:
        """The canvas buffer as PNG bytes (what an ipywidgets.Image shows); fast compression."""
        import io

        from PIL import Image

        w, h = self.fig.canvas.get_width_height()
        img = Image.frombuffer("RGBA", (w, h), self.fig.canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
        buf = io.BytesIO()
        img.convert("RGB").save(buf, format="png", compress_level=1)
        return buf.getvalue()


class Explorer:
    """The state and the slider callback behind notebook 06 (the benchmark times `on_change`).

    One growth value is remembered per goal ("growth per indicator"); the start year and the as-of
    year are shared. Data come from `history_for` (cached per goal and vintage year).
    """

    def __init__(self, target_ids, growth_pct: dict, lang: str = "both", as_of=None, start=None):
        import dgm

        targets = dgm.load_targets().set_index("id")
        self.rows = {t: targets.loc[t] for t in target_ids}
        self.lang = lang
        self.growth_pct = {t: float(growth_pct.get(t, 0.0)) for t in target_ids}
        self.target_id = next(iter(self.rows))
        self.as_of, self.start_year = as_of, start
        self.figure = ExplorerFigure(lang)

    def goal(self, target_id: str) -> Goal:
        """The Goal of one of the explorer's targets, labelled in the explorer's language."""
        return goal_from_target(self.rows[target_id], self.lang)

    def view(self, target_id=None, growth_pct=None, start_year=None, as_of=None) -> ScenarioView:
        """Update the state with whatever is given and return the view (no drawing)."""
        self.target_id = target_id or self.target_id
        if growth_pct is not None:
            self.growth_pct[self.target_id] = float(growth_pct)
        self.start_year = start_year if start_year is not None else self.start_year
        self.as_of = as_of if as_of is not None else self.as_of
        history = history_for(self.target_id, self.as_of)
        return update(
            history,
            self.goal(self.target_id),
            self.growth_pct[self.target_id] / 100,
            self.start_year,
        )

    def on_change(self, **state) -> bytes:
        """The slider callback: recompute, redraw in place, return the PNG the widget shows."""
        v = self.view(**state)
        self.figure.draw(v, history_for(self.target_id, self.as_of))
        return self.figure.png()

    def widgets(self, as_of_years: list[int]):
        """ipywidgets UI: goal, growth (%/yr, per goal), start year, as-of year, and the chart."""
        import ipywidgets as w

        goal = w.Dropdown(options=list(self.rows), value=self.target_id, description="goal")
        growth = w.FloatSlider(
            value=self.growth_pct[self.target_id],
            min=100 * GROWTH_MIN,
            max=100 * GROWTH_MAX,
            step=0.1,
            description="growth %/yr",
            continuous_update=True,
        )
        as_of = w.SelectionSlider(
            options=as_of_years, value=self.as_of or as_of_years[-1], description="as of"
        )
        start = w.IntSlider(description="start year")
        image = w.Image(format="png")
        calc = w.HTML()

        def _years():
            h = history_for(goal.value, as_of.value)
            start.min, start.max = int(h.index.min()), int(h.index.max())
            start.value = start.max if self.start_year is None else self.start_year

        def redraw(_=None):
            image.value = self.on_change(
                target_id=goal.value,
                growth_pct=growth.value,
                start_year=start.value,
                as_of=as_of.value,
            )
            v = self.view()
            req = "—" if v.required_rate is None else f"{100 * v.required_rate:+.2f} %/yr"
            calc.value = (
                f"<b>Required path</b>: from {v.latest_year} ({v.latest_value:g}) the goal "
                f"{v.goal.comparison} {v.goal.goal_value:g} in {v.goal.target_year} needs {req}"
            )

        def on_goal(_):
            growth.value = self.growth_pct[goal.value]
            _years()
            redraw()

        goal.observe(on_goal, "value")
        as_of.observe(lambda _: (_years(), redraw()), "value")
        for s in (growth, start):
            s.observe(redraw, "value")
        _years()
        redraw()
        return w.VBox([w.HBox([goal, as_of]), w.HBox([growth, start]), calc, image])
