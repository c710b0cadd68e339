"""Scenario explorer UI: slider state → one chart redrawn in place, with the ipywidgets around it.

The maths is dgm.engine.scenario (pure, tested there); this module owns the explorer's state (one
`State` per goal: switching goals opens the new goal at its own valid defaults), the figures
(house style, drawn into Agg buffers, only the scenario line re-blitted when just the growth
moves), the widgets of notebook 06, and the notebook `dgm explore` serves as a Voilà web app on
127.0.0.1 (dgm.run.explore starts it). Growth in the widgets is in % a year; values are on the
goal's judged scale (dgm.engine.scenario.judged). Every text shown goes through OpenCC (dgm.zh)
into simplified characters.
The chart is drawn twice, wide and narrow; the page's CSS shows the one that fits (WIDGET_CSS).
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

import pandas as pd

from dgm import labels
from dgm.constants import BOUND_KINDS
from dgm.data.loaders import load_sources, load_targets
from dgm.engine import scenario
from dgm.lang import pick
from dgm.present import style
from dgm.present.charts.figure import legend, simplified_texts, value_axis, year_axis
from dgm.present.charts.observations import draw_observations
from dgm.words import EXPLORER
from dgm.zh import simplified

# The two charts (inches): wide for a desktop page, narrow (drawn 1:1) for a phone-width page.
SIZES = {"wide": (8.0, 4.8), "narrow": (3.6, 4.8)}
SIZE = SIZES["wide"]
DPI = 100  # pixels per inch of the PNG the widget shows
NARROW_PX = 620  # the explorer's width (px) below which the narrow chart and stacked sliders show
CAP = 2.5  # the y axis reaches at most CAP × the top of data, goal and required path
SLACK = 0.05  # growth (fraction/yr) either side of the current one the axes make room for
MARGIN = 0.06  # share of the value range added above and below
# Narrow pages (a phone, a narrow JupyterLab panel): sliders one per row, each under its name,
# and the narrow chart.
WIDGET_CSS = f"""<style>
.dgm-explorer {{ container-type: inline-size; }}
.dgm-explorer .dgm-row {{ flex-wrap: wrap; }}
.dgm-explorer .dgm-narrow {{ display: none !important; }}
@container (max-width: {NARROW_PX}px) {{
  .dgm-explorer .dgm-slider {{ width: 100% !important; flex: 1 1 100% !important;
    flex-wrap: wrap; height: auto !important; }}
  .dgm-explorer .dgm-slider > .widget-label {{ width: 100% !important; max-width: none;
    text-align: left; }}
  .dgm-explorer .dgm-wide {{ display: none !important; }}
  .dgm-explorer .dgm-narrow {{ display: block !important; }}
}}
</style>"""


def word(key: str, lang: str, **fmt) -> str:
    """A widget or caption word in lang (both: Chinese, then English)."""
    zh, en = EXPLORER[key]
    return pick(zh.format(**fmt), en.format(**fmt), lang, " ")


def _registry_row(goal: scenario.Goal) -> dict:
    """A registry-like row of the goal on its judged scale, for dgm.labels.goal_text (a
    chained index's base year is on the axis, not repeated in the goal's label)."""
    return {
        "unit": "index" if labels.CHAINED_UNIT.match(goal.unit) else goal.unit,
        "target_value": goal.goal_value,
        "target_year": goal.target_year,
        "comparison": goal.comparison,
    }


def _pct(rate: float | None, lang: str, digits: int = 2) -> str:
    """A yearly rate (fraction) as '+6.50 %/年' or '+6.50 %/yr' (— when undefined)."""
    if rate is None:
        return "—"
    return labels.minus(f"{100 * rate:+.{digits}f}") + (" %/年" if lang == "zh" else " %/yr")


def _langs(lang: str) -> tuple[str, ...]:
    """The single languages of lang ("both" → zh, en)."""
    return ("zh", "en") if lang == "both" else (lang,)


def _latest(v: scenario.ScenarioView) -> str:
    """The latest figure as label text, '≥ ' before a lower bound; with as many decimals (up to 4)
    as it takes to tell it from the goal (4.001 % beside a goal of > 4 %)."""
    mark = dict(zip(BOUND_KINDS, ("≥ ", "≤ "), strict=True)).get(v.latest_kind, "")
    x, goal = v.latest_value, v.goal.goal_value
    digits = next((d for d in range(5) if round(x, d) != round(goal, d)), None) if x != goal else 0
    shown = labels.fmt_value(x, v.goal.unit)
    if digits and digits > len(shown.rstrip("%").partition(".")[2]):
        shown = labels.fmt_value(x, v.goal.unit, digits)
    return mark + shown


def _caption(v: scenario.ScenarioView, observed: float | None, lang: str) -> str:
    """One line in one language: scenario growth and start, verdict, first year met, required
    yearly change (or "already at the goal"), the scorecard's observed yearly change."""
    g, end = v.goal, int(v.path.index[-1])
    growth, req = _pct(v.growth, lang, 1), _pct(v.required_rate, lang)
    if v.already_met:
        req = word("at_goal", lang, year=v.latest_year, value=_latest(v))
    obs = word("observed", lang, rate=_pct(observed, lang)) if observed is not None else None
    obs = obs or word("no_observed", lang)
    bound = v.start_kind in BOUND_KINDS
    met = labels.t("yes" if v.meets_goal else "no", lang)
    if lang == "zh":
        first = f"{v.crossing_year}年首次达标" if v.crossing_year else f"{end}年前未达标"
        return (
            f"情景：{v.start_year}年起每年 {growth}{'（起点为下/上限）' if bound else ''}；"
            f"{g.target_year}年达标：{met}（{first}）；所需年均变化：{req}；{obs}"
        )
    first = f"first met {v.crossing_year}" if v.crossing_year else f"not met by {end}"
    return (
        f"Scenario: {growth} from {v.start_year}{' (a bound)' if bound else ''}; "
        f"goal met in {g.target_year}: {met} ({first}); required yearly change: {req}; {obs}"
    )


