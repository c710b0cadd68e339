"""A goal's judged series → the compound (or linear) rate a year it requires from its baseline
against the rate observed, as fractions (Eurostat / Open SDG, docs/method.md §2), or the reason
there is none."""

from __future__ import annotations

import pandas as pd

from dgm.engine import evidence, rates
from dgm.engine.goals import CHAINED, Judged
from dgm.engine.note_text import plural
from dgm.engine.rates import Progress

MIN_YEARLY = evidence.MIN_FIGURES  # yearly figures (the latest included) a rate needs


def _yearly_span(s: pd.Series) -> str:
    """'2015-2024' (or '2015') for a Series indexed by year."""
    a, b = int(s.index.min()), int(s.index.max())
    return str(a) if a == b else f"{a}-{b}"


def _level_endpoints(j: Judged) -> tuple[tuple[int, float], tuple[int, float]] | None:
    """((baseline year, level), (latest year, level)) of a growth goal's level, or None."""
    lv = j.levels
    if lv is None or j.base is None or j.base[0] not in lv.index or lv.index.max() <= j.base[0]:
        return None
    by = j.base[0]
    return (by, float(lv.loc[by])), (int(lv.index.max()), float(lv.iloc[-1]))


def rates_stage(j: Judged) -> tuple[Progress | None, list[str]]:
    """Required vs observed yearly rates (Eurostat / Open SDG), or None and the reason.

    Chained goals need >= MIN_YEARLY yearly figures after the baseline (or a five-year bridge,
    or, for a growth goal, its level published at the baseline and later);
    with none after it, the trend of >= MIN_YEARLY figures up to the baseline is used (the pace the
    policy's authors could see). Level goals compare the baseline with the latest later figure,
    or, with no later figure, the first figure with the baseline (the trend before it).
    """
    g, T = j.goal, j.goal.target_year
    if j.base is None:
        return None, [f"{j.proxy or g.indicator}: 0 points; no figure to serve as a baseline"]
    by, bv = j.base
    if g.kind in CHAINED:
        req = g.target_value / 100 if g.kind == "growth_rate" else None
        if req is None:
            req = rates.compound_rate(100, j.goal_value, T - by)
        yearly = j.yearly
        assert yearly is not None  # goals.restate gives every chained goal its yearly figures
        after = yearly[(yearly.index > by) & (yearly.index <= T)]
        before = yearly[yearly.index <= by]
        if j.bridged and len(j.hist) > 1:
            last = int(j.hist.index[-1])
            obs = rates.compound_rate(100, float(j.hist.iloc[-1]), last - by)
            what = f"the index from {by} to {last}, bridged by five-year figures"
        elif len(after) >= MIN_YEARLY:
            obs = rates.mean_growth(after.to_numpy())
            what = (
                f"the compound mean of {plural(len(after), 'yearly figure')} "
                f"({_yearly_span(after)}) of the {T - by} years {by + 1}-{T}"
            )
        elif (ends := _level_endpoints(j)) is not None:
            (y0, v0), (y1, v1) = ends
            obs = rates.compound_rate(v0, v1, y1 - y0)
            what = f"the compound rate of the level from {y0} ({v0:g}) to {y1} ({v1:g})"
        elif not len(after) and len(before) >= MIN_YEARLY:
            obs = rates.mean_growth(before.to_numpy())
            what = (
                f"the trend before the baseline: compound mean of {len(before)} yearly figures "
                f"({_yearly_span(before)}), what the policy's authors could see"
            )
        else:
            n = len(after) if len(after) else len(before)
            yrs = f" ({', '.join(str(int(y)) for y in (after if len(after) else before).index)})"
            return None, [
                f"{j.proxy or g.indicator}: {plural(n, 'yearly figure')}{yrs if n else ''}"
                f"{' after ' + str(by) if len(after) else ''}; a rate needs at least {MIN_YEARLY} "
                "including the latest, "
                + ("level endpoints " if g.kind == "growth_rate" else "")
                + "or a bridged index"
            ]
        prog: Progress = {
            "observed_rate": obs,
            "required_rate": req,
            "rate_ratio": rates.rate_ratio(obs, req),
            "method": "compound",
        }
        return prog, [f"observed_rate is {what}"]
    later = j.hist[j.hist.index > by]
    notes = []
    if len(later):
        prog = rates.progress(bv, float(later.iloc[-1]), j.goal_value, by, int(later.index[-1]), T)
    else:
        upto = j.hist[j.hist.index < by]
        if not len(upto):
            what = (
                f"one figure ({by})"
                if len(j.hist)
                else f"0 points; the baseline ({by}: {bv:g}) is the registry's, not a figure"
            )
            return None, [f"{j.proxy or g.indicator}: {what}; no rate can be measured"]
        fy, fv = int(upto.index[0]), float(upto.iloc[0])
        prog = rates.progress(fv, bv, j.goal_value, fy, by, T)
        # the required rate still runs from the baseline to the goal
        prog["required_rate"] = rates.required_rate(bv, j.goal_value, by, T)
        if prog["method"] == "compound":
            prog["rate_ratio"] = rates.rate_ratio(prog["observed_rate"], prog["required_rate"])
        notes.append(
            f"observed_rate is the trend {fy}-{by} up to the baseline, what the policy's authors "
            "could see"
        )
    if prog["method"] == "linear":
        notes.append("values cannot be logged; rate_ratio compares average yearly changes")
    return prog, notes
