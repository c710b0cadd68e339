"""A goal's verdict → whether it survives other baselines, other ESCAP half-lives and leaving out
its latest figure (docs/method.md §2, "Evidence"): the record's `robustness`."""

from __future__ import annotations

import pandas as pd

from dgm.constants import BOUND_KINDS
from dgm.engine import evidence, goals, rates
from dgm.engine.figures_read import latest_figure_year, latest_point
from dgm.engine.goals import CHAINED, Judged
from dgm.engine.note_text import value_text
from dgm.engine.record import Robustness
from dgm.engine.schemes import nan_for_none
from dgm.engine.verdict import Verdict, verdict
from dgm.words import PERIOD_LABELS

ROBUST_BASELINES = (2014, 2015, "first")
ROBUST_HALF_LIVES = (2.0, 5.0, 10.0)


def drop_latest(j: Judged, frame: pd.DataFrame, extra: dict, today_year: int):
    """(year, status): the status with the latest figure left out (the goal restated without
    it), or None when there is no figure to leave out."""
    ly = latest_figure_year(j)
    if ly is None:
        return None
    extra = dict(extra)
    if ly in j.bridged:
        extra["cumulative"] = extra["cumulative"].drop(ly)
    else:
        points = ~frame["kind"].astype(str).isin(BOUND_KINDS)
        frame = frame[~((frame.index == ly) & points)]
    return ly, verdict(goals.restate(j.goal, frame, **extra), today_year)["status"]


def _figure_words(j: Judged, year: int) -> str:
    """'2022: 46 %, 2022 (part of the year), year inferred' for a robustness reason."""
    if year in j.hist.index and j.goal.kind not in CHAINED:
        value = value_text(j, float(j.hist.loc[year]))
    else:
        value = (
            f"{float(j.yearly.loc[year]):+g} %"
            if j.yearly is not None and year in j.yearly.index
            else "a five-year change"
        )
    period, inferred = evidence.period_of(j, year)
    extra = "" if period == "year" else f", {PERIOD_LABELS[period][1].format(y=year)}"
    return f"{year}: {value}{extra}" + (", year inferred" if inferred else "")


def robustness(
    j: Judged, frame: pd.DataFrame, extra: dict, today_year: int, v: Verdict | None = None
) -> Robustness:
    """The status under other baselines (2014, 2015, the first figure), ESCAP's category under
    half-lives 2, 5, 10 years and, on a measured series, without its latest figure
    (`drop_latest`, null otherwise); `fragile` when a set disagrees (unavailable ones skipped),
    the latest figure decides the status, a deciding figure is at the threshold within rounding,
    or a verdict (not insufficient_data) rests on a proxy; `reasons` says which."""
    v = verdict(j, today_year) if v is None else v
    by_base = {}
    for b in ROBUST_BASELINES:
        jb = goals.rebased(j, b, frame, **extra)
        by_base[str(b)] = verdict(jb, today_year)["status"] if jb.base is not None else None
    by_hl = {}
    for hl in ROBUST_HALF_LIVES:
        gap = verdict(j, today_year, hl)["escap_gap"]
        by_hl[f"{hl:g}"] = rates.escap_category(nan_for_none(gap))
    reasons = [
        f"the {what} disagree"
        for what, d in (("baselines", by_base), ("ESCAP half-lives", by_hl))
        if len({x for x in d.values() if x is not None}) > 1
    ]
    dropped = drop_latest(j, frame, extra, today_year) if v["evidence"] == "series" else None
    if dropped is not None and dropped[1] != v["status"]:
        reasons.append(
            f"without its latest figure ({_figure_words(j, dropped[0])}) the status would be "
            f"{dropped[1]}"
        )
    decider = j.goal.target_year if v["basis"] == "observed" else latest_point(j)
    decider = decider[0] if isinstance(decider, tuple) else decider
    if decider is not None and evidence.at_threshold(j, decider) and v["basis"] != "bound":
        reasons.append(f"the {decider} figure is at the threshold within rounding")
    if j.proxy and v["status"] != "insufficient_data":
        reasons.append(f"judged on a proxy ({j.proxy}), not on the goal's own indicator")
    return {
        "baseline": by_base,
        "escap_half_life": by_hl,
        "drop_latest": None if dropped is None else dropped[1],
        "fragile": bool(reasons),
        "reasons": reasons,
    }
