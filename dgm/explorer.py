"""Scenario explorer UI: slider state → one chart redrawn in place, with the ipywidgets around it.

The maths is dgm.scenario (pure, tested there); this module owns the figure (house style, drawn
into an Agg buffer, only the scenario line re-blitted when just the growth moves), the widgets of
notebook 06, and `dgm explore`, which serves the same widgets as a Voilà web app on 127.0.0.1.
Growth in the widgets is in % a year; values are on the goal's judged scale (dgm.scenario.judged).
"""

from __future__ import annotations

import math

import pandas as pd

from dgm import scenario, style
from dgm.charts import labels
from dgm.charts.figure import legend, value_axis, year_axis
from dgm.charts.observations import draw_observations
from dgm.constants import BOUND_KINDS
from dgm.data import load_sources, load_targets
from dgm.lang import pick

SIZE = (8.0, 4.8)  # inches
DPI = 100  # pixels per inch of the PNG the widget shows
CAP = 2.5  # the y axis reaches at most CAP × the top of data, goal and required path
SLACK = 0.05  # growth (fraction/yr) either side of the current one the axes make room for
MARGIN = 0.06  # share of the value range added above and below
# Widget and caption words (zh, en); indicator and goal names come from the registry.
WORDS = {
    "goal": ("目标", "goal"),
    "growth": ("年增速 %", "growth %/yr"),
    "start": ("起始年份", "start year"),
    "as_of": ("数据截至", "data as of"),
    "scenario": ("情景（预测）", "scenario (projection)"),
    "required": ("所需路径", "required path"),
    "cannot": ("无法绘制", "Cannot draw this"),
    "kept": (
        "图表仍显示上一次可绘制的状态。",
        "The chart still shows the last state that could be drawn.",
    ),
    "as_of_note": ("数据截至{y}年底", "figures published by the end of {y}"),
}


def word(key: str, lang: str, **fmt) -> str:
    """A widget or caption word in lang (both: Chinese, then English)."""
    zh, en = WORDS[key]
    return pick(zh.format(**fmt), en.format(**fmt), lang, " ")


