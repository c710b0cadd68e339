"""dgm.present.explorer: the chart redrawn in place, and the widgets driven as a user would (in-process).

Every goal with a judged series: build the widgets, move every slider through its range, and
switch goals in every ordered pair after a step on each slider: the new goal must open at its
own defaults (sliders, caption, both charts). A state that cannot be drawn must say so in the
widget area while the last good chart and sliders stay. Everything shown is in simplified
characters.
"""

import functools
import io
import itertools

import numpy as np
import pandas as pd
import pytest

import dgm
from dgm.engine import scenario
from dgm.present import explorer
from dgm.zh import changes, simplified

OUTPUT = scenario.Goal("output_2025", "industrial_output_all", 20000.0, 2025, ">=", "level", 2014)
SHARE = scenario.Goal("hightech_share", "hightech_mfg_share", 50.0, 2025, ">=", "share")
HIST = pd.DataFrame(
    {"value": [10000.0, 11000.0, 12500.0, 13000.0], "kind": "exact"},
    index=pd.Index([2014, 2016, 2018, 2020], name="year"),
)
IDS = scenario.explorable()
# make test-fast walks the sliders of one goal per kind of path (a level, a share capped at 100 %,
# a reduction and a growth rate on a chained index); make test walks every goal.
FAST_WALK = {
    "industrial_output_2025",
    "rd_intensity_2025",
    "energy_intensity_industry_reduction_2025",
    "technical_renovation_investment_growth_2015_2025",
}


def _lines(fig: explorer.ExplorerFigure) -> tuple:
    """The data of every line the explorer moves: scenario, required path, goal."""
    return tuple(
        tuple(np.asarray(a, dtype=float).round(9))
        for line in (fig.l_path, fig.l_req, fig.l_goal)
        for a in line.get_data()
    )


def test_figure_blits_growth_steps_and_redraws_on_a_new_goal():
    fig = explorer.ExplorerFigure(lang="en")
    fig.draw(scenario.update(HIST, OUTPUT, 0.05), HIST)
    assert fig.full_redraws == 1
    before = _lines(fig)
    fig.draw(scenario.update(HIST, OUTPUT, 0.055), HIST)  # a slider step: only the path moves
    assert fig.full_redraws == 1 and _lines(fig) != before
    assert fig.l_path.get_ydata()[-1] == pytest.approx(13000 * 1.055**10)
    fig.draw(scenario.update(HIST, SHARE, 0.05), HIST)  # another goal: axes change
    assert fig.full_redraws == 2
    assert list(fig.l_goal.get_ydata()) == [50.0, 50.0]
    exported = fig.export_figure()
    assert not any(a.get_animated() for a in exported.axes[0].get_children())
    assert fig.png().startswith(b"\x89PNG")


def test_figure_labels_the_goal_as_the_static_charts_do_and_never_uses_offset_notation():
    fig = explorer.ExplorerFigure(lang="en")
    fig.draw(scenario.update(HIST, OUTPUT, 0.36), HIST)
    assert fig.t_goal.get_text() == "Goal (2025): ≥ 20,000"  # unitless test goal
    ax = fig.ax
    assert ax.yaxis.get_offset_text().get_text() == ""
    ticks = [t.get_text() for t in ax.get_yticklabels()]
    assert any("," in t for t in ticks), ticks  # thousands separators, no "1e6"
    lo, hi = ax.get_ylim()
    assert lo <= 20000 <= hi  # the goal stays in view however fast the path grows
    assert hi <= explorer.CAP * 20000 * 1.2
    assert fig.t_off.get_text().startswith("↑ 2030: ")  # the path's end is written, not lost
    energy = scenario.Goal("e", "x", 70.0, 2025, "<=", "reduction_vs_baseline", 2014, unit="index")
    fig.draw(scenario.update(pd.Series({2014: 100.0, 2016: 93.0}), energy, -0.03), HIST)
    assert fig.t_goal.get_text() == "Goal (2025): ≤ 70 index"


