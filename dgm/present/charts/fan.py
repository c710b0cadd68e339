"""A goal's path: observed figures, the projection fan (probability bands, dashed median, an axis
cut when the fan would flatten the history) and the goal line (`path_to_goal`)."""

from __future__ import annotations

from dgm.labels import cell, fmt_value, row_label, source_ids, source_note, t
from dgm.lang import pick
from dgm.present import style
from dgm.present.charts.figure import add_title, canvas, legend, mix, styled
from dgm.present.charts.goal_line import draw_implied_path, goal_axes, goal_level, implied_path
from dgm.present.charts.observations import DRAWN_POINTS, draw_observations
from dgm.present.style import GREY

BANDS = {  # (lower, upper) quantile pairs, outermost first
    "deciles": ((0.1, 0.9), (0.2, 0.8), (0.3, 0.7), (0.4, 0.6)),
    "50/80/95": ((0.025, 0.975), (0.1, 0.9), (0.25, 0.75)),
}
# A fan whose upper quantiles explode would flatten the history: the y-axis then stops at the
# FAN_CAP_QUANTILE of the paths (its highest yearly value, or the data/goal if higher) and the
# legend says how many paths lie above. Only when the full fan needs > FAN_CAP_RATIO × that range.
FAN_CAP_QUANTILE = 0.75
FAN_CAP_RATIO = 2.0
FAN_CAP_NOTE = "fan_cap_note"  # gid of the arrow marking the cut


def anchor(fan, obs):
    """Fan with the last observed point prepended (bands start from it), when it comes before."""
    import pandas as pd

    if obs is None or not len(obs) or "kind" not in obs:
        return fan
    pts = obs[obs["kind"].astype(str).isin(DRAWN_POINTS) & obs["value"].notna()]
    if not len(pts):
        return fan
    y0 = int(pts.index.max())
    if y0 >= int(fan.index.min()):
        return fan
    row = pd.DataFrame(
        [[float(pts.loc[y0, "value"])] * fan.shape[1]], index=[y0], columns=fan.columns
    )
    return pd.concat([row, fan])


def qcol(frame, q: float):
    """The column of ``frame`` whose name is the quantile ``q`` (float or numeric string)."""
    for c in frame.columns:
        try:
            if abs(float(c) - q) < 1e-9:
                return frame[c]
        except (TypeError, ValueError):
            continue
    raise KeyError(f"fan has no {q} quantile column (has {list(frame.columns)})")


def _draw_fan(ax, fan, obs, lang, bands="deciles", colour=None) -> list:
    """Probability bands (outermost lightest) and the dashed median; legend handles."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    colour = colour or style.PROJECTION
    pairs = BANDS[bands] if isinstance(bands, str) else tuple(bands)
    n_cal = int(fan.attrs.get("calibrated_on", 0) or 0)
    fan = anchor(fan.sort_index(), obs)
    years = fan.index.astype(int)
    handles = []
    n = len(pairs)
    for i, (lo, hi) in enumerate(pairs):
        shade = mix(colour, 0.14 + 0.42 * i / max(n - 1, 1))
        ax.fill_between(years, qcol(fan, lo), qcol(fan, hi), color=shade, lw=0, zorder=1)
        cov = round((hi - lo) * 100)
        label = pick(f"中心{cov}%概率区间", f"central {cov}% probability band", lang, " ")
        handles.append((Patch(color=shade, lw=0), label))
    handles.reverse()  # innermost first reads naturally next to the median
    ax.plot(years, qcol(fan, 0.5), color=colour, lw=1.4, ls=(0, (4, 2)), zorder=2)
    handles.insert(0, (Line2D([], [], color=colour, lw=1.4, ls=(0, (4, 2))), t("median", lang)))
    if n_cal:
        text = pick(f"按{n_cal}个回测误差校准", f"calibrated on {n_cal} backtest errors", lang, " ")
        handles.append((Patch(color="none", lw=0), text))
    return handles


def _fan_quantile(fan, q: float):
    """Per-year ``q`` quantile of the paths, interpolated between the fan's quantile columns."""
    import numpy as np

    levels = sorted((float(c), c) for c in fan.columns)
    xs = [lv for lv, _ in levels]
    vals = fan[[c for _, c in levels]].to_numpy(float)
    return np.array([np.interp(q, xs, row) for row in vals])