class ExplorerFigure:
    """The explorer's chart, one Figure per size for the whole session.

    Observations (bounds as arrows, via dgm.present.charts), goal, required path and axes change only
    with the goal, the start year or the vintage; they are drawn once and cached as a background.
    A growth step restores that background and blits the scenario line, its caption and the
    off-chart note; a path that leaves the axes triggers a full redraw with new limits.
    """

    def __init__(self, lang: str = "both", size: str = "wide"):
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        self.lang, self.size = lang, size
        with style.house_style():
            self.fig = Figure(figsize=SIZES[size], dpi=DPI)
            FigureCanvasAgg(self.fig)
            ax = self.ax = self.fig.add_subplot()
            (self.l_path,) = ax.plot(
                [], [], color=style.OKABE_ITO["orange"], lw=1.8, ls=(0, (4, 2)), zorder=3
            )
            (self.l_req,) = ax.plot([], [], color=style.GREY, lw=1.2, ls=(0, (1, 1.5)), zorder=2)
            (self.l_goal,) = ax.plot([], [], color=style.GOAL, lw=1.2, ls="-.", zorder=2)
            (self.m_goal,) = ax.plot([], [], marker="*", ms=8, color=style.GOAL, ls="none")
            self.t_goal = ax.annotate(
                "",
                xy=(0, 0),
                xytext=(-4, 4),
                textcoords="offset points",
                ha="right",
                va="bottom",
                color=style.GOAL,
                fontsize=style.BASE_FONT_PT - 0.5,
                zorder=6,
            )
            self.t_off = ax.text(
                1.0, 1.0, "", transform=ax.transAxes, ha="right", va="top", color=style.GREY
            )
            self.title = self.fig.text(0.01, 0.985, "", va="top", fontsize=style.BASE_FONT_PT + 2)
        self._static: list = []  # artists of the observations, replaced on a full redraw
        self._dynamic = (self.l_path, self.t_off)
        self._key = None
        self._background = None
        self._cap = math.inf
        self.full_redraws = 0

    def export_figure(self):
        """The figure for dgm.present.export.save: every artist static again (savefig skips animated)."""
        for artist in self._dynamic:
            artist.set_animated(False)
        self._key = None
        return self.fig

    def draw(self, view: scenario.ScenarioView, history: pd.DataFrame | pd.Series) -> None:
        """Draw the view into the canvas buffer (blit only when just the growth changed)."""
        values, _ = scenario._as_history(history)
        key = (view.goal, view.start_year, tuple(values.index), tuple(values.values))
        path = view.path.to_numpy()
        ylo, yhi = self.ax.get_ylim()
        fits = path.min() >= ylo and min(path.max(), self._cap) <= yhi
        self.l_path.set_data(view.path.index, path)
        if key == self._key and self._background is not None and fits:
            self.fig.canvas.restore_region(self._background)
        else:
            with style.house_style():
                self._full(view, history, values)
            self._key = key
        self._off_chart(view)
        for artist in self._dynamic:
            self.ax.draw_artist(artist)

    def _off_chart(self, view) -> None:
        """Say where the path ends when it leaves the top of the axes."""
        end = float(view.path.iloc[-1])
        if end > self.ax.get_ylim()[1]:
            value = labels.fmt_value(end, view.goal.unit, 0 if abs(end) >= 100 else None)
            self.t_off.set_text(f"↑ {int(view.path.index[-1])}: {value}")
        else:
            self.t_off.set_text("")

    def _limits(self, view, values: pd.Series) -> tuple[float, float]:
        """y limits: data, goal, required path and the path at growth ± SLACK, capped at CAP×top."""
        g = view.goal
        fixed = [*values.to_numpy(), g.goal_value, *view.required_path.to_numpy()]
        top = max(fixed)
        self._cap = CAP * top if top > 0 else math.inf
        n = int(view.path.index[-1]) - view.start_year
        reach = [view.start_value * (1 + view.growth + d) ** n for d in (-SLACK, SLACK)]
        if g.kind == "share":
            reach = [min(r, 100.0) for r in reach]
        path = view.path.to_numpy()
        lo = min(*fixed, *reach, path.min())
        hi = max(top, min(max(*reach, path.max()), self._cap))
        pad = MARGIN * (hi - lo or abs(hi) or 1.0)
        lo = lo - pad if lo - pad > 0 or lo < 0 else 0.0
        return lo, hi + 2 * pad

    def _full(self, view, history, values: pd.Series) -> None:
        """Redraw the static layer with new limits and cache it as the background."""
        g, lang, ax = view.goal, self.lang, self.ax
        self.full_redraws += 1
        for artist in self._static:
            artist.remove()
        before = set(ax.get_children())
        frame = history if isinstance(history, pd.DataFrame) else history.to_frame("value")
        handles = draw_observations(ax, frame, lang)
        self._static = [a for a in ax.get_children() if a not in before]
        self.l_req.set_data(view.required_path.index, view.required_path.to_numpy())
        first = min(int(values.index.min()), view.start_year)
        ax.set_xlim(first - 0.6, int(view.path.index[-1]) + 0.6)
        ax.set_ylim(*self._limits(view, values))
        self.l_goal.set_data([first - 0.6, g.target_year], [g.goal_value, g.goal_value])
        self.m_goal.set_data([g.target_year], [g.goal_value])
        self.t_goal.xy = (g.target_year, g.goal_value)
        self.t_goal.set_text(labels.goal_text(_registry_row(g), lang))
        handles += [(self.l_path, word("scenario", lang))]
        if len(view.required_path):
            handles.append((self.l_req, word("required", lang)))
        handles.append((self.l_goal, labels.t("goal", lang)))
        wide = self.size == "wide"
        legend(ax, handles, ncol=(3 if lang != "both" else 2) if wide else 1, below=True)
        width = self.fig.get_figwidth()
        cols = int(width * 72 / ((style.BASE_FONT_PT + 2) * 0.55) * 0.95)
        self.title.set_text(labels.wrap((g.label or g.target_id).replace(" · ", "\n"), cols))
        year_axis(ax)
        if not wide:  # fewer year ticks on the narrow chart
            from matplotlib.ticker import MaxNLocator

            ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=5))
        value_axis(ax)
        ax.set_ylabel(labels.unit_label(g.unit, lang))
        for artist in self._dynamic:
            artist.set_animated(True)
        simplified_texts(self.fig)
        self._layout()
        self.fig.canvas.draw()
        self._background = self.fig.canvas.copy_from_bbox(self.fig.bbox)

    def _layout(self) -> None:
        """Fit the axes, their tick labels and the legend below the title (matplotlib's
        tight_layout inside the part of the figure the title leaves). It starts from the same
        axes every time: the legend hangs at a fraction of the axes' height, so the result would
        otherwise depend on the goal drawn before."""
        renderer = self.fig.canvas.get_renderer()
        title_px = self.title.get_window_extent(renderer).height
        top = 1 - (title_px + 8) / self.fig.bbox.height - 0.015
        self.fig.subplots_adjust(left=0.1, right=0.97, bottom=0.2, top=top)
        self.fig.tight_layout(pad=0.4, rect=(0, 0, 1, top))

    def png(self) -> bytes:
        """The canvas buffer as PNG bytes (what an ipywidgets.Image shows).

        Written directly (RGB, no row filter, zlib level 1): a chart is mostly flat colour, so
        this is as small as Pillow's adaptive filtering and about twice as fast.
        """
        import struct
        import zlib

        import numpy as np

        rgba = np.asarray(self.fig.canvas.buffer_rgba())
        h, w = rgba.shape[:2]
        rows = np.zeros((h, 3 * w + 1), dtype=np.uint8)  # filter byte 0 (None) per row
        rows[:, 1:] = rgba[:, :, :3].reshape(h, -1)

        def chunk(tag: bytes, data: bytes) -> bytes:
            return (
                struct.pack(">I", len(data))
                + tag
                + data
                + struct.pack(">I", zlib.crc32(tag + data))
            )

        header = struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)  # 8-bit RGB
        return (
            b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(rows.tobytes(), 1))
            + chunk(b"IEND", b"")
        )