def test_bounds_are_drawn_as_bounds_not_joined_to_the_points():
    hist = pd.DataFrame(
        {"value": [10000.0, 24500.0, 25000.0], "kind": ["approx", "lower_bound", "lower_bound"]},
        index=pd.Index([2014, 2022, 2024], name="year"),
    )
    fig = explorer.ExplorerFigure(lang="en")
    fig.draw(scenario.update(hist, OUTPUT, 0.02), hist)
    joined = [
        line
        for line in fig.ax.get_lines()
        if line.get_linestyle() != "None" and 2022 in list(line.get_xdata())
    ]
    assert joined == [], "a bound is never joined to the observed points by a line"
    arrows = [a for a in fig.ax.texts if getattr(a, "arrow_patch", None) is not None]
    assert len([a for a in arrows if a.get_text() == ""]) == 2  # one arrow per bound


@pytest.fixture(scope="module")
def widgets():
    return explorer.ExplorerWidgets(explorer.Explorer(IDS, lang="both"))


def test_the_dropdown_holds_every_goal_with_a_judged_series(widgets):
    import dgm

    offered = [v for _, v in widgets.goal.options]
    assert offered == IDS
    kinds = dgm.load_targets().set_index("id").loc[IDS, "kind"]
    assert {"growth_rate", "reduction_vs_baseline", "share", "level"} <= set(kinds)
    assert "technical_renovation_investment_growth_2015_2025" in offered
    assert "energy_intensity_industry_reduction_2025" in offered
    # labour productivity has one figure, its baseline year's own change: no judged series yet
    assert "industrial_labour_productivity_growth_2015_2025" not in offered


def _defaults(target_id: str) -> dict:
    """What a goal must open at, from dgm.engine.scenario alone: the latest vintage, the latest observed
    year, growth at the scorecard's observed rate (else dgm.engine.scenario.default_growth), the range."""
    as_of = scenario.as_of_years(target_id)[-1]
    goal, history = scenario.judged(target_id, as_of, "both")
    observed = scenario.observed_rate_for(target_id, as_of)
    bare = scenario.update(history, goal, 0.0)
    limits = scenario.growth_range(observed, bare.required_rate)
    growth, _ = scenario.default_growth(observed, bare, limits)
    years = sorted({int(y) for y in history.index})
    view = scenario.update(history, goal, round(100 * growth, 1) / 100, years[-1])
    return {
        "as_of": as_of,
        "start": years[-1],
        "years": tuple(years),
        "growth": round(100 * growth, 1),
        "limits": tuple(round(100 * x, 1) for x in limits),
        "view": view,
        "observed": observed,
    }


@functools.cache
def _reference() -> explorer.Explorer:
    """A second explorer, which draws goals in another order than the widgets under test."""
    return explorer.Explorer(IDS, lang="both")


@functools.cache
def _fresh_pngs(target_id: str) -> dict:
    """{size: PNG} of a goal at its defaults, drawn by the reference explorer."""
    ex = _reference()
    ex.select(target_id)
    return ex.draw()


def _assert_shows(w, target_id: str, why=()) -> None:
    """The widgets and both charts show `target_id` at its defaults, pixel for pixel as a new
    explorer draws them."""
    d, v = _defaults(target_id), None
    assert w.message.value == "", (why, w.message.value)
    assert w.goal.value == target_id, why
    assert (w.as_of.value, tuple(w.as_of.options)) == (
        d["as_of"],
        tuple(scenario.as_of_years(target_id)),
    ), why
    assert (w.start.value, tuple(w.start.options)) == (d["start"], d["years"]), why
    assert w.start.disabled == (len(d["years"]) < 2), why
    assert (w.growth.min, w.growth.max) == d["limits"], why
    assert w.growth.value == pytest.approx(d["growth"]), why
    v = w.ex.last_view
    assert v.start_year == w.start.value and v.growth == pytest.approx(w.growth.value / 100), why
    assert v.path.to_numpy() == pytest.approx(d["view"].path.to_numpy()), why
    assert w.readout.value == "<br>".join(
        explorer._escape(simplified(explorer._caption(d["view"], d["observed"], la)))
        for la in ("zh", "en")
    ), why
    goal = w.ex.goal(target_id)
    for fig in w.ex.figures.values():
        assert fig.l_path.get_xdata()[0] == w.start.value, why  # the start slider's year is used
        assert fig.l_goal.get_ydata()[0] == pytest.approx(goal.goal_value), why
        title = "".join(fig.title.get_text().split())
        assert title == simplified("".join(goal.label.split(" · "))).replace(" ", ""), why
    for size, png in _fresh_pngs(target_id).items():
        assert bytes(w.images[size].value) == png, (why, size)


