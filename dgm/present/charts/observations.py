"""Observed figures on a year axis: a solid line through the points, markers by kind, bounds as
arrows, plan figures as crosses (path, scenario and explorer charts)."""

from __future__ import annotations

from dgm.constants import BOUND_KINDS, POINT_KINDS
from dgm.labels import t
from dgm.present import style
from dgm.present.style import GREY

# Figures drawn as points: published ones and those derived from them (R&D intensity 2021 from
# R&D spending and GDP), which a verdict uses like any other point.
DRAWN_POINTS = (*POINT_KINDS, "derived")
# Marker per kind of figure: filled = a published point, open = a point with a caveat.
MARKERS = {
    "exact": {"marker": "o", "fill": True},
    "approx": {"marker": "s", "fill": True},
    "estimate": {"marker": "o", "fill": False},
    "derived": {"marker": "D", "fill": False},
}


def draw_observations(ax, obs, lang, colour=None) -> list:
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
    pts = df[df["_kind"].isin(DRAWN_POINTS) & df["value"].notna()].sort_index()
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
            label += t("derived_arrow", lang)
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
