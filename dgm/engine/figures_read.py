"""A goal's judged series → the figures its verdict reads: the latest published one, the target
year's own figure or bound (ex post), and the span of figures the verdict rests on (years as ints)."""

from __future__ import annotations

from typing import TypedDict

import pandas as pd

from dgm.constants import BOUND_KINDS
from dgm.engine import rates
from dgm.engine.goals import CHAINED, Judged, _num


class Latest(TypedDict):
    """The latest published figure (the record's latest_* fields) and the notes it needs."""

    latest_year: int | None
    latest_value: float | None  # in the goal's unit; a reduction: cumulative % since baseline
    latest_kind: str | None
    notes: list[str]


class FiguresUsed(TypedDict):
    """The span of figures a verdict rests on (the record's n_points, first_year, last_year)."""

    n_points: int
    first_year: int | None
    last_year: int | None


def latest_stage(frame: pd.DataFrame, j: Judged) -> Latest:
    """The latest published figure (points and bounds; plan targets never count).

    A reduction reports the cumulative reduction since its baseline read off the chained index.
    """
    out: Latest = {"latest_year": None, "latest_value": None, "latest_kind": None, "notes": []}
    rows = frame[frame["kind"].astype(str) != "plan_target"] if len(frame) else frame
    if len(rows):
        out["latest_year"] = int(rows.index[-1])
        out["latest_value"] = _num(rows["value"].iloc[-1])
        out["latest_kind"] = str(rows["kind"].iloc[-1])
    if j.goal.kind == "reduction_vs_baseline" and len(j.hist) > 1 and j.base is not None:
        out["latest_year"] = int(j.hist.index[-1])
        out["latest_value"] = 100 - float(j.hist.iloc[-1])
        out["latest_kind"] = "derived"
        out["notes"].append(
            f"latest_value is the cumulative reduction since {j.base[0]} (%), chained"
        )
    return out


def ex_post_stage(j: Judged) -> tuple[str | None, str | None, list]:
    """(met/not_met/None, basis observed/bound/None, notes) from the target year's own figure."""
    T = j.goal.target_year
    if T in j.hist.index:
        ok = rates.meets(j.hist.loc[T], j.cmp, j.goal_value, j.sign)
        return ("met" if ok else "not_met"), "observed", []
    if len(j.bounds) and T in j.bounds.index:
        b = j.bounds.loc[[T]].iloc[0]
        verdict = rates.bound_verdict(b["kind"], float(b["value"]), j.cmp, j.goal_value, j.sign)
        word = "lower" if b["kind"] == "lower_bound" else "upper"
        note = f"{T} has only a published {word} bound ({float(b['value']):g}); " + (
            f"it decides: {verdict}" if verdict else "it does not decide the goal"
        )
        return verdict, ("bound" if verdict else None), [note]
    return None, None, []


def latest_point(j: Judged) -> tuple[int, float] | None:
    """(year, value) of the last point of the judged series."""
    return (int(j.hist.index[-1]), float(j.hist.iloc[-1])) if len(j.hist) else None


def latest_figure_year(j: Judged) -> int | None:
    """The year of the latest point figure the judged series rests on (a chained goal's latest
    yearly or five-year change up to its target year)."""
    pts = j.used[~j.used["kind"].astype(str).isin(BOUND_KINDS)] if len(j.used) else j.used
    years = [int(y) for y in pts.index if int(y) <= j.goal.target_year]
    return max(years) if years else None


def figures_used(j: Judged) -> FiguresUsed:
    """n_points, first_year, last_year of the figures the verdict rests on: a chained goal's
    index points (its baseline = 100 included) when it has a chain, else the point figures
    used; first and last year count bounds and figures past the chain's end."""
    pts = j.used[~j.used["kind"].astype(str).isin(BOUND_KINDS)] if len(j.used) else j.used
    years = [int(y) for y in j.used.index]
    if j.goal.kind in CHAINED and len(j.hist) > 1:
        n, years = len(j.hist), years + [int(y) for y in j.hist.index]
    else:
        n = len(pts)
    return {
        "n_points": n,
        "first_year": min(years) if years else None,
        "last_year": max(years) if years else None,
    }


def basis_year(basis: str, last, latest_year, target_year: int) -> int | None:
    """The year of the figure a verdict rests on: a projection's last point (`last`, else the
    latest year), an observed figure's year when it is not the target year's; else None."""
    if basis == "projected":
        return last[0] if last else latest_year
    if basis == "observed" and latest_year is not None and latest_year != target_year:
        return latest_year
    return None
