"""Standard dgm charts: pandas objects (series, fans, registry rows, assessments) → matplotlib Figure.

Every function is pure (no I/O, no pyplot state): it takes the frames other dgm modules return,
draws in the house style (dgm.style) and returns a Figure whose title says what it shows, whose
axis carries the unit and whose footnote names the documents behind the plotted figures. Text comes
from the registry/catalogue rows passed in, in `lang` = "zh", "en" or "both".
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Mapping

from dgm import style
from dgm.constants import BOUND_KINDS, POINT_KINDS, STATUS_LABELS, STATUSES
from dgm.lang import LANGS, pick
from dgm.style import GOAL, GREY, OKABE_ITO, PALETTE, SIZES, house_style, t, unit_label

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
COMPARISON = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "~": "≈", "==": "="}
# Marker per kind of figure: filled = a published point, open = a point with a caveat.
MARKERS = {
    "exact": {"marker": "o", "fill": True},
    "approx": {"marker": "s", "fill": True},
    "estimate": {"marker": "o", "fill": False},
    "derived": {"marker": "D", "fill": False},
}
STATUS_COLOURS = {  # colour is never the only cue: the word is in the cell
    "met": OKABE_ITO["green"],
    "on_track": OKABE_ITO["green"],
    "acceleration_needed": OKABE_ITO["yellow"],
    "limited_progress": OKABE_ITO["orange"],
    "deterioration": OKABE_ITO["vermillion"],
    "not_met": OKABE_ITO["vermillion"],
    "insufficient_data": "#BBBBBB",
}
STATUS = {s: (*STATUS_LABELS[s], STATUS_COLOURS[s]) for s in STATUSES}  # status → (zh, en, colour)
COVERAGE = {  # cell code → (letter, zh, en, colour)
    "exact": ("E", "确数", "exact", OKABE_ITO["blue"]),
    "approx": ("A", "约数", "approximate", OKABE_ITO["sky_blue"]),
    "estimate": ("S", "初步/估计", "estimate", OKABE_ITO["green"]),
    "derived": ("D", "推算", "derived", OKABE_ITO["purple"]),
    "bound": ("B", "上/下限", "bound", OKABE_ITO["orange"]),
    "plan": ("P", "仅计划目标", "plan only", OKABE_ITO["yellow"]),
    "missing": ("·", "缺失", "missing", "#FFFFFF"),
}
METHODS = {
    "naive_drift": ("朴素漂移", "Naive with drift"),
    "constant_growth": ("固定增长率", "Constant growth"),
    "log_linear": ("对数线性趋势", "Log-linear trend"),
    "escap_wls": ("ESCAP 加权趋势", "ESCAP weighted trend"),
    "arima_drift": ("ARIMA（含漂移）", "ARIMA with drift"),
    "theta": ("Theta 法", "Theta"),
    "damped_growth": ("阻尼增长（向合并增长先验收缩）", "Damped growth (pooled prior)"),
    "ensemble_uncalibrated": ("组合预测（未校准）", "Ensemble, uncalibrated"),
    "ensemble": ("组合预测", "Ensemble"),
}
DEPARTMENTS_EN = {
    "經信局": "Economic & IT Bureau",
    "商務局": "Commerce Bureau",
    "科技局": "Science & Technology Bureau",
    "園區": "Industrial parks",
    "財政局": "Finance Bureau",
    "有關職能部門": "Other departments concerned",
    "發改局": "Development & Reform Bureau",
    "金融局": "Financial Affairs Bureau",
    "各鎮街": "Towns and subdistricts",
    "質監局": "Quality Supervision Bureau",
    "文廣新局": "Culture, Radio, TV & Press Bureau",
    "工商局": "Industry & Commerce Bureau",
    "環保局": "Environmental Protection Bureau",
    "水務局": "Water Affairs Bureau",
    "教育局": "Education Bureau",
    "跨境辦": "Cross-border E-commerce Office",
    "城建局": "Urban Construction Bureau",
    "松山湖管委會": "Songshan Lake Committee",
    "房管局": "Housing Bureau",
    "東莞檢驗檢疫局": "Inspection & Quarantine Bureau",
    "國資委": "State Assets Commission",
    "規劃局": "Planning Bureau",
    "國土局": "Land Resources Bureau",
    "編辦": "Staffing Office",
    "電子政務辦": "E-government Office",
    "行政服務管理辦": "Administrative Services Office",
    "人力資源局": "Human Resources Bureau",
    "交通局": "Transport Bureau",
    "供電局": "Power Supply Bureau",
    "城管局": "Urban Management Bureau",
    "衛生計生局": "Health & Family Planning Bureau",
    "民政局": "Civil Affairs Bureau",
    "市府辦": "Municipal Government Office",
    "市政府督查室": "Government Inspection Office",
    "市政府新聞辦": "Government Information Office",
}
GOAL_LABEL, GOAL_LINE = "goal-label", "goal-line"  # gids: the label is placed off the lines
FOOT_LINE_PT = style.FOOTNOTE_PT * 1.35
MAX_SOURCES = 8  # footnote names at most this many documents, then "and N more"
LEGEND_LABEL_CHARS = 34  # a legend label longer than this wraps onto further lines


# ---------------------------------------------------------------------------------------------
# scaffolding


def _figure_class():
    """A Figure subclass that draws inside the house style (ticks are made at draw time)."""
    from matplotlib.figure import Figure

    class HouseFigure(Figure):
        """matplotlib Figure whose every draw (screen, savefig, notebook) uses dgm's house style."""

        def draw(self, renderer):
            with house_style():
                return super().draw(renderer)

    return HouseFigure


@functools.cache
def _house_figure():
    """The HouseFigure class (made once, after matplotlib is imported)."""
    return _figure_class()


def _styled(func):
    """Run a chart function inside the house style (text objects take the CJK font at creation)."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        lang = kwargs.get("lang", "zh")
        if lang not in LANGS:
            raise ValueError(f"lang must be 'zh', 'en' or 'both', got {lang!r}")
        with house_style():
            return _place_goal_labels(_simplified_texts(func(*args, **kwargs)))

    return wrapper


def label_collisions(fig) -> list[str]:
    """Texts of goal labels whose box crosses a drawn line (empty when none does)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    if fig.canvas is None or not hasattr(fig.canvas, "get_renderer"):
        FigureCanvasAgg(fig)
    renderer = fig.canvas.get_renderer()
    fig.draw_without_rendering()
    return [
        a.get_text()
        for ax in fig.axes
        for a in ax.texts
        if a.get_gid() == GOAL_LABEL and _crosses_lines(a, ax, renderer)
    ]


