"""The goal on a year axis: a labelled dash-dot line to its year, drawn at its level (a reduction
on the chained index), with the year range and value axis around it; where the registry gives
the goal's baseline (a level stated by the text, e.g. 1 trillion yuan in 2014), that baseline and
the constant-growth path the goal implied from it (`implied_path`)."""

from __future__ import annotations

from dgm.labels import cell, goal_text, t, unit_label
from dgm.present import style
from dgm.present.charts.figure import value_axis, year_axis
from dgm.present.charts.label_placement import GOAL_LABEL, GOAL_LINE
from dgm.present.style import GOAL


def goal_axes(ax, obs, goal, years, unit, lang, goal_value):
    """Year range (data, projections and the goal's year), the labelled goal line, axis units.

    Returns the legend handles of the goal line.
    """
    handles = []
    if goal is not None and cell(goal, "target_year") is not None:
        years = [*years, int(cell(goal, "target_year"))]
    if years:
        ax.set_xlim(min(years) - 0.6, max(years) + 0.6)
    level = goal_level(goal, obs, goal_value)
    if goal is not None and level is not None:
        handles += _draw_goal(ax, goal, lang, level)
    year_axis(ax)
    value_axis(ax)
    ax.set_ylabel(unit_label(unit, lang))
    return handles


def _draw_goal(ax, goal, lang, value=None) -> list:
    """The goal as a labelled dash-dot line up to its year, with a marker at the year."""
    from matplotlib.lines import Line2D

    v = cell(goal, "target_value") if value is None else value
    year = cell(goal, "target_year")
    if v is None:
        return []
    x0, x1 = ax.get_xlim()
    end = float(year) if year is not None else x1
    ax.plot([x0, end], [v, v], color=GOAL, lw=1.2, ls="-.", zorder=2, gid=GOAL_LINE)
    if year is not None:
        ax.plot([end], [v], marker="*", ms=8, color=GOAL, zorder=5, ls="none")
    ax.annotate(
        goal_text(goal, lang, value),
        xy=(end, v),
        xytext=(-4, 4),
        textcoords="offset points",
        ha="right",
        va="bottom",
        color=GOAL,
        fontsize=style.BASE_FONT_PT - 0.5,
        zorder=6,
        gid=GOAL_LABEL,
    )
    ax.set_xlim(x0, x1)
    return [(Line2D([], [], color=GOAL, lw=1.2, ls="-.", marker="*", ms=7), t("goal", lang))]


def goal_level(goal, obs, value):
    """The level the goal line is drawn at: a reduction is drawn on the chained index (100 − x)."""
    if value is not None:
        return value
    if goal is None:
        return None
    v = cell(goal, "target_value")
    unit = (getattr(obs, "attrs", {}) or {}).get("unit")
    reduction = cell(goal, "kind") == "reduction_vs_baseline"
    if reduction and str(unit).startswith("index") and v is not None:
        return 100.0 - float(v)
    return v


def implied_path(goal):
    """(years, values, yearly rate) of the constant-growth path from the registry's baseline to
    the goal (`baseline_value` in `baseline_year` → `target_value` in `target_year`), or None
    when the registry gives no baseline level (levels, counts and shares only)."""
    from dgm.engine.rates import required_rate

    kind = cell(goal, "kind")
    y0, v0 = cell(goal, "baseline_year"), cell(goal, "baseline_value")
    y1, v1 = cell(goal, "target_year"), cell(goal, "target_value")
    if kind not in ("level", "count", "share") or None in (y0, v0, y1, v1) or float(v0) <= 0:
        return None
    y0, y1 = int(y0), int(y1)
    rate = required_rate(float(v0), float(v1), y0, y1)
    years = list(range(y0, y1 + 1))
    return years, [float(v0) * (1 + rate) ** (y - y0) for y in years], rate


def draw_implied_path(ax, goal, lang) -> list:
    """The registry's baseline (an open star) and the path the goal implied from it (a thin
    dotted line in the goal's colour, its yearly rate in the legend); legend handles."""
    from matplotlib.lines import Line2D

    path = implied_path(goal)
    if path is None:
        return []
    years, values, rate = path
    ax.plot(years, values, color=GOAL, lw=1.0, ls=(0, (1, 1.5)), zorder=2)
    marker = dict(marker="*", ms=8, mfc="white", mec=GOAL, mew=1.0, ls="none")
    ax.plot([years[0]], [values[0]], zorder=5, **marker)
    pct = f"{100 * rate:+.1f}%"
    return [
        (Line2D([], [], **marker), t("baseline", lang, year=years[0])),
        (Line2D([], [], color=GOAL, lw=1.0, ls=(0, (1, 1.5))), t("implied_path", lang, rate=pct)),
    ]
