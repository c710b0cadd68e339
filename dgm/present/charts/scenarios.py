"""Scenario comparison: paths or fans under several scenarios against the observed series and the
goal (`scenario_chart`)."""

from __future__ import annotations

from collections.abc import Mapping

from dgm.labels import cell, row_label, source_ids, source_note, t
from dgm.lang import pick
from dgm.present.charts.fan import anchor, qcol
from dgm.present.charts.figure import add_title, canvas, legend, styled
from dgm.present.charts.goal_line import goal_axes
from dgm.present.charts.observations import draw_observations
from dgm.present.style import GOAL, OKABE_ITO, PALETTE
from dgm.words import PRESET_LABELS


@styled
def scenario_chart(
    scenarios: Mapping,
    obs=None,
    goal=None,
    *,
    labels: Mapping | None = None,
    sources=None,
    lang: str = "zh",
    band: tuple[float, float] | None = (0.1, 0.9),
    unit: str | None = None,
    title: str | None = None,
    size="full",
):
    """Paths under several scenarios against the observed series and the goal.

    ``scenarios``: name → a fan frame (quantile columns; median dashed, ``band`` shaded) or a
    Series (a deterministic path, dashed); ``labels``: name → (zh, en) or str, by default the
    preset scenarios' names (dgm.words.PRESET_LABELS).
    """
    import pandas as pd
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    attrs = getattr(obs, "attrs", {}) or {}
    unit = unit or attrs.get("unit") or cell(goal, "unit")
    dashes = [(0, (4, 2)), (0, (1.5, 1.5)), (0, (8, 3)), (0, (2, 3)), (0, (6, 1.5))]
    note = t("fan_note", lang)
    if band is not None and any(isinstance(v, pd.DataFrame) for v in scenarios.values()):
        cov = round((band[1] - band[0]) * 100)
        note += pick(
            f"；阴影为中心{cov}%概率区间。",
            f"; shading: central {cov}% probability band.",
            lang,
            "\n",
        )
    foot = source_note(source_ids(obs), sources, lang, goal=goal, extra=note)
    fig, gs = canvas(size, foot)
    ax = fig.add_subplot(gs[0])
    handles = draw_observations(ax, obs, lang, colour=OKABE_ITO["black"])
    colours = [c for c in PALETTE if c != OKABE_ITO["black"] and c != GOAL]
    years = list(obs.index) if obs is not None else []
    for k, (name, path) in enumerate(scenarios.items()):
        colour, dash = colours[k % len(colours)], dashes[k % len(dashes)]
        lab = (PRESET_LABELS if labels is None else labels).get(name, name)
        lab = pick(*lab, lang, " · ") if isinstance(lab, tuple) else str(lab)
        if isinstance(path, pd.DataFrame):
            path = anchor(path.sort_index(), obs)
            if band is not None:
                ax.fill_between(
                    path.index.astype(int),
                    qcol(path, band[0]),
                    qcol(path, band[1]),
                    color=colour,
                    alpha=0.13,
                    lw=0,
                    zorder=1,
                )
            mid = qcol(path, 0.5)
        else:
            mid = path.sort_index()
        ax.plot(mid.index.astype(int), mid.values, color=colour, ls=dash, lw=1.5, zorder=2)
        years += list(mid.index)
        handles.append((Line2D([], [], color=colour, ls=dash, lw=1.5), lab))
    if band is not None and any(isinstance(v, pd.DataFrame) for v in scenarios.values()):
        cov = round((band[1] - band[0]) * 100)
        handles.append(
            (
                Patch(color="#999999", alpha=0.3, lw=0),
                pick(f"中心{cov}%概率区间", f"central {cov}% band", lang, " "),
            )
        )
    handles += goal_axes(ax, obs, goal, years, unit, lang, None)
    legend(ax, handles, ncol=3 if lang != "both" else 2, below=True)
    if title is None:
        name = row_label(goal, lang, sep=" · ") if goal is not None else ""
        title = t("scenario_title", lang, sep=" · ") + (
            pick("：", ": ", lang, "") + name if name else ""
        )
        if lang == "both" and goal is not None:
            title = (
                f"{t('scenario_title', 'zh')}：{row_label(goal, 'zh')}\n"
                f"{t('scenario_title', 'en')}: {row_label(goal, 'en')}"
            )
    add_title(fig, title)
    return fig