def _crosses_lines(label, ax, renderer) -> bool:
    """Whether a text's box (padded by 1 pt) crosses any line of its axes, or leaves the axes."""
    box = label.get_window_extent(renderer).padded(renderer.points_to_pixels(1.0))
    area = ax.get_window_extent(renderer)
    if not (area.contains(box.x0, box.y0) and area.contains(box.x1, box.y1)):
        return True
    for line in ax.lines:
        if line.get_gid() == GOAL_LINE or len(line.get_xdata()) < 2:
            continue
        path = line.get_transform().transform_path(line.get_path())
        if path.intersects_bbox(box, filled=False):
            return True
    return False


def _place_goal_labels(fig):
    """Move each goal label to the first place along its goal line (above, then below, from the
    goal year back towards the start) where its box crosses no line; the chart keeps its
    first place when no such spot exists."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    labels = [(ax, a) for ax in fig.axes for a in ax.texts if a.get_gid() == GOAL_LABEL]
    if not labels:
        return fig
    FigureCanvasAgg(fig)
    renderer = fig.canvas.get_renderer()
    fig.draw_without_rendering()
    for ax, label in labels:
        end, v = label.xy
        x0 = ax.get_xlim()[0]
        first = (label.xy, label.xyann, label.get_ha(), label.get_va())
        for frac in (1.0, 0.8, 0.6, 0.4, 0.2):
            x = x0 + (end - x0) * frac
            for dy, va in ((4, "bottom"), (-4, "top")):
                label.xy, label.xyann = (x, v), (-4, dy)
                label.set_ha("right")
                label.set_va(va)
                if not _crosses_lines(label, ax, renderer):
                    break
            else:
                continue
            break
        else:
            label.xy, label.xyann = first[0], first[1]
            label.set_ha(first[2])
            label.set_va(first[3])
    return fig


def _simplified_texts(fig):
    """Every text of `fig` in simplified characters (labels come from the traditional policy
    copy): titles, legends, annotations, footnotes and fixed tick labels."""
    from matplotlib.text import Text
    from matplotlib.ticker import FixedFormatter, FuncFormatter

    from dgm.zh import simplified

    for text in fig.findobj(Text):
        text.set_text(simplified(text.get_text()))
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):  # tick labels are made again at each draw
            fmt = axis.get_major_formatter()
            if isinstance(fmt, FixedFormatter):
                fmt.seq = [simplified(x) for x in fmt.seq]
            elif isinstance(fmt, FuncFormatter):
                fmt.func = lambda x, pos=None, f=fmt.func: simplified(f(x, pos))
    return fig


def _foot_cols(width_in: float) -> int:
    """Footnote wrap width in columns (a CJK character = 2 columns = 1 em; Latin ≈ 0.55 em)."""
    return max(40, int(width_in * 72 / (style.FOOTNOTE_PT * 0.55) * 0.92))


def _canvas(size="full", foot: str = "", height: float | None = None, **grid):
    """(fig, gridspec): a constrained-layout figure with the footnote in a reserved bottom strip.

    The plot area is laid out by constrained layout inside the rectangle above the strip, so long
    footnotes never overlap tick labels or legends; the figure grows by the strip's height.
    """
    w, h = SIZES[size] if isinstance(size, str) else size
    h = height or h
    text = style.wrap(foot, _foot_cols(w)) if foot else ""
    n = text.count("\n") + 1 if text else 0
    foot_h = (n * FOOT_LINE_PT + 6) / 72 if n else 0.0
    total = h + foot_h
    fig = _house_figure()(figsize=(w, total), layout="constrained")
    frac = foot_h / total
    fig.get_layout_engine().set(rect=(0, frac, 1, 1 - frac), h_pad=0.03, w_pad=0.03)
    if text:
        fig.text(
            0.008,
            frac - 2 / 72 / total,
            text,
            va="top",
            ha="left",
            fontsize=style.FOOTNOTE_PT,
            color="#444444",
            linespacing=1.3,
        )
        # fig.text is ignored by constrained layout (the strip is reserved above) but counted
        # by bbox_inches="tight", so saved files keep the footnote.
    return fig, fig.add_gridspec(grid.pop("nrows", 1), grid.pop("ncols", 1), **grid)


def _title(fig, text: str) -> None:
    """Left-aligned figure title (it says what the chart shows), wrapped to the figure width."""
    pt = style.BASE_FONT_PT + 2
    text = style.wrap(text, int(fig.get_figwidth() * 72 / (pt * 0.55) * 0.95))
    fig.suptitle(text, x=0.005, ha="left", fontsize=style.BASE_FONT_PT + 2, fontweight="normal")


def _get(row, key, default=None):
    """row[key] for a dict or Series; ``default`` when absent, None or NaN."""
    try:
        v = row[key]
    except (KeyError, IndexError, TypeError):
        return default
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return default
    try:
        import pandas as pd

        if pd.isna(v):
            return default
    except (TypeError, ValueError):
        pass
    return v


def _minus(s: str) -> str:
    """Replace hyphen-minus used as a sign by U+2212 MINUS SIGN."""
    return re.sub(r"(?<![\w])-(?=\d)", "\u2212", s)


def fmt_value(v, unit: str | None = None, digits: int | None = None) -> str:
    """A value for a label: thousands separators, no spurious decimals, % for shares, − for minus.

    Without ``digits`` the fewest decimals (0–2) that show the value to 0.01 are used.
    """
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "–"
    v = float(v)
    if digits is None:
        digits = next(d for d in (0, 1, 2) if round(v, d) == round(v, 2))
    s = f"{v:,.{digits}f}"
    if unit == "%":
        s += "%"
    return _minus(s)


def _unit_suffix(unit, lang) -> str:
    """' 亿元' after a value (nothing for %, which fmt_value already appends)."""
    if not unit or unit == "%":
        return ""
    u = unit_label(unit, "en" if lang == "en" else "zh")
    return f" {u}"


def _year_axis(ax) -> None:
    """Integer year ticks."""
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=9))


def _value_axis(ax, unit) -> None:
    """Thousands separators and U+2212 on the value axis; the unit as the axis label."""
    from matplotlib.ticker import FuncFormatter

    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: _minus(f"{v:,.10g}")))


def _source_ids(*frames) -> list[str]:
    """Distinct source_id values of the frames, in order of first appearance."""
    ids: list[str] = []
    for f in frames:
        if f is None or "source_id" not in getattr(f, "columns", ()):
            continue
        for s in f["source_id"].dropna().astype(str):
            for part in s.split(";"):
                if part.strip() and part.strip() not in ids:
                    ids.append(part.strip())
    return ids


def source_note(source_ids, sources=None, lang="zh", goal=None, extra: str = "") -> str:
    """Footnote text: "资料来源：《title》(publisher, year); …" plus the policy clause of the goal."""
    parts = []
    lookup = {}
    if sources is not None and len(sources):
        lookup = {str(r["source_id"]): r for r in sources.to_dict("records")}
    for sid in source_ids[:MAX_SOURCES]:
        r = lookup.get(sid)
        if r is None:
            parts.append(sid)
            continue
        title = str(_get(r, "title", sid))
        who = str(_get(r, "publisher", "") or "")
        year = str(_get(r, "published", "") or "")[:4]
        meta = ", ".join(x for x in (who, year) if x)
        parts.append(f"{title} ({meta})" if meta else title)
    more = len(source_ids) - MAX_SOURCES
    sep = "；" if lang == "zh" else "; "
    body = sep.join(parts)
    if more > 0:
        body += (" " if lang != "zh" else "") + t("more", lang, n=more)
    lines = []
    if body:
        lines.append(t("sources", lang) + body)
    if goal is not None:
        clause = _get(goal, "clause", "")
        g = t("goal_source", lang, sep=" / ")
        lines.append(f"{g} {clause}".strip())
    if extra:
        lines.append(extra)
    return "\n".join(lines)


def _goal_axes(ax, obs, target, years, unit, lang, goal_value):
    """Year range (data, projections and the goal's year), the labelled goal line, axis units.

    Returns the legend handles of the goal line.
    """
    handles = []
    if target is not None and _get(target, "target_year") is not None:
        years = [*years, int(_get(target, "target_year"))]
    if years:
        ax.set_xlim(min(years) - 0.6, max(years) + 0.6)
    level = _goal_level(target, obs, goal_value)
    if target is not None and level is not None:
        handles += _draw_goal(ax, target, lang, level)
    _year_axis(ax)
    _value_axis(ax, unit)
    ax.set_ylabel(unit_label(unit, lang))
    return handles


def _legend(ax, handles, ncol=1, loc="upper left", below=False):
    """A frameless legend from (handle, label) pairs, duplicates removed; ``below`` the axes."""
    import textwrap

    seen, hs, ls = set(), [], []
    for h, label in handles:
        if label not in seen:
            seen.add(label)
            hs.append(h)
            # Long (bilingual) labels wrap, so a multi-column legend never outgrows an A4 figure.
            ls.append(
                "\n".join(textwrap.fill(part, LEGEND_LABEL_CHARS) for part in label.split("\n"))
            )
    if hs and below == "above":
        ax.legend(
            hs,
            ls,
            loc="lower left",
            bbox_to_anchor=(0, 1.01),
            ncol=ncol,
            handlelength=2.2,
            borderaxespad=0.0,
            columnspacing=1.5,
        )
    elif hs and below:
        ax.legend(
            hs,
            ls,
            loc="upper left",
            bbox_to_anchor=(0, -0.09),
            ncol=ncol,
            handlelength=2.2,
            borderaxespad=0.0,
            columnspacing=1.5,
        )
    elif hs:
        ax.legend(hs, ls, loc=loc, ncol=ncol, handlelength=2.2, borderaxespad=0.3)


def _mix(colour: str, a: float) -> tuple:
    """``colour`` blended with white (a = 0 white, 1 full colour): opaque, prints as seen."""
    from matplotlib.colors import to_rgb

    r, g, b = to_rgb(colour)
    return (1 - a + a * r, 1 - a + a * g, 1 - a + a * b)


def _qcol(frame, q: float):
    """The column of ``frame`` whose name is the quantile ``q`` (float or numeric string)."""
    for c in frame.columns:
        try:
            if abs(float(c) - q) < 1e-9:
                return frame[c]
        except (TypeError, ValueError):
            continue
    raise KeyError(f"fan has no {q} quantile column (has {list(frame.columns)})")


def _goal_text(target, lang, value=None) -> str:
    """'目标（2025年）≥ 20,000 亿元' / 'Goal (2025): ≥ 20,000 100 million yuan'."""
    unit = _get(target, "unit")
    v = _get(target, "target_value") if value is None else value
    year = _get(target, "target_year")
    cmp_ = COMPARISON.get(str(_get(target, "comparison", "")), "")
    if _get(target, "kind") == "reduction_vs_baseline" and value is not None:
        cmp_, unit = "≤", None  # a cut of x % is drawn on the chained index: index ≤ 100 − x
    val = f"{cmp_} {fmt_value(v, unit)}{_unit_suffix(unit, lang)}".strip()
    y = int(year) if year is not None else None
    zh = f"目标（{y}年）{val}" if y else f"目标 {val}"
    en = f"Goal ({y}): {val}" if y else f"Goal: {val}"
    return pick(zh, en, lang, "\n")


def _no_data(ax, lang) -> None:
    """Say 'no data' in an empty panel rather than leaving it blank."""
    ax.text(
        0.5,
        0.5,
        t("not_assessable", lang),
        transform=ax.transAxes,
        ha="center",
        va="center",
        color=GREY,
    )
    ax.set_xticks([])
    ax.set_yticks([])


# ---------------------------------------------------------------------------------------------
# path to goal with fan chart


def _draw_observations(ax, obs, lang, colour=None) -> list:
    """Observed figures: solid line through points, markers by kind, bounds as arrows; handles."""
    from matplotlib.lines import Line2D

    colour = colour or style.OBSERVED
    handles = []
    if obs is None or len(obs) == 0:
        return handles
    df = obs.copy()
    derived = df["derived"].fillna(False).astype(bool) if "derived" in df else False
    kind = df["kind"].astype(str) if "kind" in df else "exact"
    df["_kind"] = kind
    df["_derived"] = derived
    pts = df[df["_kind"].isin(POINT_KINDS) & df["value"].notna()].sort_index()
    if len(pts):
        ax.plot(pts.index, pts["value"], color=colour, lw=1.6, zorder=3, solid_capstyle="round")
        handles.append((Line2D([], [], color=colour, lw=1.6), t("observed", lang)))
    for key, spec in MARKERS.items():
        if key == "derived":
            sel = pts[pts["_derived"]]
        else:
            sel = pts[(pts["_kind"] == key) & ~pts["_derived"]]
        if not len(sel):
            continue
        face = colour if spec["fill"] else "white"
        ax.plot(
            sel.index,
            sel["value"],
            ls="none",
            marker=spec["marker"],
            ms=4.5,
            mfc=face,
            mec=colour,
            mew=1.1,
            zorder=4,
        )
        if key != "exact":
            label = t(key, lang)
            h = Line2D(
                [], [], ls="none", marker=spec["marker"], ms=4.5, mfc=face, mec=colour, mew=1.1
            )
            handles.append((h, label))
    for key, up in zip(BOUND_KINDS, (True, False), strict=True):
        sel = df[(df["_kind"] == key) & df["value"].notna()]
        if not len(sel):
            continue
        for year, row in sel.iterrows():
            ls = (0, (2, 1.5)) if row["_derived"] else "-"
            ax.annotate(
                "",
                xy=(year, row["value"]),
                xytext=(0, 16 if up else -16),
                textcoords="offset points",
                arrowprops={
                    "arrowstyle": "<|-",
                    "color": colour,
                    "lw": 1.0,
                    "linestyle": ls,
                    "shrinkA": 0,
                    "shrinkB": 0,
                    "mutation_scale": 7,
                },
                zorder=4,
            )
        ax.plot(
            sel.index, sel["value"], ls="none", marker="_", ms=9, mew=1.6, color=colour, zorder=4
        )
        h = Line2D(
            [], [], ls="none", marker=r"$\uparrow$" if up else r"$\downarrow$", ms=8, color=colour
        )
        label = t(key, lang)
        if sel["_derived"].any():
            label += pick("（虚线箭头为推算）", " (dashed arrow: derived)", lang, " ")
        handles.append((h, label))
    plans = None
    if "plan" in df.columns:
        plans = df["plan"].dropna()
    plan_rows = df[df["_kind"] == "plan_target"]["value"].dropna()
    plans = plan_rows if plans is None else plans.combine_first(plan_rows)
    if plans is not None and len(plans):
        ax.plot(
            plans.index, plans.values, ls="none", marker="x", ms=4.5, mew=1.0, color=GREY, zorder=3
        )
        handles.append(
            (
                Line2D([], [], ls="none", marker="x", ms=4.5, mew=1.0, color=GREY),
                t("plan_target", lang),
            )
        )
    return handles


def _anchor(fan, obs):
    """Fan with the last observed point prepended (bands start from it), when it comes before."""
    import pandas as pd

    if obs is None or not len(obs) or "kind" not in obs:
        return fan
    pts = obs[obs["kind"].astype(str).isin(POINT_KINDS) & obs["value"].notna()]
    if not len(pts):
        return fan
    y0 = int(pts.index.max())
    if y0 >= int(fan.index.min()):
        return fan
    row = pd.DataFrame(
        [[float(pts.loc[y0, "value"])] * fan.shape[1]], index=[y0], columns=fan.columns
    )
    return pd.concat([row, fan])


def _draw_fan(ax, fan, obs, lang, bands="deciles", colour=None) -> list:
    """Probability bands (outermost lightest) and the dashed median; legend handles."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    colour = colour or style.PROJECTION
    pairs = BANDS[bands] if isinstance(bands, str) else tuple(bands)
    n_cal = int(fan.attrs.get("calibrated_on", 0) or 0)
    fan = _anchor(fan.sort_index(), obs)
    years = fan.index.astype(int)
    handles = []
    n = len(pairs)
    for i, (lo, hi) in enumerate(pairs):
        shade = _mix(colour, 0.14 + 0.42 * i / max(n - 1, 1))
        ax.fill_between(years, _qcol(fan, lo), _qcol(fan, hi), color=shade, lw=0, zorder=1)
        cov = round((hi - lo) * 100)
        label = pick(f"中心{cov}%概率区间", f"central {cov}% probability band", lang, " ")
        handles.append((Patch(color=shade, lw=0), label))
    handles.reverse()  # innermost first reads naturally next to the median
    ax.plot(years, _qcol(fan, 0.5), color=colour, lw=1.4, ls=(0, (4, 2)), zorder=2)
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
    drawn = [float(v) for pair in pairs for q in pair for v in _qcol(fan, q) if np.isfinite(v)]
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


def _draw_goal(ax, target, lang, value=None) -> list:
    """The goal as a labelled dash-dot line up to its year, with a marker at the year."""
    from matplotlib.lines import Line2D

    v = _get(target, "target_value") if value is None else value
    year = _get(target, "target_year")
    if v is None:
        return []
    x0, x1 = ax.get_xlim()
    end = float(year) if year is not None else x1
    ax.plot([x0, end], [v, v], color=GOAL, lw=1.2, ls="-.", zorder=2, gid=GOAL_LINE)
    if year is not None:
        ax.plot([end], [v], marker="*", ms=8, color=GOAL, zorder=5, ls="none")
    ax.annotate(
        _goal_text(target, lang, value),
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


def _goal_level(target, obs, value):
    """The level the goal line is drawn at: a reduction is drawn on the chained index (100 − x)."""
    if value is not None:
        return value
    if target is None:
        return None
    v = _get(target, "target_value")
    unit = (getattr(obs, "attrs", {}) or {}).get("unit")
    reduction = _get(target, "kind") == "reduction_vs_baseline"
    if reduction and str(unit).startswith("index") and v is not None:
        return 100.0 - float(v)
    return v


@_styled
def path_to_goal(
    obs,
    target=None,
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

    ``obs``: `dgm.series()` frame (value, kind, source_id, derived; attrs unit); ``target``: a goal
    registry row; ``fan``: year × quantile-column frame (0.1 … 0.9 needed for deciles, 0.025 …
    0.975 for "50/80/95"); ``sources``: sources.csv frame for the footnote; ``indicator``: a
    catalogue row (title and unit when no target is given). Returns a Figure.
    """
    attrs = getattr(obs, "attrs", {}) or {}
    unit = _get(target, "unit") if target is not None else None
    unit = attrs.get("unit") or unit or _get(indicator, "unit")
    note = t("fan_note", lang) if fan is not None else ""
    has_bridge = obs is not None and "bridged" in obs
    bridged = [int(y) for y in obs.index[obs["bridged"].astype(bool)]] if has_bridge else []
    if bridged:
        yrs = ", ".join(map(str, bridged))
        note = pick(
            f"{yrs}年由五年累计变化衔接（期内各年空缺）。",
            f"{yrs}: reached through a five-year cumulative change (years inside left blank).",
            lang,
            " ",
        ) + (" " + note if note else "")
    level = _goal_level(target, obs, goal_value)
    cut = _fan_cut(fan, obs, level, bands) if fan is not None and len(fan) else None
    if cut is not None:
        note = (note + " " if note else "") + _cut_note(fan, cut, lang)
    if attrs.get("proxy"):
        note = pick(
            f"以代理指标判断：{attrs['proxy']}（目标本身的指标未见公布）。",
            f"Judged on a proxy: {attrs['proxy']} (the goal's own indicator is not published).",
            lang,
            " ",
        ) + (" " + note if note else "")
    foot = source_note(_source_ids(obs), sources, lang, goal=target, extra=note)
    fig, gs = _canvas(size, foot)
    ax = fig.add_subplot(gs[0])
    handles = _draw_observations(ax, obs, lang)
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
    handles += _goal_axes(ax, obs, target, years, unit, lang, goal_value)
    if cut is not None:
        handles += _mark_cut(ax, fan, obs, cut, lang)
    ymin, ymax = ax.get_ylim()
    ax.set_ylim(ymin, ymax + (ymax - ymin) * 0.08)
    _legend(ax, handles, ncol=3 if lang != "both" else 2, below=True)
    if title is None:
        row = target if target is not None else indicator
        name = (
            style.row_label(row, lang, sep="\n") if row is not None else attrs.get("indicator", "")
        )
        what = pick("：实际走势与预测", ": observed path and projection", lang, "\n")
        if fan is None:
            what = pick("：实际走势", ": observed path", lang, "\n")
        if lang == "both":
            zh, en = name.split("\n", 1) if "\n" in name else (name, name)
            wz, we = what.split("\n", 1)
            title = f"{zh}{wz}\n{en}{we}"
        else:
            title = f"{name}{what}"
    _title(fig, title)
    return fig


# ---------------------------------------------------------------------------------------------
# required versus observed rate


def _records(assessment):
    """Assessment as a list of dicts (accepts a list of dicts or a DataFrame)."""
    if hasattr(assessment, "to_dict"):
        return assessment.to_dict("records")
    return list(assessment)


def _target_rows(targets) -> dict:
    """Goal registry rows by id (accepts a DataFrame, a list of dicts or None)."""
    if targets is None:
        return {}
    rows = targets.to_dict("records") if hasattr(targets, "to_dict") else list(targets)
    return {str(r["id"]): r for r in rows}


@_styled
def rate_chart(assessment, targets=None, *, sources=None, lang: str = "zh", size="full"):
    """Required versus observed compound yearly rate for every goal that has both (dumbbells).

    ``assessment``: `dgm.assess` records (target_id, required_rate, observed_rate as fractions per
    year, rate_ratio, status); ``targets``: the goal registry (labels). Sorted by rate_ratio.
    """
    from matplotlib.lines import Line2D

    rows = _target_rows(targets)
    recs = [
        r
        for r in _records(assessment)
        if _get(r, "required_rate") is not None and _get(r, "observed_rate") is not None
    ]
    recs.sort(key=lambda r: _get(r, "rate_ratio", 0.0))
    height = max(1.6, 0.32 * len(recs) * (1.6 if lang == "both" else 1) + 1.0)
    foot = source_note(
        [],
        sources,
        lang,
        extra=pick(
            "年均变化为复合年率：所需 = 由基期值至目标值；实际 = 基期以来的已公布数据。",
            "Compound yearly rates: required = from the baseline to the goal; observed = published "
            "figures since the baseline.",
            lang,
            "\n",
        ),
    )
    foot = t("goal_source", lang, sep=" / ") + "\n" + foot
    fig, gs = _canvas(size, foot, height=height)
    ax = fig.add_subplot(gs[0])
    if not recs:
        _no_data(ax, lang)
    for i, r in enumerate(recs):
        req, obs_ = 100 * float(r["required_rate"]), 100 * float(r["observed_rate"])
        ax.plot([obs_, req], [i, i], color="#BBBBBB", lw=2.2, zorder=1, solid_capstyle="butt")
        ax.plot([req], [i], marker="D", ms=5.5, mfc="white", mec=GOAL, mew=1.4, zorder=3)
        ax.plot([obs_], [i], marker="o", ms=5.5, color=style.OBSERVED, zorder=3)
    labels = [
        style.wrap(
            style.row_label(rows.get(str(r["target_id"]), {"id": r["target_id"]}), lang, sep="\n"),
            46,
        )
        for r in recs
    ]
    ax.set_yticks(range(len(recs)), labels)
    ax.set_ylim(len(recs) - 0.5, -0.5)
    ax.axvline(0, color="#666666", lw=0.6)
    ax.grid(axis="x")
    ax.grid(axis="y", visible=False)
    ax.set_xlabel(t("per_year", lang))
    _value_axis_x(ax)
    _legend(
        ax,
        [
            (
                Line2D([], [], ls="none", marker="D", ms=5.5, mfc="white", mec=GOAL, mew=1.4),
                t("required_rate", lang),
            ),
            (
                Line2D([], [], ls="none", marker="o", ms=5.5, color=style.OBSERVED),
                t("observed_rate", lang),
            ),
        ],
        ncol=2,
        below="above",
    )
    _title(fig, t("rate_title", lang, sep="\n"))
    return fig


def _value_axis_x(ax) -> None:
    """U+2212 on the x axis."""
    from matplotlib.ticker import FuncFormatter

    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: _minus(f"{v:,.10g}")))


# ---------------------------------------------------------------------------------------------
# scorecard heat table


def _cols_for(width_in: float, pt: float) -> int:
    """Wrap width in columns for a text box ``width_in`` wide at ``pt`` points (CJK = 2)."""
    return max(6, int(width_in * 72 / (pt * 0.55)))


@_styled
def scorecard_chart(assessment, targets=None, *, sources=None, lang: str = "zh", size="full"):
    """Scorecard as a heat table: goal, target, latest figure, rates, P(goal met), status.

    Status cells are coloured by verdict (and say it in words); the P column is shaded by
    probability. ``assessment``: `dgm.assess` records; ``targets``: registry (labels, clause).
    Rows grow to fit wrapped labels, so the table suits A4 in all three languages.
    """
    from matplotlib.patches import Rectangle

    rows = _target_rows(targets)
    recs = _records(assessment)
    heads = [
        pick("目标", "Goal", lang, " · "),
        pick("目标值", "Goal value", lang, "\n"),
        pick("最新值", "Latest", lang, "\n"),
        pick("所需年率", "Required", lang, "\n") + pick("\n(%)", "\n(% a year)", lang, ""),
        pick("实际年率", "Observed", lang, "\n") + pick("\n(%)", "\n(% a year)", lang, ""),
        pick("达成概率", "P(met)", lang, "\n"),
        t("status", lang, sep="\n"),
    ]
    widths = [0.35, 0.12, 0.13, 0.075, 0.075, 0.075, 0.175]
    w_in = (SIZES[size] if isinstance(size, str) else size)[0]
    fs = style.BASE_FONT_PT - (1.5 if lang == "both" else 0.5)
    table = []
    for r in recs:
        g = rows.get(str(r.get("target_id")), {})
        unit = _get(r, "unit") or _get(g, "unit")
        label = style.row_label(g or {"id": r.get("target_id")}, lang, sep="\n")
        label = style.wrap(label, _cols_for(widths[0] * w_in - 0.05, fs))
        tg = {
            **g,
            **{
                k: r[k]
                for k in ("target_value", "target_year", "comparison")
                if _get(r, k) is not None
            },
        }
        cmp_ = COMPARISON.get(str(_get(tg, "comparison", "")), "")
        goal = f"{cmp_}{fmt_value(_get(tg, 'target_value'), unit)}"
        if _get(tg, "target_year"):
            goal += f"\n({int(_get(tg, 'target_year'))})"
        lv, ly, lk = _get(r, "latest_value"), _get(r, "latest_year"), _get(r, "latest_kind")
        mark = {"lower_bound": "≥", "upper_bound": "≤", "approx": "~"}.get(str(lk), "")
        latest = "–" if lv is None else f"{mark}{fmt_value(lv, unit)}"
        if lk == "estimate":
            latest += " e"
        if ly is not None and lv is not None:
            latest += f"\n({int(ly)})"
        req, obs_, p = _get(r, "required_rate"), _get(r, "observed_rate"), _get(r, "p_attain")
        status = str(_get(r, "status", "insufficient_data"))
        zh, en, colour = STATUS.get(status, (status, status, "#BBBBBB"))
        if (_get(r, "robustness") or {}).get("fragile"):
            zh, en = zh + " †", en + " †"
        cells = [
            label,
            goal,
            latest,
            "–" if req is None else fmt_value(100 * float(req), None, 1),
            "–" if obs_ is None else fmt_value(100 * float(obs_), None, 1),
            "–" if p is None else f"{100 * float(p):.0f}%",
            pick(zh, en, lang, "\n"),
        ]
        table.append((cells, p, colour))
    line = fs * 1.25 / 72  # inches per text line
    pad = 0.07
    heights = [max(c.count("\n") + 1 for c in cells) * line + pad for cells, _, _ in table]
    head_h = max(h.count("\n") + 1 for h in heads) * line + pad
    body_h = sum(heights) + head_h
    foot = source_note(
        [],
        sources,
        lang,
        extra=pick(
            "最新值：≥ 为公布下限，~ 为约数，e 为初步/估计数。所需/实际年率为复合年均变化率；"
            "达成概率来自模型模拟路径。† 脆弱：换基期（2014、2015、首个数据）或ESCAP半衰期"
            "（2、5、10年）结论即变。",
            "Latest: ≥ a published lower bound, ~ approximate, e preliminary or estimate. Required "
            "and observed rates are compound yearly changes; P(met) is read from simulated model "
            "paths. † fragile: the verdict changes with the baseline (2014, 2015, first figure) "
            "or ESCAP's half-life (2, 5, 10 years).",
            lang,
            "\n",
        ),
    )
    foot = t("goal_source", lang, sep=" / ") + "\n" + foot
    fig, gs = _canvas(size, foot, height=body_h + 0.45)
    ax = fig.add_subplot(gs[0])
    ax.set_axis_off()
    ax.set_xlim(0, 1)
    ax.set_ylim(body_h, 0)
    xs = [sum(widths[:i]) for i in range(len(widths))]
    for x, head in zip(xs, heads, strict=True):
        ax.text(
            x + 0.006,
            head_h - pad / 2,
            head,
            ha="left",
            va="bottom",
            fontsize=fs,
            color="#222222",
            linespacing=1.15,
        )
    ax.plot([0, 1], [head_h, head_h], color="#333333", lw=0.8)
    y = head_h
    for i, ((cells, p, colour), h) in enumerate(zip(table, heights, strict=True)):
        if i % 2 == 1:
            ax.add_patch(Rectangle((0, y), 1, h, color="#F4F4F4", lw=0, zorder=0))
        if p is not None:
            ax.add_patch(
                Rectangle(
                    (xs[5], y + 0.02),
                    widths[5] - 0.004,
                    h - 0.04,
                    color=_mix(style.OBSERVED, 0.1 + 0.6 * float(p)),
                    lw=0,
                    zorder=1,
                )
            )
        ax.add_patch(
            Rectangle(
                (xs[6], y + 0.02), widths[6], h - 0.04, color=_mix(colour, 0.55), lw=0, zorder=1
            )
        )
        for j, (x, text) in enumerate(zip(xs, cells, strict=True)):
            dark = j == 5 and p is not None and float(p) > 0.6
            ax.text(
                x + 0.006,
                y + h / 2,
                text,
                ha="left",
                va="center",
                fontsize=fs,
                zorder=2,
                color="white" if dark else "#111111",
                linespacing=1.15,
            )
        y += h
    ax.plot([0, 1], [y, y], color="#333333", lw=0.6)
    _title(fig, t("scorecard_title", lang, sep="\n"))
    return fig


# ---------------------------------------------------------------------------------------------
# coverage matrix


@_styled
def coverage_chart(matrix, indicators=None, *, sources=None, lang: str = "zh", size="full"):
    """Indicator × year grid of the kind of figure the build chose (letter and colour per cell).

    ``matrix``: `dgm.coverage.coverage_matrix()` (index indicator ids, columns years, cells
    exact/approx/estimate/derived/bound/plan/missing); ``indicators``: the catalogue (labels).
    """
    import numpy as np
    from matplotlib.colors import ListedColormap
    from matplotlib.patches import Patch

    codes = list(COVERAGE)
    labels_by_id = {}
    if indicators is not None:
        for r in indicators.to_dict("records"):
            labels_by_id[str(r["id"])] = style.row_label(r, lang, sep=" / ")
    n, m = matrix.shape
    grid = np.array(
        [
            [codes.index(str(c)) if str(c) in codes else codes.index("missing") for c in row]
            for row in matrix.to_numpy()
        ]
    )
    row_h = 0.16 if lang != "both" else 0.2
    n_src = len(sources) if sources is not None else None
    extra = ""
    if n_src:
        extra = pick(
            f"资料来源：dgm 数据集所收录的 {n_src} 份文件（data/raw/sources.csv）。",
            f"Sources: the {n_src} documents in dgm's dataset (data/raw/sources.csv).",
            lang,
            "\n",
        )
    foot = pick(
        "每格为构建规则所选的数据类型：确数优先于约数和初步数；仅有上/下限或计划目标的年份"
        "另行标出。",
        "Each cell: the kind of figure the build rule chose (exact before "
        "approximate before estimate); years with only a bound or a plan figure are "
        "marked.",
        lang,
        "\n",
    ) + ("\n" + extra if extra else "")
    fig, gs = _canvas(size, foot, height=0.9 + row_h * n)
    ax = fig.add_subplot(gs[0])
    cmap = ListedColormap(
        [_mix(COVERAGE[c][3], 0.85) if c != "missing" else "#FFFFFF" for c in codes]
    )
    ax.pcolormesh(
        np.arange(m + 1) - 0.5,
        np.arange(n + 1) - 0.5,
        grid,
        cmap=cmap,
        vmin=-0.5,
        vmax=len(codes) - 0.5,
        edgecolors="#DDDDDD",
        linewidth=0.4,
    )
    for i in range(n):
        for j in range(m):
            code = codes[grid[i, j]]
            dark = code in ("exact", "derived", "estimate")
            ax.text(
                j,
                i,
                COVERAGE[code][0],
                ha="center",
                va="center",
                fontsize=style.BASE_FONT_PT - 2.5,
                color="white" if dark else ("#999999" if code == "missing" else "#111111"),
            )
    ax.set_xticks(range(m), [str(c) for c in matrix.columns], rotation=90)
    ax.set_yticks(
        range(n),
        [labels_by_id.get(str(i), str(i)) for i in matrix.index],
        fontsize=style.BASE_FONT_PT - 2,
    )
    ax.tick_params(axis="x", labelsize=style.BASE_FONT_PT - 2, length=0)
    ax.tick_params(axis="y", length=0)
    ax.set_ylim(n - 0.5, -0.5)
    ax.grid(False)
    for s in ax.spines.values():
        s.set_visible(False)
    ax.xaxis.tick_top()
    handles = [
        Patch(
            facecolor=_mix(COVERAGE[c][3], 0.85) if c != "missing" else "white",
            edgecolor="#999999",
            lw=0.4,
            label=f"{COVERAGE[c][0]} {pick(COVERAGE[c][1], COVERAGE[c][2], lang, ' ')}",
        )
        for c in codes
    ]
    ax.legend(
        handles=handles,
        loc="upper center",
        bbox_to_anchor=(0.4, 0.0),
        ncol=4 if lang == "both" else 7,
        fontsize=style.BASE_FONT_PT - 1.5,
        handlelength=1.2,
        columnspacing=1.0,
    )
    _title(fig, t("coverage_title", lang, sep="\n"))
    return fig


# ---------------------------------------------------------------------------------------------
# scenario comparison


@_styled
def scenario_chart(
    scenarios: Mapping,
    obs=None,
    target=None,
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
    Series (a deterministic path, dashed); ``labels``: name → (zh, en) or str.
    """
    import pandas as pd
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    attrs = getattr(obs, "attrs", {}) or {}
    unit = unit or attrs.get("unit") or _get(target, "unit")
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
    foot = source_note(_source_ids(obs), sources, lang, goal=target, extra=note)
    fig, gs = _canvas(size, foot)
    ax = fig.add_subplot(gs[0])
    handles = _draw_observations(ax, obs, lang, colour=OKABE_ITO["black"])
    colours = [c for c in PALETTE if c != OKABE_ITO["black"] and c != GOAL]
    years = list(obs.index) if obs is not None else []
    for k, (name, path) in enumerate(scenarios.items()):
        colour, dash = colours[k % len(colours)], dashes[k % len(dashes)]
        lab = (labels or {}).get(name, name)
        lab = pick(*lab, lang, " · ") if isinstance(lab, tuple) else str(lab)
        if isinstance(path, pd.DataFrame):
            path = _anchor(path.sort_index(), obs)
            if band is not None:
                ax.fill_between(
                    path.index.astype(int),
                    _qcol(path, band[0]),
                    _qcol(path, band[1]),
                    color=colour,
                    alpha=0.13,
                    lw=0,
                    zorder=1,
                )
            mid = _qcol(path, 0.5)
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
    handles += _goal_axes(ax, obs, target, years, unit, lang, None)
    _legend(ax, handles, ncol=3 if lang != "both" else 2, below=True)
    if title is None:
        name = style.row_label(target, lang, sep=" · ") if target is not None else ""
        title = t("scenario_title", lang, sep=" · ") + (
            pick("：", ": ", lang, "") + name if name else ""
        )
        if lang == "both" and target is not None:
            title = (
                f"{t('scenario_title', 'zh')}：{style.row_label(target, 'zh')}\n"
                f"{t('scenario_title', 'en')}: {style.row_label(target, 'en')}"
            )
    _title(fig, title)
    return fig


# ---------------------------------------------------------------------------------------------
# backtest errors by model


@_styled
def backtest_chart(backtests, *, indicators=None, lang: str = "zh", size="full"):
    """Backtest accuracy by forecasting method: MASE per indicator and pooled interval coverage.

    ``backtests``: `dgm.backtest.backtest_all()` (indicator, method, mase, smape, coverage80,
    coverage95, n_forecasts). Left: MASE (1 = as good as the naive forecast; dots are indicators,
    bar the median). Right: share of outcomes inside the 80 % and 95 % intervals, pooled over
    indicators weighted by the number of forecasts, against the nominal coverage.
    """
    import numpy as np
    from matplotlib.lines import Line2D

    bt = backtests.copy()
    methods = sorted(
        bt["method"].astype(str).unique(),
        key=lambda m: (m == "ensemble", list(METHODS).index(m) if m in METHODS else 99),
    )
    mlabel = [pick(*METHODS.get(m, (m, m)), lang, "\n") for m in methods]
    height = 1.2 + 0.3 * len(methods) * (1.5 if lang == "both" else 1)
    foot = pick(
        "回测：按各年已公布的数据（as-of）滚动预测，与其后公布的数值比较。"
        "MASE 以朴素预测误差为 1；覆盖率为实际值落入预测区间的比例。",
        "Backtest: rolling forecasts from the figures published by each year (as of), compared "
        "with the figures published later. MASE scales errors so that the naive forecast = 1; "
        "coverage is the share of outcomes inside the interval.",
        lang,
        "\n",
    )
    fig, gs = _canvas(size, foot, height=height, ncols=2, width_ratios=[1.25, 1], wspace=0.05)
    ax1 = fig.add_subplot(gs[0, 0])
    ax2 = fig.add_subplot(gs[0, 1], sharey=ax1)
    rng = np.random.default_rng(0)
    for i, m in enumerate(methods):
        sub = bt[bt["method"].astype(str) == m]
        v = sub["mase"].astype(float).dropna()
        jitter = rng.uniform(-0.18, 0.18, len(v))
        colour = OKABE_ITO["vermillion"] if m == "ensemble" else style.OBSERVED
        ax1.plot(
            v.values, i + jitter, ls="none", marker="o", ms=3, color=_mix(colour, 0.55), zorder=2
        )
        if len(v):
            med = float(np.median(v))
            ax1.plot([med, med], [i - 0.32, i + 0.32], color=colour, lw=2.2, zorder=3)
        w = sub["n_forecasts"].astype(float)
        for q, col, marker in ((80, "coverage80", "o"), (95, "coverage95", "s")):
            c = sub[col].astype(float)
            ok = c.notna() & w.gt(0)
            if ok.any():
                pooled = 100 * float((c[ok] * w[ok]).sum() / w[ok].sum())
                ax2.plot(
                    [pooled],
                    [i + (-0.15 if q == 80 else 0.15)],
                    marker=marker,
                    ms=4.5,
                    ls="none",
                    color=OKABE_ITO["blue"] if q == 80 else OKABE_ITO["orange"],
                    zorder=3,
                )
    ax1.axvline(1, color="#666666", lw=0.8, ls=":")
    ax1.text(
        1, -0.75, " " + t("naive", lang), fontsize=style.BASE_FONT_PT - 1.5, color=GREY, va="bottom"
    )
    ax1.set_yticks(range(len(methods)), mlabel)
    ax1.set_ylim(len(methods) - 0.5, -0.9)
    ax1.set_xlabel(t("mase", lang, sep="\n"))
    ax1.set_xlim(left=0)
    for ax in (ax1, ax2):
        ax.grid(axis="x")
        ax.grid(axis="y", visible=False)
    for q, colour in ((80, OKABE_ITO["blue"]), (95, OKABE_ITO["orange"])):
        ax2.axvline(q, color=colour, lw=0.8, ls=":")
    ax2.set_xlim(0, 100)
    ax2.set_xlabel(pick("区间覆盖率（%）", "Interval coverage (%)", lang, "\n"))
    ax2.tick_params(axis="y", labelleft=False, length=0)
    ax2.legend(
        [
            Line2D([], [], ls="none", marker="o", ms=4.5, color=OKABE_ITO["blue"]),
            Line2D([], [], ls="none", marker="s", ms=4.5, color=OKABE_ITO["orange"]),
            Line2D([], [], ls=":", color="#666666"),
        ],
        [
            pick("80%区间", "80% interval", lang, " "),
            pick("95%区间", "95% interval", lang, " "),
            t("nominal", lang),
        ],
        loc="lower left",
        fontsize=style.BASE_FONT_PT - 1.5,
    )
    _title(fig, t("backtest_title", lang, sep="\n"))
    return fig


# ---------------------------------------------------------------------------------------------
# measures by programme and department


def departments(text) -> list[str]:
    """Departments named in a measures.csv cell, normalised ('市經信局' → '經信局', 'X和各鎮街' → X,
    各鎮街)."""
    out: list[str] = []
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return out
    for part in re.split(r"[、，,;；/]", str(text)):
        for p in part.split("和"):
            p = p.strip()
            if p.startswith("市") and p[1:] in DEPARTMENTS_EN:
                p = p[1:]
            if p and p not in out:
                out.append(p)
    return out


def _dept_label(name: str, lang: str) -> str:
    """A department in lang (English from DEPARTMENTS_EN; the Chinese name when unknown)."""
    return pick(name, DEPARTMENTS_EN.get(name, name), lang, " · ")


@_styled
def measures_chart(measures, *, lang: str = "zh", top: int = 12, size="full"):
    """The policy's measures by programme (bars split by lead department) and by department.

    ``measures``: measures.csv (programme_zh/en, departments; the first department named leads).
    Top: measures per programme, coloured by lead department (the 5 most frequent, others grey).
    Bottom: the ``top`` departments by the number of measures they take part in.
    """
    import pandas as pd
    from matplotlib.patches import Patch

    df = measures.copy()
    df["_depts"] = df["departments"].map(departments)
    df["_lead"] = df["_depts"].map(lambda d: d[0] if d else "—")
    prog_col = "programme_zh" if "programme_zh" in df else "programme"
    order = list(dict.fromkeys(df[prog_col].astype(str)))
    prog_label = {}
    for r in df.to_dict("records"):
        prog_label[str(r[prog_col])] = style.wrap(
            style.row_label(r, lang, prefix="programme", sep="\n"), 44
        )
    leads = df["_lead"].value_counts()
    main_leads = list(leads.index[:5])
    other = pick("其他", "other", lang, " · ")
    df["_lead_g"] = df["_lead"].where(df["_lead"].isin(main_leads), other)
    counts = pd.crosstab(df[prog_col].astype(str), df["_lead_g"]).reindex(order).fillna(0)
    cols = [c for c in main_leads if c in counts.columns] + (
        [other] if other in counts.columns else []
    )
    involve = pd.Series([d for ds in df["_depts"] for d in ds]).value_counts().head(top)
    k = 1.5 if lang == "both" else 1.0
    h1, h2 = 0.27 * len(order) * k + 0.9, 0.22 * len(involve) * k + 0.5
    foot = pick(
        t("goal_source", "zh")
        + "第三部分（重点工程）及第四部分；各措施所列第一个部门视为牵头部门。",
        t("goal_source", "en") + ", part 3 (programmes) and part 4; the first department "
        "listed for a measure is taken as its lead.",
        lang,
        "\n",
    )
    fig, gs = _canvas(
        size, foot, height=h1 + h2 + 0.5, nrows=2, height_ratios=[h1, h2], hspace=0.08
    )
    ax1 = fig.add_subplot(gs[0, 0])
    ax2 = fig.add_subplot(gs[1, 0])
    left = pd.Series(0.0, index=counts.index)
    handles = []
    for i, c in enumerate(cols):
        colour = PALETTE[i] if c != other else "#BBBBBB"
        ax1.barh(
            range(len(order)),
            counts[c],
            left=left,
            color=colour,
            height=0.62,
            edgecolor="white",
            lw=0.5,
        )
        left += counts[c]
        handles.append(Patch(color=colour, label=_dept_label(c, lang) if c != other else other))
    for i, v in enumerate(left):
        ax1.text(v + 0.1, i, f"{int(v)}", va="center", fontsize=style.BASE_FONT_PT - 1)
    ax1.set_yticks(
        range(len(order)), [prog_label[p] for p in order], fontsize=style.BASE_FONT_PT - 1
    )
    ax1.set_ylim(len(order) - 0.5, -0.5)
    ax1.set_xlabel(t("measures_count", lang))
    ax1.set_xlim(0, float(left.max()) * 1.08 + 0.5)
    ax1.legend(
        handles=handles,
        title=pick("牵头部门", "Lead department", lang, " · "),
        loc="upper left",
        bbox_to_anchor=(1.01, 1.0),
        fontsize=style.BASE_FONT_PT - 1.5,
        title_fontsize=style.BASE_FONT_PT - 1,
        alignment="left",
    )
    ax1.set_title(
        pick("各专项行动的措施", "Measures in each programme", lang, " · "),
        fontsize=style.BASE_FONT_PT,
        loc="left",
    )
    ax2.barh(range(len(involve)), involve.values, color=style.OBSERVED, height=0.62)
    for i, v in enumerate(involve.values):
        ax2.text(v + 0.2, i, f"{int(v)}", va="center", fontsize=style.BASE_FONT_PT - 1)
    ax2.set_yticks(
        range(len(involve)),
        [_dept_label(d, lang) for d in involve.index],
        fontsize=style.BASE_FONT_PT - 1,
    )
    ax2.set_ylim(len(involve) - 0.5, -0.5)
    ax2.set_xlim(0, float(involve.max()) * 1.08 + 1)
    ax2.set_xlabel(pick("参与的措施数（项）", "Number of measures it takes part in", lang, " · "))
    ax2.set_title(
        pick(
            f"参与措施最多的{len(involve)}个部门",
            f"The {len(involve)} departments in most measures",
            lang,
            " · ",
        ),
        fontsize=style.BASE_FONT_PT,
        loc="left",
    )
    from matplotlib.ticker import MaxNLocator

    for ax in (ax1, ax2):
        ax.grid(axis="x")
        ax.grid(axis="y", visible=False)
        ax.tick_params(axis="y", length=0)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    _title(fig, t("measures_title", lang, sep="\n"))
    return fig


CHARTS = {
    "path_to_goal": path_to_goal,
    "rate_chart": rate_chart,
    "scorecard_chart": scorecard_chart,
    "coverage_chart": coverage_chart,
    "scenario_chart": scenario_chart,
    "backtest_chart": backtest_chart,
    "measures_chart": measures_chart,
}