def test_every_goal_opens_at_its_own_valid_defaults(widgets):
    """Growth at the scorecard's observed rate when there is one and it fits; the range holds the
    required and observed rates; no goal opens at a slider limit; the latest observed year."""
    w = widgets
    for t in IDS:
        w.goal.value = t
        _assert_shows(w, t)
        v, lo, hi = w.ex.last_view, w.growth.min, w.growth.max
        for rate in (v.required_rate, w.ex.state.observed):
            if rate is not None:
                assert lo < 100 * rate < hi, (t, rate, lo, hi)
        assert lo < w.growth.value < hi, t
        if w.ex.state.observed is not None:
            assert w.growth.value == pytest.approx(100 * w.ex.state.observed, abs=0.05), t
            assert w.ex.state.why is None, t
        else:
            assert w.ex.state.why is not None and w.ex.state.why.text("en") in w.calc.value, t
        if v.already_met:  # "already at the goal", never a required fall to the goal
            assert v.required_rate is None and len(w.ex.figure.l_req.get_xdata()) == 0, t
            assert "already at the goal" in w.readout.value, t


def test_a_goal_already_met_opens_without_a_required_path(widgets):
    w = widgets
    w.goal.value = "invention_patents_in_force_2025"  # 66,000 in 2023 against > 20,000 by 2025
    v = w.ex.last_view
    assert v.already_met and v.required_rate is None
    assert "已达到目标（2023年 66,000）" in w.readout.value
    assert "already at the goal (66,000 in 2023)" in w.readout.value
    assert w.growth.value == 0.0 and (w.growth.min, w.growth.max) == (-30.0, 40.0)


def test_the_energy_axis_names_the_year_its_chain_starts(widgets):
    w = widgets
    w.goal.value = "energy_intensity_industry_reduction_2025"
    history = w.ex.history()
    assert int(history.index.min()) == 2016 and history["value"].iloc[0] == 100.0
    for fig in w.ex.figures.values():
        assert fig.ax.get_ylabel() == "指数 · index（2016 = 100）"


def test_the_fast_walk_has_one_goal_of_each_kind_the_explorer_draws():
    import dgm

    kinds = dgm.load_targets().set_index("id")["kind"]
    assert FAST_WALK <= set(IDS)
    assert {kinds[t] for t in FAST_WALK} == {
        "level",
        "share",
        "reduction_vs_baseline",
        "growth_rate",
    }


@pytest.mark.parametrize(
    "target_id",
    [t if t in FAST_WALK else pytest.param(t, marks=pytest.mark.slow) for t in IDS],
)
def test_every_slider_through_its_range(widgets, target_id):
    w, fig = widgets, widgets.ex.figure
    w.goal.value = target_id
    errors = w.errors
    steps = np.round(np.linspace(w.growth.min, w.growth.max, 15), 1)
    for g in steps:  # both ends and 13 steps between
        before, png, old = _lines(fig), w.image.value, w.growth.value
        w.growth.value = float(g)
        if old == g:
            continue
        assert w.message.value == "", w.message.value
        view = w.ex.last_view
        assert (
            fig.l_path.get_ydata()[-1]
            == pytest.approx(view.start_value * (1 + g / 100) ** (2030 - view.start_year))
            or view.goal.kind == "share"
        )
        assert _lines(fig) != before and w.image.value != png
    for year in w.start.options:
        w.start.value = year
        assert w.message.value == ""
        assert w.ex.state.start_year == year
        assert fig.l_path.get_xdata()[0] == year
    for as_of in w.as_of.options:  # every vintage offered has a figure to draw
        w.as_of.value = as_of
        assert w.message.value == "", (as_of, w.message.value)
        history = scenario.judged(target_id, as_of)[1]
        assert w.ex.last_view.start_year in history.index
        assert tuple(w.start.options) == tuple(sorted({int(y) for y in history.index}))
        assert w.growth.min <= w.growth.value <= w.growth.max
    assert w.errors == errors