def _share_above(fan, year, value: float) -> str:
    """Share of the paths above ``value`` in ``year`` as text ('23%'), interpolated between the
    quantile columns; beyond the outermost column only a bound is known ('≤10%')."""
    import numpy as np

    levels = sorted((float(c), c) for c in fan.columns)
    row = fan.loc[year, [c for _, c in levels]].to_numpy(float)
    if value >= row[-1]:
        return f"≤{(1 - levels[-1][0]) * 100:.3g}%"
    share = 1 - float(np.interp(value, row, [lv for lv, _ in levels]))
    return f"{share * 100:.0f}%" if share >= 0.005 else "<1%"


def _fan_cut(fan, obs, level, bands) -> float | None:
    """The y-axis top for a fan that would flatten the history (FAN_CAP_QUANTILE of the paths, or
    the data/goal if higher), or None when the whole fan fits in FAN_CAP_RATIO × that range."""
    import numpy as np

    values = list(obs["value"]) if obs is not None and "value" in obs else []
    values += [level] if level is not None else []
    values = [float(v) for v in values if v is not None and np.isfinite(float(v))]
    pairs = BANDS[bands] if isinstance(bands, str) else tuple(bands)
    drawn = [float(v) for pair in pairs for q in pair for v in qcol(fan, q) if np.isfinite(v)]
    cut = max([float(np.nanmax(_fan_quantile(fan, FAN_CAP_QUANTILE))), *values])
    low, top = min(drawn + values), max(drawn + values)
    return cut if top - low > FAN_CAP_RATIO * (cut - low) else None


def _cut_note(fan, cut: float, lang) -> str:
    """Footnote sentence stating where the fan is cut and the share of paths above."""
    year = int(fan.index.max())
    pct = _share_above(fan, year, cut)
    q = f"{FAN_CAP_QUANTILE * 100:g}"
    return pick(
        f"↑ 纵轴截于路径的第{q}百分位（{_cut_text(cut)}）；{year}年{pct}的路径高于此值，未画出。",
        f"↑ The axis stops at the {q}th percentile of the paths ({_cut_text(cut)}); "
        f"{pct} of paths lie above it in {year} and are not shown.",
        lang,
        " ",
    )


def _cut_text(cut: float) -> str:
    return fmt_value(cut, digits=0 if abs(cut) >= 100 else None)


def _mark_cut(ax, fan, obs, cut: float, lang) -> list:
    """Set the y-axis to end at ``cut``, mark it with an arrow on the top edge; legend handles."""
    import numpy as np
    from matplotlib.lines import Line2D

    values = list(obs["value"]) if obs is not None and "value" in obs else []
    low = np.nanmin([*fan.to_numpy(float).ravel(), *np.asarray(values, float)])
    ymin, _ = ax.get_ylim()
    ax.set_ylim(max(ymin, low - 0.05 * (cut - low)), cut + 0.05 * (cut - low))
    arrow = dict(color=GREY, marker="^", ms=6, ls="none")
    ax.plot([int(fan.index.max())], [1.0], transform=ax.get_xaxis_transform(), clip_on=False,
            zorder=6, gid=FAN_CAP_NOTE, **arrow)  # fmt: skip
    label = pick(f"高于{_cut_text(cut)}未画出", f"above {_cut_text(cut)}: not shown", lang, "\n")
    return [(Line2D([], [], **arrow), label)]


def _joined(first: str, then: str) -> str:
    """Two footnote sentences, either possibly empty, joined by one space."""
    return " ".join(part for part in (first, then) if part)


