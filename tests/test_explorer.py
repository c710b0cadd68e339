"""dgm.explorer: the chart redrawn in place, and the widgets driven as a user would (in-process).

Every goal with a judged series: build the widgets, move every slider through its range, switch
goals in every ordered pair, and pick an as-of year with no published figure. The figure's line
data must change, nothing may raise, and a state that cannot be drawn must say so in the widget
area while the last good chart stays.
"""

import io
import itertools

import numpy as np
import pandas as pd
import pytest

from dgm import explorer, scenario

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
GROWTH_STEPS = np.round(np.linspace(100 * scenario.GROWTH_MIN, 100 * scenario.GROWTH_MAX, 15), 1)


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
    ex = explorer.Explorer(IDS, {}, lang="both")
    return explorer.ExplorerWidgets(ex, scenario.vintage_years())


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
    assert "energy_intensity_industry_reduction_2025" in offered


def test_start_year_defaults_to_the_latest_observed_year(widgets):
    for t in IDS:
        widgets.goal.value = t
        history = scenario.judged(t, widgets.as_of.value)[1]
        assert widgets.start.value == int(history.index.max()), t


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
    w.as_of.value = w.as_of.options[-1]
    errors = w.errors
    for g in GROWTH_STEPS:  # both ends and 13 steps between
        before, png, old = _lines(fig), w.image.value, w.growth.value
        w.growth.value = float(g)
        if old == g:
            continue
        assert w.message.value == "", w.message.value
        assert (
            fig.l_path.get_ydata()[-1]
            == pytest.approx(
                w.ex.last_view.start_value * (1 + g / 100) ** (2030 - w.ex.last_view.start_year)
            )
            or w.ex.last_view.goal.kind == "share"
        )
        assert _lines(fig) != before and w.image.value != png
    for year in w.start.options:
        old = w.start.value
        w.start.value = year
        assert w.message.value == ""
        assert w.ex.start_year == year or old == year  # an unchanged value fires nothing
        assert fig.l_path.get_xdata()[0] == year
    for as_of in w.as_of.options:
        png = w.image.value
        w.as_of.value = as_of
        history = scenario.judged(target_id, as_of)[1]
        if len(history):
            assert w.message.value == "", (as_of, w.message.value)
        else:  # nothing published by then: a message, and the last good chart stays
            assert "Cannot draw this" in w.message.value and str(as_of) in w.message.value
            assert w.image.value == png
    w.ex.start_year = None
    w.as_of.value = w.as_of.options[-1]
    assert w.errors - errors == sum(
        not len(scenario.judged(target_id, a)[1]) for a in w.as_of.options
    )


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


@pytest.mark.slow  # runs the report (or walks every pair of goals): make test-fast skips it
def test_switching_goals_in_every_ordered_pair_redraws_for_the_new_goal(widgets):
    w, fig = widgets, widgets.ex.figure
    w.as_of.value = w.as_of.options[-1]
    walk = _every_ordered_pair(IDS)
    w.goal.value = walk[0]
    for a, b in itertools.pairwise(walk):
        assert w.goal.value == a
        png = w.image.value
        w.goal.value = b
        assert w.message.value == "", (a, b, w.message.value)
        goal, history = scenario.judged(b, w.as_of.value, w.ex.lang)
        expected = scenario.update(history, goal, w.ex.growth_pct[b] / 100).path
        assert list(fig.l_path.get_xdata()) == list(expected.index), (a, b)
        assert fig.l_path.get_ydata() == pytest.approx(expected.to_numpy()), (a, b)
        assert fig.l_goal.get_ydata()[0] == pytest.approx(goal.goal_value), (a, b)
        assert "".join(fig.title.get_text().split()) == "".join(goal.label.split(" · ")).replace(
            " ", ""
        )
        assert w.image.value != png, (a, b)


def test_an_as_of_year_without_data_shows_a_message_and_keeps_the_chart():
    ex = explorer.Explorer(["rd_intensity_2025"], {}, lang="en")
    w = explorer.ExplorerWidgets(ex, scenario.vintage_years())
    png, lines = w.image.value, _lines(ex.figure)
    w.as_of.value = w.as_of.options[0]  # 2007: nothing on R&D intensity was published yet
    assert "Cannot draw this" in w.message.value
    assert "no observed figure" in w.message.value
    assert w.image.value == png and _lines(ex.figure) == lines
    w.as_of.value = w.as_of.options[-1]
    assert w.message.value == "" and w.image.value != b""


def test_widget_labels_follow_the_language():
    ex = explorer.Explorer(["industrial_output_2025"], {}, lang="zh")
    w = explorer.ExplorerWidgets(ex, scenario.vintage_years())
    assert w.goal.description == "目标" and w.growth.description.startswith("年增速")
    assert w.goal.options[0][0] == "工業總產值達到2萬億元"
    assert "所需路径" in w.calc.value


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
    assert nb.cells[1].source == "from dgm import explorer\n\nexplorer.app(lang='zh')"