def _every_ordered_pair(ids: list) -> list:
    """A walk through ids in which every ordered pair (a, b), a != b, follows once (Hierholzer)."""
    out_edges = {a: [b for b in ids if b != a] for a in ids}
    stack, walk = [ids[0]], []
    while stack:
        if out_edges[stack[-1]]:
            stack.append(out_edges[stack[-1]].pop())
        else:
            walk.append(stack.pop())
    return walk[::-1]


def test_the_walk_covers_every_ordered_pair():
    walk = _every_ordered_pair(list("abcd"))
    assert sorted(itertools.pairwise(walk)) == sorted(itertools.permutations("abcd", 2))


def _step(w, slider: str) -> bool:
    """One step on a slider, as a key press would make it (back, else forward); False when the
    slider has one position."""
    s = getattr(w, slider)
    if slider == "growth":
        s.value = round(s.value - 0.1 if s.value - 0.1 >= s.min else s.value + 0.1, 1)
        return True
    options = list(s.options)
    if len(options) < 2:
        return False
    i = options.index(s.value)
    s.value = options[i - 1] if i > 0 else options[i + 1]
    return True


def _pair_walk(w, ids) -> int:
    """Every ordered pair (a, b) of ids after one step on each slider of a: b opens at its
    defaults (goal, caption, sliders, both charts). Returns the number of switches checked."""
    n = 0
    for slider in ("growth", "start", "as_of"):
        walk = _every_ordered_pair(ids)
        w.goal.value = walk[0]
        for a, b in itertools.pairwise(walk):
            assert w.goal.value == a
            stepped = _step(w, slider)
            assert w.message.value == "", (a, slider, w.message.value)
            if stepped and slider == "start":
                assert w.ex.last_view.start_year == w.start.value != _defaults(a)["start"]
            png = w.images["wide"].value
            w.goal.value = b
            _assert_shows(w, b, why=(a, slider, b))
            assert w.images["wide"].value != png, (a, slider, b)
            n += 1
    return n


def test_switching_goals_after_a_step_on_each_slider_opens_the_new_goal_at_its_defaults(widgets):
    """The fast lane: every ordered pair of one goal of each kind (make test: every goal)."""
    ids = [t for t in IDS if t in FAST_WALK]
    assert _pair_walk(widgets, ids) == 3 * len(ids) * (len(ids) - 1)


@pytest.mark.slow  # 396 switches, each redrawing two charts
def test_switching_goals_in_every_ordered_pair_after_a_step_on_each_slider(widgets):
    """The issue's case among them: R&D start 2021 → 2020, then the headline output goal."""
    assert _pair_walk(widgets, IDS) == 3 * len(IDS) * (len(IDS) - 1)


def test_a_state_that_cannot_be_drawn_says_why_and_keeps_chart_and_sliders():
    """Only vintages with a figure are offered; one forced in anyway gives a message (in the
    explorer's language), and the chart and every slider stay on the last drawn state."""
    ex = explorer.Explorer(["rd_intensity_2025"], lang="zh")
    w = explorer.ExplorerWidgets(ex)
    assert w.as_of.options[0] == scenario.as_of_years("rd_intensity_2025")[0] > 2007
    png, lines, state = w.image.value, _lines(ex.figure), ex.state
    w._syncing = True  # offer 2007 by hand: nothing on R&D intensity was published by then
    w.as_of.options, w.as_of.value = (2007, *w.as_of.options), state.as_of
    w._syncing = False
    w.as_of.value = 2007
    assert "无法绘制" in w.message.value and "没有已公布的数据" in w.message.value
    assert w.image.value == png and _lines(ex.figure) == lines
    assert ex.state == state and w.as_of.value == state.as_of and w.start.value == state.start_year
    w.growth.value = 5.0
    assert w.message.value == "" and w.image.value != png


def test_widget_labels_follow_the_language():
    ex = explorer.Explorer(["industrial_output_2025"], lang="zh")
    w = explorer.ExplorerWidgets(ex)
    assert w.goal.description == "目标" and w.growth.description.startswith("年增速")
    assert w.goal.options[0][0] == "工业总产值达到2万亿元"
    assert "所需路径" in w.calc.value