def _target(goal: scenario.Goal) -> dict:
    """A registry-like row of the goal on its judged scale, for dgm.charts.labels.goal_text."""
    return {
        "unit": goal.unit,
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


def _caption(v: scenario.ScenarioView, lang: str) -> str:
    """One line in one language: scenario growth and start, verdict, first year met, required."""
    g, end = v.goal, int(v.path.index[-1])
    growth, req = _pct(v.growth, lang, 1), _pct(v.required_rate, lang)
    bound = v.start_kind in BOUND_KINDS
    if lang == "zh":
        met = "是" if v.meets_goal else "否"
        first = f"{v.crossing_year}年首次达标" if v.crossing_year else f"{end}年前未达标"
        return (
            f"情景：{v.start_year}年起每年 {growth}{'（起点为下/上限）' if bound else ''}；"
            f"{g.target_year}年达标：{met}（{first}）；所需年均变化 {req}"
        )
    met = "yes" if v.meets_goal else "no"
    first = f"first met {v.crossing_year}" if v.crossing_year else f"not met by {end}"
    return (
        f"Scenario: {growth} from {v.start_year}{' (a bound)' if bound else ''}; "
        f"goal met in {g.target_year}: {met} ({first}); required yearly change {req}"
    )


class ExplorerFigure:
    """The explorer's chart, one Figure for the whole session.

    Observations (bounds as arrows, via dgm.charts), goal, required path and axes change only
    with the goal, the start year or the vintage; they are drawn once and cached as a background.
    A growth step restores that background and blits the scenario line, its caption and the
    off-chart note; a path that leaves the axes triggers a full redraw with new limits.
    """

    def __init__(self, lang: str = "both"):
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        self.lang = lang
        with style.house_style():
            self.fig = Figure(figsize=SIZE, dpi=DPI)
            FigureCanvasAgg(self.fig)
            top = 0.87 if lang == "both" else 0.9
            bottom = 0.25 if lang == "both" else 0.2  # room for the (wrapped) legend below
            self.fig.subplots_adjust(left=0.1, right=0.97, top=top, bottom=bottom)
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
        """The figure for dgm.export.save: every artist static again (savefig skips animated)."""
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
        self.t_goal.set_text(labels.goal_text(_target(g), lang))
        handles += [
            (self.l_path, word("scenario", lang)),
            (self.l_req, word("required", lang)),
            (self.l_goal, labels.t("goal", lang)),
        ]
        legend(ax, handles, ncol=3 if lang != "both" else 2, below=True)
        cols = int(SIZE[0] * 72 / ((style.BASE_FONT_PT + 2) * 0.55) * 0.95)
        self.title.set_text(labels.wrap((g.label or g.target_id).replace(" · ", "\n"), cols))
        year_axis(ax)
        value_axis(ax)
        ylabel = labels.unit_label(g.unit, lang)
        if g.unit == "index" and g.baseline_year is not None:
            ylabel += f" ({g.baseline_year} = 100)"
        ax.set_ylabel(ylabel)
        for artist in self._dynamic:
            artist.set_animated(True)
        self.fig.canvas.draw()
        self._background = self.fig.canvas.copy_from_bbox(self.fig.bbox)

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


class Explorer:
    """The state and the slider callback behind notebook 06 and `dgm explore`.

    One growth value (%/yr) is remembered per goal; the start year (None: the latest observed
    year) and the as-of year (None: every figure) are shared. Data come from dgm.scenario.judged.
    """

    def __init__(self, target_ids, growth_pct: dict, lang: str = "both", as_of=None, start=None):
        self.target_ids = list(target_ids)
        if not self.target_ids:
            raise ValueError("the explorer needs at least one goal with a judged series")
        self.lang = lang
        self.growth_pct = {t: float(g) for t, g in growth_pct.items() if t in self.target_ids}
        self.target_id = self.target_ids[0]
        self.as_of, self.start_year = as_of, start
        self.figure = ExplorerFigure(lang)
        self.last_view: scenario.ScenarioView | None = None  # what the chart shows now

    def goal(self, target_id: str) -> scenario.Goal:
        """The Goal of one of the explorer's targets, labelled in the explorer's language."""
        return scenario.judged(target_id, self.as_of, self.lang)[0]

    def history(self) -> pd.DataFrame:
        """The current goal's judged history as of the current vintage."""
        return scenario.judged(self.target_id, self.as_of)[1]

    def growth(self, target_id: str) -> float:
        """The goal's growth (%/yr): the user's, else the observed rate, else the required one."""
        if target_id not in self.growth_pct:
            goal, history = scenario.judged(target_id, self.as_of, self.lang)
            rates = scenario.presets(history, goal)
            rate = rates.get("observed", rates.get("required", 0.0))
            lo, hi = 100 * scenario.GROWTH_MIN, 100 * scenario.GROWTH_MAX
            self.growth_pct[target_id] = round(min(max(100 * rate, lo), hi), 1)
        return self.growth_pct[target_id]

    def view(self, target_id=None, growth_pct=None, start_year=None, as_of=None):
        """Update the state with whatever is given and return the view (no drawing)."""
        self.target_id = target_id or self.target_id
        if growth_pct is not None:
            self.growth_pct[self.target_id] = float(growth_pct)
        self.start_year = start_year if start_year is not None else self.start_year
        self.as_of = as_of if as_of is not None else self.as_of
        goal, history = scenario.judged(self.target_id, self.as_of, self.lang)
        return scenario.update(history, goal, self.growth(self.target_id) / 100, self.start_year)

    def on_change(self, **state) -> bytes:
        """The slider callback: recompute, redraw in place, return the PNG the widget shows."""
        self.last_view = self.view(**state)
        self.figure.draw(self.last_view, self.history())
        return self.figure.png()

    def widgets(self, as_of_years: list[int]):
        """The ipywidgets UI (see ExplorerWidgets): goal, growth, start year, as-of, chart."""
        return ExplorerWidgets(self, as_of_years).box


class ExplorerWidgets:
    """Widgets around an Explorer. A change that cannot be drawn (e.g. no figure published by
    the as-of year) writes a readable message in the widget area and keeps the last good chart.
    """

    def __init__(self, explorer: Explorer, as_of_years: list[int]):
        import ipywidgets as w

        ex, lang = explorer, explorer.lang
        self.ex = ex
        self.errors = 0
        wide = {"description_width": "initial"}
        choices = [(self._label(t), t) for t in ex.target_ids]
        self.goal = w.Dropdown(
            options=choices,
            value=ex.target_id,
            description=word("goal", lang),
            style=wide,
            layout=w.Layout(width="98%"),
        )
        self.growth = w.FloatSlider(
            value=ex.growth(ex.target_id),
            min=100 * scenario.GROWTH_MIN,
            max=100 * scenario.GROWTH_MAX,
            step=0.1,
            readout_format=".1f",
            description=word("growth", lang),
            style=wide,
            continuous_update=True,
            layout=w.Layout(width="48%"),
        )
        years = list(as_of_years)
        self.as_of = w.SelectionSlider(
            options=years,
            value=ex.as_of if ex.as_of in years else years[-1],
            description=word("as_of", lang),
            style=wide,
            continuous_update=False,
            layout=w.Layout(width="48%"),
        )
        self.start = w.SelectionSlider(
            options=[0],
            description=word("start", lang),
            style=wide,
            continuous_update=False,
            layout=w.Layout(width="48%"),
        )
        # a fixed size: a new image never re-lays out the page (a step is one repaint)
        width, height = int(SIZE[0] * DPI), int(SIZE[1] * DPI)
        self.image = w.Image(format="png", width=width, height=height)
        self.message = w.HTML()
        self.readout = w.HTML()
        self.calc = w.HTML()
        self._syncing = False
        self._notes: dict = {}
        self._years()
        self.redraw()
        self.goal.observe(self._on_goal, "value")
        self.as_of.observe(self._on_as_of, "value")
        self.growth.observe(self.redraw, "value")
        self.start.observe(self._on_start, "value")
        self.box = w.VBox(
            [
                self.goal,
                w.HBox([self.growth, self.start]),
                w.HBox([self.as_of]),
                self.message,
                self.readout,
                self.image,
                self.calc,
            ],
            layout=w.Layout(max_width=f"{int(SIZE[0] * DPI) + 40}px"),
        )

    def _label(self, target_id: str) -> str:
        """A goal's name in the explorer's language, for the dropdown."""
        return self.ex.goal(target_id).label or target_id

    def _years(self) -> None:
        """Start-year positions: the observed years of the goal as of the chosen vintage."""
        try:
            history = scenario.judged(self.goal.value, self.as_of.value)[1]
        except (KeyError, ValueError):
            history = pd.DataFrame()
        years = [int(y) for y in history.index] or list(self.start.options)
        wanted = self.ex.start_year
        pick = wanted if wanted in years else years[-1]
        if wanted is not None and wanted not in years:
            earlier = [y for y in years if y <= wanted]
            pick = earlier[-1] if earlier else years[0]
        self._syncing = True
        try:
            self.start.options = years
            self.start.value = pick
            self.start.disabled = len(years) < 2
        finally:
            self._syncing = False

    def _on_goal(self, _=None) -> None:
        """A new goal: its remembered growth, its observed years, then one redraw."""
        self._syncing = True
        try:
            self.growth.value = self.ex.growth(self.goal.value)
        finally:
            self._syncing = False
        self._notes: dict = {}
        self._years()
        self.redraw()

    def _on_as_of(self, _=None) -> None:
        """A new vintage: the observed years change, then one redraw."""
        self._years()
        self.redraw()

    def _on_start(self, change) -> None:
        """The user moved the start year: remember it (it is no longer 'the latest')."""
        if not self._syncing:
            self.ex.start_year = change["new"]
            self.redraw()

    def redraw(self, _=None) -> None:
        """Recompute and redraw; on failure say why in the widget area, keep the last chart."""
        if self._syncing:
            return
        ex, lang = self.ex, self.ex.lang
        as_of = self.as_of.value
        try:
            png = ex.on_change(
                target_id=self.goal.value,
                growth_pct=self.growth.value,
                start_year=ex.start_year,  # None until the user moves it: the latest year
                as_of=as_of,
            )
        except Exception as err:  # the UI boundary: any failure becomes a message, never a crash
            self.errors += 1
            msg = (
                f"⚠ {word('cannot', lang)} ({word('as_of_note', lang, y=as_of)}): "
                f"{self._label(self.goal.value)}: {err}. {word('kept', lang)}"
            )
            self.message.value = (
                f"<div style='color:{style.GOAL};border-left:3px solid {style.GOAL};"
                f"padding:2px 8px'>{_escape(msg)}</div>"
            )
            return
        self.message.value = ""
        self.image.value = png
        self.readout.value = "<br>".join(_escape(_caption(ex.last_view, la)) for la in _langs(lang))
        self.calc.value = self._calc(ex.last_view)

    def _calc(self, v: scenario.ScenarioView) -> str:
        """The required-path calculator and the sources, as HTML under the chart."""
        lang = self.ex.lang
        g = v.goal
        zh, en = (labels.goal_text(_target(g), la) for la in ("zh", "en"))
        latest = labels.fmt_value(v.latest_value, g.unit)
        if v.latest_year >= g.target_year:
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
        notes = "".join(f"<br><i>{_escape(n)}</i>" for n in v.notes)
        return (
            f"<div style='font-size:90%;line-height:1.35'>{_escape(text, keep_br=True)}{notes}"
            f"<br><span style='color:#555'>{self._sources(g.target_id)}</span></div>"
        )

    def _sources(self, target_id: str) -> str:
        """The footnote of the current goal and vintage (sources, policy clause), as HTML; cached."""
        key = (target_id, self.ex.as_of)
        if key not in self._notes:
            lang = self.ex.lang
            row = load_targets().set_index("id").loc[target_id].to_dict()
            ids = labels.source_ids(self.ex.history())
            foot = labels.source_note(
                ids, load_sources(), lang="zh" if lang == "zh" else "en", goal=row
            )
            self._notes[key] = _escape(foot).replace("\n", "<br>")
        return self._notes[key]


def _escape(text: str, keep_br: bool = False) -> str:
    """HTML-escape text for an ipywidgets.HTML value (optionally keeping <br>)."""
    import html

    out = html.escape(text)
    return out.replace("&lt;br&gt;", "<br>") if keep_br else out


def app(lang: str = "both", as_of: int | None = None):
    """The explorer over every goal with a judged series (what `dgm explore` serves)."""
    ids = scenario.explorable(as_of)
    explorer = Explorer(ids, {}, lang=lang, as_of=as_of)
    return explorer.widgets(scenario.vintage_years())


# ---- `dgm explore`: the same widgets as a Voilà web app ------------------------------------

APP_TITLE = {
    "zh": "# 东莞制造2025 · 情景模拟\n选择目标，拖动滑块：图表显示情景路径、目标和达标所需的年均变化。",
    "en": "# Dongguan Manufacturing 2025 · scenario explorer\n"
    "Pick a goal and move the sliders: the chart shows the scenario path, the goal and the "
    "yearly change the goal requires.",
}
APP_CODE = "from dgm import explorer\n\nexplorer.app(lang={lang!r})"
STARTUP_S = 180  # how long `dgm explore` waits for Voilà to listen (a loaded machine is slow)


def app_notebook(lang: str = "both"):
    """The notebook Voilà serves: a title and one cell that displays `app(lang)`."""
    import nbformat

    title = "\n\n".join(APP_TITLE[la] for la in _langs(lang))
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


def _listening(port: int) -> bool:
    """Whether something accepts TCP connections on 127.0.0.1:port."""
    import socket

    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


def serve(port: int, lang: str = "both"):
    """Start Voilà on 127.0.0.1:port serving the explorer (port 0: a free one, see the URL);
    returns (process, url, tmp dir).

    The caller stops it (`stop`). Raises RuntimeError when the port is taken or Voilà does not
    listen within STARTUP_S seconds.
    """
    import subprocess
    import sys
    import tempfile
    import time
    from pathlib import Path

    import nbformat

    from dgm.browser import free_port

    port = port or free_port()
    if _listening(port):
        raise RuntimeError(
            f"port {port} on 127.0.0.1 is already in use; choose another with --port"
        )
    tmp = tempfile.TemporaryDirectory(prefix="dgm-explore-")
    path = Path(tmp.name) / "scenario_explorer.ipynb"
    nbformat.write(app_notebook(lang), path)
    cmd = [
        sys.executable,
        "-m",
        "voila",
        str(path),
        f"--port={port}",
        "--Voila.ip=127.0.0.1",
        "--Voila.port_retries=0",
        "--no-browser",
        "--show_tracebacks=False",
    ]
    proc = subprocess.Popen(cmd, cwd=tmp.name, stdin=subprocess.DEVNULL)
    deadline = time.monotonic() + STARTUP_S
    while not _listening(port):
        if proc.poll() is not None or time.monotonic() > deadline:
            stop(proc, tmp)
            raise RuntimeError(f"Voilà did not start on 127.0.0.1:{port} (exit {proc.returncode})")
        time.sleep(0.3)
    return proc, f"http://127.0.0.1:{port}/", tmp


def stop(proc, tmp=None) -> None:
    """Stop a Voilà process started by `serve` (terminate, then kill) and remove its notebook."""
    import subprocess

    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    if tmp is not None:
        tmp.cleanup()


def main_explore(args) -> int:
    """`dgm explore [--port N] [--lang zh|en|both]`: serve the explorer until Ctrl-C."""
    import signal
    import sys

    # `kill` (SIGTERM) unwinds like Ctrl-C, so Voilà and its kernel never outlive the command
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        proc, url, tmp = serve(args.port, args.lang)
    except RuntimeError as err:
        print(f"dgm explore: {err}", file=sys.stderr)
        return 2
    print(f"dgm explore: the scenario explorer is at {url}  (Ctrl-C stops it)", flush=True)
    try:
        return proc.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        stop(proc, tmp)