@dataclass(frozen=True)
class State:
    """What one goal's sliders hold. Every field is valid together: the start year is one of the
    goal's observed years as of the vintage, the growth lies in the slider's range, and that
    range holds the goal's required and observed yearly rates (dgm.engine.scenario.growth_range)."""

    target_id: str
    as_of: int  # vintage year: figures published by its end
    start_year: int
    growth_pct: float  # %/yr
    growth_min: float  # the growth slider's range, %/yr
    growth_max: float
    start_years: tuple[int, ...]  # the goal's observed years as of the vintage
    as_of_years: tuple[int, ...]  # the vintages by whose end the goal has a figure
    observed: float | None  # the scorecard's observed yearly rate (fraction), None if it has none
    why: scenario.Note | None = None  # why the growth opened where it did (None: observed rate)


class Explorer:
    """The state and the slider callbacks behind notebook 06 and `dgm explore`.

    `state` is one State for the goal shown. Choosing a goal replaces it with that goal's
    defaults (`defaults`); moving a slider replaces it with a copy in which the other fields stay
    valid. Data come from dgm.engine.scenario.judged, the observed rate from the scorecard's function.
    """

    def __init__(self, target_ids, lang: str = "both", as_of: int | None = None):
        self.target_ids = list(target_ids)
        if not self.target_ids:
            raise ValueError("the explorer needs at least one goal with a judged series")
        self.lang = lang
        self.default_as_of = as_of  # the vintage goals open at (None: the latest)
        self.figures = {size: ExplorerFigure(lang, size) for size in SIZES}
        self.figure = self.figures["wide"]
        self.state = self.defaults(self.target_ids[0])
        self.last_view: scenario.ScenarioView | None = None  # what the chart shows now

    @property
    def target_id(self) -> str:
        """The goal shown."""
        return self.state.target_id

    def goal(self, target_id: str) -> scenario.Goal:
        """The Goal of one of the explorer's goals, labelled in the explorer's language."""
        return scenario.judged(target_id, self.state.as_of, self.lang)[0]

    def label(self, target_id: str) -> str:
        """A goal's name as shown (dropdown, messages): simplified characters."""
        row = load_targets().set_index("id").loc[target_id]
        return simplified(labels.row_label(row, self.lang)) or target_id

    def history(self) -> pd.DataFrame:
        """The current goal's judged history as of the current vintage."""
        return scenario.judged(self.target_id, self.state.as_of)[1]

    def defaults(self, target_id: str) -> State:
        """A goal's opening state: the explorer's vintage (else the latest with a figure), the
        latest observed year, growth at the scorecard's observed rate (else see default_growth)."""
        vintages = tuple(scenario.as_of_years(target_id))
        as_of = self.default_as_of if self.default_as_of in vintages else vintages[-1]
        return self._valid(target_id, as_of, vintages)

    def _valid(self, target_id, as_of, vintages, start=None, growth_pct=None) -> State:
        """A State for the goal at this vintage, keeping `start` and `growth_pct` when valid."""
        goal, history = scenario.judged(target_id, as_of, self.lang)
        years = tuple(int(y) for y in scenario._as_history(history)[0].index)
        if not years:
            raise scenario.ScenarioError(scenario.Note.of("note_no_figure"))
        observed = scenario.observed_rate_for(target_id, as_of)
        view = scenario.update(history, goal, 0.0)
        keep = None if growth_pct is None else growth_pct / 100
        lo, hi = scenario.growth_range(observed, view.required_rate, keep)
        why = None
        if growth_pct is None:
            growth, why = scenario.default_growth(observed, view, (lo, hi))
            growth_pct = round(100 * growth, 1)
        return State(
            target_id=target_id,
            as_of=int(as_of),
            start_year=start if start in years else years[-1],
            growth_pct=float(growth_pct),
            growth_min=round(100 * lo, 1),
            growth_max=round(100 * hi, 1),
            start_years=years,
            as_of_years=tuple(vintages),
            observed=observed,
            why=why,
        )

    def select(self, target_id: str) -> State:
        """Show another goal, at its defaults."""
        if target_id not in self.target_ids:
            raise KeyError(f"{target_id!r} is not one of the explorer's goals")
        self.state = self.defaults(target_id)
        return self.state

    def set_growth(self, growth_pct: float) -> State:
        """Move the growth slider (%/yr, within the slider's range)."""
        s = self.state
        g = min(max(float(growth_pct), s.growth_min), s.growth_max)
        self.state = dataclasses.replace(s, growth_pct=g, why=None if g != s.growth_pct else s.why)
        return self.state

    def set_start(self, year: int) -> State:
        """Move the start-year slider (one of the goal's observed years)."""
        s = self.state
        if int(year) not in s.start_years:
            raise ValueError(f"{year} is not an observed year of {s.target_id}: {s.start_years}")
        self.state = dataclasses.replace(s, start_year=int(year))
        return self.state

    def set_as_of(self, as_of: int) -> State:
        """Move the vintage slider: the start year stays if observed by then, else the latest;
        the growth stays, the range widens to hold the vintage's required and observed rates."""
        s = self.state
        state = self._valid(s.target_id, as_of, s.as_of_years, s.start_year, s.growth_pct)
        self.state = dataclasses.replace(state, why=s.why)
        return self.state

    def view(self) -> scenario.ScenarioView:
        """The view of the current state (no drawing)."""
        s = self.state
        goal, history = scenario.judged(s.target_id, s.as_of, self.lang)
        return scenario.update(history, goal, s.growth_pct / 100, s.start_year)

    def draw(self) -> dict[str, bytes]:
        """Recompute and redraw every chart size in place; {size: PNG bytes}."""
        view = self.view()
        history = self.history()
        out = {}
        for size, fig in self.figures.items():
            fig.draw(view, history)
            out[size] = fig.png()
        self.last_view = view
        return out

    def on_change(self, target_id=None, growth_pct=None, start_year=None, as_of=None):
        """Apply a change as the widgets do (a new goal first, at its defaults), then redraw;
        {size: PNG bytes}."""
        if target_id is not None and target_id != self.target_id:
            self.select(target_id)
        if as_of is not None:
            self.set_as_of(as_of)
        if start_year is not None:
            self.set_start(start_year)
        if growth_pct is not None:
            self.set_growth(growth_pct)
        return self.draw()

    def caption(self) -> str:
        """The line(s) under the sliders for the chart shown, one per language."""
        v, obs = self.last_view, self.state.observed
        return "\n".join(simplified(_caption(v, obs, la)) for la in _langs(self.lang))

    def widgets(self):
        """The ipywidgets UI (see ExplorerWidgets): goal, growth, start year, as-of, chart."""
        return ExplorerWidgets(self).box