def _shown_texts(w) -> list[str]:
    """Every text the explorer shows: widget words, dropdown labels, HTML areas, chart texts."""
    from matplotlib.text import Text

    texts = [label for label, _ in w.goal.options]
    texts += [x.description for x in (w.goal, w.growth, w.start, w.as_of)]
    texts += [w.readout.value, w.calc.value, w.message.value]
    for fig in w.ex.figures.values():
        texts += [t.get_text() for t in fig.fig.findobj(Text)]
    return texts


@pytest.mark.parametrize("lang", ["zh", "both", "en"])
def test_everything_shown_is_in_simplified_characters_and_zh_notes_are_chinese(lang):
    """One text path (OpenCC t2s, dgm.zh): labels, titles, the policy clause in the footnote and
    the notes; in zh the notes under the chart are Chinese, not English."""
    import re

    ex = explorer.Explorer(IDS, lang=lang)
    w = explorer.ExplorerWidgets(ex)
    for t in IDS:
        w.goal.value = t
        for text in _shown_texts(w):
            assert not changes(text), (t, lang, text)
        assert "东府〔2015〕1号" in w.calc.value, t
        clause = dgm.load_targets().set_index("id").at[t, "clause"]
        assert simplified(clause) in w.calc.value, t
        notes = re.findall(r"<i>(.*?)</i>", w.calc.value)
        assert notes or ex.state.why is None, t
        for note in notes:
            if lang == "zh":
                assert not re.search(r"[A-Za-z]{3,}", note), (t, note)
            if lang == "en":
                assert not re.search(r"[\u4e00-\u9fff]", note), (t, note)
        if lang == "zh":
            assert not re.search(r"[A-Za-z]{3,}", w.readout.value), (t, w.readout.value)


def test_the_narrow_chart_is_drawn_for_a_phone_width_and_its_text_stays_readable(widgets):
    """At 400 px the page shows the narrow chart 1:1 (WIDGET_CSS): no text below 10 px."""
    from matplotlib.text import Text

    w = widgets
    assert w.images["narrow"].width == "360" and "dgm-narrow" in w.images["narrow"]._dom_classes
    assert f"@container (max-width: {explorer.NARROW_PX}px)" in explorer.WIDGET_CSS
    fig = w.ex.figures["narrow"]
    sizes = [t.get_fontsize() * explorer.DPI / 72 for t in fig.fig.findobj(Text) if t.get_text()]
    sizes += [
        t.get_fontsize() * explorer.DPI / 72
        for t in fig.ax.get_xticklabels() + fig.ax.get_yticklabels()
    ]
    assert min(sizes) >= 10, min(sizes)
    assert bytes(w.images["narrow"].value).startswith(b"\x89PNG")


def test_png_is_a_valid_image_of_the_canvas():
    from PIL import Image

    fig = explorer.ExplorerFigure(lang="en")
    fig.draw(scenario.update(HIST, OUTPUT, 0.05), HIST)
    img = Image.open(io.BytesIO(fig.png()))
    img.load()
    assert img.size == (int(explorer.SIZE[0] * explorer.DPI), int(explorer.SIZE[1] * explorer.DPI))
    canvas = np.asarray(fig.fig.canvas.buffer_rgba())[:, :, :3]
    assert (np.asarray(img.convert("RGB")) == canvas).all()


def test_dgm_explore_refuses_a_taken_port_with_one_line(capsys):
    import socket

    from dgm import cli

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        assert cli.main(["explore", "--port", str(port), "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert (
        err
        == f"dgm explore: port {port} on 127.0.0.1 is already in use; choose another with --port\n"
    )


def test_the_app_notebook_is_a_title_and_one_call():
    nb = explorer.app_notebook("zh")
    assert [c.cell_type for c in nb.cells] == ["markdown", "code"]
    assert nb.cells[0].source.startswith("# 东莞制造2025")
    assert nb.cells[1].source == "from dgm.present import explorer\n\nexplorer.app(lang='zh')"
