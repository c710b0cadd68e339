"""The goal on a year axis: a labelled dash-dot line to its year, drawn at its level (a reduction
on the chained index), with the year range and value axis around it."""

from __future__ import annotations

from dgm import style
from dgm.charts.figure import value_axis, year_axis
from dgm.charts.label_placement import GOAL_LABEL, GOAL_LINE
from dgm.charts.labels import cell, goal_text, t, unit_label
from dgm.style import GOAL


def goal_axes(ax, obs, target, years, unit, lang, goal_value):
    """Year range (data, projections and the goal's year), the labelled goal line, axis units.

    Returns the legend handles of the goal line.
    """
    handles = []
    if target is not None and cell(target, "target_year") is not None:
        years = [*years, int(cell(target, "target_year"))]
    if years:
        ax.set_xlim(min(years) - 0.6, max(years) + 0.6)
    level = goal_level(target, obs, goal_value)
    if target is not None and level is not None:
        handles += _draw_goal(ax, target, lang, level)
    year_axis(ax)
    value_axis(ax)
    ax.set_ylabel(unit_label(unit, lang))
    return handles


def _draw_goal(ax, target, lang, value=None) -> list:
    """The goal as a labelled dash-dot line up to its year, with a marker at the year."""
    from matplotlib.lines import Line2D

    v = cell(target, "target_value") if value is None else value
    year = cell(target, "target_year")
    if v is None:
        return []
    x0, x1 = ax.get_xlim()
    end = float(year) if year is not None else x1
    ax.plot([x0, end], [v, v], color=GOAL, lw=1.2, ls="-.", zorder=2, gid=GOAL_LINE)
    if year is not None:
        ax.plot([end], [v], marker="*", ms=8, color=GOAL, zorder=5, ls="none")
    ax.annotate(
        goal_text(target, lang, value),
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


def goal_level(target, obs, value):
    """The level the goal line is drawn at: a reduction is drawn on the chained index (100 − x)."""
    if value is not None:
        return value
    if target is None:
        return None
    v = cell(target, "target_value")
    unit = (getattr(obs, "attrs", {}) or {}).get("unit")
    reduction = cell(target, "kind") == "reduction_vs_baseline"
    if reduction and str(unit).startswith("index") and v is not None:
        return 100.0 - float(v)
    return v