@styled
def path_to_goal(
    obs,
    goal=None,
    fan=None,
    *,
    sources=None,
    indicator=None,
    lang: str = "zh",
    bands="deciles",
    goal_value: float | None = None,
    title: str | None = None,
    size="full",
):
    """Observed path, projection fan and goal line for one goal (or one indicator).

    ``obs``: `dgm.series()` frame (value, kind, source_id, derived; attrs unit); ``goal``: a goal
    registry row; ``fan``: year × quantile-column frame (0.1 … 0.9 needed for deciles, 0.025 …
    0.975 for "50/80/95"); ``sources``: sources.csv frame for the footnote; ``indicator``: a
    catalogue row (title and unit when no goal is given). Returns a Figure.
    """
    attrs = getattr(obs, "attrs", {}) or {}
    unit = cell(goal, "unit") if goal is not None else None
    unit = attrs.get("unit") or unit or cell(indicator, "unit")
    note = t("fan_note", lang) if fan is not None else ""
    has_bridge = obs is not None and "bridged" in obs
    bridged = [int(y) for y in obs.index[obs["bridged"].astype(bool)]] if has_bridge else []
    if bridged:
        yrs = ", ".join(map(str, bridged))
        bridge = pick(
            f"{yrs}年由五年累计变化衔接（期内各年空缺）。",
            f"{yrs}: reached through a five-year cumulative change (years inside left blank).",
            lang,
            " ",
        )
        note = _joined(bridge, note)
    level = goal_level(goal, obs, goal_value)
    cut = _fan_cut(fan, obs, level, bands) if fan is not None and len(fan) else None
    if cut is not None:
        note = _joined(note, _cut_note(fan, cut, lang))
    if attrs.get("proxy"):
        proxy = pick(
            f"以代理指标判断：{attrs['proxy']}（目标本身的指标未见公布）。",
            f"Judged on a proxy: {attrs['proxy']} (the goal's own indicator is not published).",
            lang,
            " ",
        )
        note = _joined(proxy, note)
    foot = source_note(source_ids(obs), sources, lang, goal=goal, extra=note)
    fig, gs = canvas(size, foot)
    ax = fig.add_subplot(gs[0])
    handles = draw_observations(ax, obs, lang)
    if fan is not None and len(fan):
        handles += _draw_fan(ax, fan, obs, lang, bands)
        first = int(fan.index.min())
        ax.axvline(first - 0.5, color="#BBBBBB", lw=0.6, zorder=0)
        ax.text(
            first - 0.4,
            0.01,
            t("projection", lang),
            transform=ax.get_xaxis_transform(),
            va="bottom",
            ha="left",
            color=GREY,
            fontsize=style.BASE_FONT_PT - 1,
        )
    years = list(obs.index) if obs is not None else []
    if fan is not None and len(fan):
        years += list(fan.index)
    implied = implied_path(goal) if goal is not None and goal_value is None else None
    if implied is not None:  # the baseline the text states and the path the goal implied
        handles += draw_implied_path(ax, goal, lang)
        years += [implied[0][0]]
    handles += goal_axes(ax, obs, goal, years, unit, lang, goal_value)
    if cut is not None:
        handles += _mark_cut(ax, fan, obs, cut, lang)
    ymin, ymax = ax.get_ylim()
    ax.set_ylim(ymin, ymax + (ymax - ymin) * 0.08)
    legend(ax, handles, ncol=3 if lang != "both" else 2, below=True)
    if title is None:
        row = goal if goal is not None else indicator
        name = row_label(row, lang, sep="\n") if row is not None else attrs.get("indicator", "")
        what = t("title_path_projection", lang, "\n")
        if fan is None:
            what = t("title_path", lang, "\n")
        if lang == "both":
            zh, en = name.split("\n", 1) if "\n" in name else (name, name)
            wz, we = what.split("\n", 1)
            title = f"{zh}{wz}\n{en}{we}"
        else:
            title = f"{name}{what}"
    add_title(fig, title)
    return fig