class ExplorerWidgets:
    """Widgets around an Explorer, always showing its State. A change that cannot be drawn
    (a bug: the State keeps every slider valid) restores the last drawn state, says why in the
    widget area and keeps the last good chart.
    """

    def __init__(self, explorer: Explorer):
        import ipywidgets as w

        ex, lang = explorer, explorer.lang
        self.ex = ex
        self.errors = 0
        wide = {"description_width": "initial"}
        choices = [(ex.label(t), t) for t in ex.target_ids]
        self.goal = w.Dropdown(
            options=choices,
            value=ex.target_id,
            description=word("goal", lang),
            style=wide,
            layout=w.Layout(width="98%"),
        )
        slider = {"style": wide, "layout": w.Layout(width="48%")}
        self.growth = w.FloatSlider(
            step=100 * scenario.GROWTH_STEP,
            readout_format=".1f",
            description=word("growth", lang),
            continuous_update=True,
            **slider,
        )
        self.as_of = w.SelectionSlider(
            options=[0], description=word("as_of", lang), continuous_update=False, **slider
        )
        self.start = w.SelectionSlider(
            options=[0], description=word("start", lang), continuous_update=False, **slider
        )
        for s in (self.growth, self.as_of, self.start):
            s.add_class("dgm-slider")
        # fixed sizes: a new image never re-lays out the page (a step is one repaint)
        self.images = {}
        for size, (width, height) in SIZES.items():
            image = w.Image(format="png", width=int(width * DPI), height=int(height * DPI))
            image.add_class(f"dgm-{size}")
            self.images[size] = image
        self.image = self.images["wide"]
        self.message = w.HTML()
        self.readout = w.HTML()
        self.calc = w.HTML()
        self._syncing = False
        self._notes: dict = {}
        self._drawn = None  # the State the chart shows
        self._sync()
        self.redraw()
        self.goal.observe(self._on_goal, "value")
        self.as_of.observe(self._on_as_of, "value")
        self.growth.observe(self._on_growth, "value")
        self.start.observe(self._on_start, "value")
        rows = [w.HBox([self.growth, self.start]), w.HBox([self.as_of])]
        for row in rows:
            row.add_class("dgm-row")
        self.box = w.VBox(
            [
                w.HTML(WIDGET_CSS),
                self.goal,
                *rows,
                self.message,
                self.readout,
                *self.images.values(),
                self.calc,
            ],
            layout=w.Layout(max_width=f"{int(SIZE[0] * DPI) + 40}px"),
        )
        self.box.add_class("dgm-explorer")

    def _sync(self) -> None:
        """Set every widget from the explorer's State, without firing the callbacks."""
        s = self.ex.state
        self._syncing = True
        try:
            self.goal.value = s.target_id
            g = self.growth  # widen first, so the new value is never clipped on the way
            g.min, g.max = min(g.min, s.growth_min), max(g.max, s.growth_max)
            g.value = s.growth_pct
            g.min, g.max = s.growth_min, s.growth_max
            for slider, options, value in (
                (self.as_of, s.as_of_years, s.as_of),
                (self.start, s.start_years, s.start_year),
            ):
                if tuple(slider.options) != options:
                    slider.options = options
                slider.value = value
                slider.disabled = len(options) < 2  # one position: nothing to move to
        finally:
            self._syncing = False

    def _change(self, apply, *args) -> None:
        """Apply a slider change to the explorer's State, then show it."""
        if self._syncing:
            return
        try:
            apply(*args)
        except Exception as err:  # the UI boundary: a failure becomes a message, never a crash
            self._failed(err)
            return
        self.redraw()

    def _on_goal(self, change) -> None:
        """A new goal: its defaults (vintage, start year, growth, range), then one redraw."""
        self._notes = {}
        self._change(self.ex.select, change["new"])

    def _on_as_of(self, change) -> None:
        """A new vintage: observed years and rates change, then one redraw."""
        self._change(self.ex.set_as_of, change["new"])

    def _on_start(self, change) -> None:
        """The user moved the start year."""
        self._change(self.ex.set_start, change["new"])

    def _on_growth(self, change) -> None:
        """The user moved the growth."""
        self._change(self.ex.set_growth, change["new"])

    def redraw(self, _=None) -> None:
        """Draw the State; on failure go back to the State last drawn and say why."""
        ex = self.ex
        try:
            pngs = ex.draw()
        except Exception as err:  # the UI boundary: any failure becomes a message, never a crash
            self._failed(err)
            return
        self._drawn = ex.state
        self._sync()
        self.message.value = ""
        self.readout.value = _escape(ex.caption(), keep_br=True)
        self.calc.value = self._calc(ex.last_view)
        for size, png in pngs.items():  # last: once a new chart shows, its words are there
            self.images[size].value = png

    def _failed(self, err: Exception) -> None:
        """Say why a change could not be drawn; the State and widgets go back to the chart's."""
        ex, lang = self.ex, self.ex.lang
        self.errors += 1
        why = err.note.text(lang) if isinstance(err, scenario.ScenarioError) else str(err)
        tried = ex.state
        msg = (
            f"⚠ {word('cannot', lang)} ({word('as_of_note', lang, y=tried.as_of)}): "
            f"{ex.label(tried.target_id)}: {why}. {word('kept', lang)}"
        )
        if self._drawn is not None:
            ex.state = self._drawn
        self._sync()
        self.message.value = (
            f"<div style='color:{style.GOAL};border-left:3px solid {style.GOAL};"
            f"padding:2px 8px'>{_escape(msg)}</div>"
        )

    def _calc(self, v: scenario.ScenarioView) -> str:
        """The required-path calculator, the notes and the sources, as HTML under the chart."""
        lang = self.ex.lang
        g = v.goal
        zh, en = (labels.goal_text(_registry_row(g), la) for la in ("zh", "en"))
        latest = _latest(v)
        if v.already_met:
            text = pick(
                f"所需路径：无，最新数据（{v.latest_year}年，{latest}）已达到{zh}",
                f"Required path: none, the latest figure ({latest} in {v.latest_year}) is "
                f"already at the goal; {en[0].lower()}{en[1:]}",
                lang,
                "<br>",
            )
        elif v.latest_year >= g.target_year:
            text = pick(
                f"所需路径：无，最新数据（{v.latest_year}年，{latest}）已在目标年份；{zh}",
                f"Required path: none, the latest figure ({latest} in {v.latest_year}) is "
                f"already in the goal's year; {en[0].lower()}{en[1:]}",
                lang,
                "<br>",
            )
        else:
            text = pick(
                f"所需路径：从{v.latest_year}年的 {latest} 到{zh}，"
                f"每年需 {_pct(v.required_rate, 'zh')}",
                f"Required path: from {latest} in {v.latest_year}, {en[0].lower()}{en[1:]} "
                f"needs {_pct(v.required_rate, 'en')}",
                lang,
                "<br>",
            )
        notes = [n.text(lang) for n in (self.ex.state.why, *v.notes) if n is not None]
        notes = "".join(f"<br><i>{_escape(simplified(n))}</i>" for n in dict.fromkeys(notes))
        return (
            f"<div style='font-size:90%;line-height:1.35'>"
            f"{_escape(simplified(text), keep_br=True)}{notes}"
            f"<br><span style='color:#555'>{self._sources(g.target_id)}</span></div>"
        )

    def _sources(self, target_id: str) -> str:
        """The footnote of the current goal and vintage (sources, policy clause), as HTML; cached."""
        key = (target_id, self.ex.state.as_of)
        if key not in self._notes:
            lang = self.ex.lang
            row = load_targets().set_index("id").loc[target_id].to_dict()
            ids = labels.source_ids(self.ex.history())
            foot = labels.source_note(
                ids, load_sources(), lang="zh" if lang == "zh" else "en", goal=row
            )
            self._notes[key] = _escape(simplified(foot)).replace("\n", "<br>")
        return self._notes[key]


def _escape(text: str, keep_br: bool = False) -> str:
    """HTML-escape text for an ipywidgets.HTML value (newlines and, optionally, <br> as breaks)."""
    import html

    out = html.escape(text).replace("\n", "<br>")
    return out.replace("&lt;br&gt;", "<br>") if keep_br else out


def app(lang: str = "both", as_of: int | None = None):
    """The explorer over every goal with a judged series (what `dgm explore` serves)."""
    return Explorer(scenario.explorable(as_of), lang=lang, as_of=as_of).widgets()


# ---- `dgm explore`: the same widgets as a Voilà web app (dgm.run.explore serves it) ----------

APP_CODE = "from dgm.present import explorer\n\nexplorer.app(lang={lang!r})"


def app_notebook(lang: str = "both"):
    """The notebook Voilà serves: a title and one cell that displays `app(lang)`."""
    import nbformat

    title = pick(*EXPLORER["app_title"], lang, "\n\n")
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell(title),
        nbformat.v4.new_code_cell(APP_CODE.format(lang=lang)),
    ]
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    return nb
