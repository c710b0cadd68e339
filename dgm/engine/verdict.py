"""A goal's judged series and the year it is read in → its verdict: every stage except the forecast
(ex post, rates, schemes, status, evidence tier and reading), with their notes. Pure."""

from __future__ import annotations

from typing import TypedDict

import pandas as pd

from dgm.engine import evidence, goals
from dgm.engine.figures_read import ex_post_stage, latest_figure_year
from dgm.engine.goals import Goal, Judged
from dgm.engine.models import ESCAP_HALF_LIFE
from dgm.engine.rate_comparison import rates_stage
from dgm.engine.rates import Progress
from dgm.engine.schemes import schemes_stage
from dgm.engine.status_rules import met_at_baseline, status_stage, threshold_note


class Verdict(TypedDict):
    """What `verdict` decides (the record's fields of the same names, and what they rest on)."""

    ex_post: str | None  # met / not_met from the target year's own figure or bound, else None
    basis: str  # observed, bound or projected
    prog: Progress | None  # required vs observed rates, None when no rate can be measured
    trend: bool  # whether the rate is a measured trend (dgm.engine.evidence.measured)
    escap_gap: float | None  # a fraction (0 = goal reached)
    unsd_q: float | None  # a fraction (1 = goal reached)
    status: str  # one of dgm.constants.STATUSES
    evidence: str  # the evidence tier
    reading: str  # English
    reading_zh: str  # Chinese
    notes: list[str]  # English sentences, in order


def _bound_shown(j: Judged, basis: str | None) -> tuple | None:
    """(year, kind, value) of the bound a reading names: the deciding one, else the latest when
    the series has no point."""
    if not len(j.bounds):
        return None
    T = j.goal.target_year
    if basis == "bound" and T in j.bounds.index:
        row = j.bounds.loc[[T]].iloc[0]
    elif not len(j.hist):
        row, T = j.bounds.iloc[-1], int(j.bounds.index[-1])
    else:
        return None
    return T, str(row["kind"]), float(row["value"])


def verdict(j: Judged, today_year: int, half_life: float = ESCAP_HALF_LIFE) -> Verdict:
    """The status decision, a pure function of a goal's judged series and the year it is read in
    (dgm.engine.goals.restate gives the Judged; restate it on a frame with a hypothetical figure added,
    `goals.with_figure`, to see what that figure would decide). Every stage except the forecast:
    ex post, rates, schemes, status, evidence tier and reading, with their notes."""
    ex_post, basis, notes = ex_post_stage(j)
    prog, rate_notes = rates_stage(j)
    tier = evidence.tier(j, basis, prog)
    trend = evidence.measured(j, prog)
    gap, q, scheme_notes = schemes_stage(j, prog, half_life) if trend else (None, None, [])
    if met_at_baseline(j) or basis == "bound":
        gap, q, scheme_notes = None, None, []  # nothing to project: decided or never in doubt
    if basis == "bound":
        rate_notes = []  # the bound decides; no rate is needed
    status, status_notes = status_stage(j, ex_post, prog, today_year)
    edge = threshold_note(j, j.goal.target_year, str(j.goal.target_year))
    if basis == "observed" and edge:  # the target year's own figure, at the threshold
        status_notes = [*status_notes, edge]
    if status == "insufficient_data" and prog is None:
        notes = rate_notes + notes
    else:
        notes = notes + rate_notes
    notes += evidence.period_notes(j, latest_figure_year(j))
    zh, en = evidence.reading(j, tier, prog, today_year, _bound_shown(j, basis))
    if basis is None and status == "met" and evidence.settled_stock(j):
        basis = "observed"  # a stock settled by an earlier figure (basis_year: that figure's)
    return {
        "ex_post": ex_post,
        "basis": basis or "projected",
        "prog": prog,
        "trend": trend,
        "escap_gap": gap,
        "unsd_q": q,
        "status": status,
        "evidence": tier,
        "reading": en,
        "reading_zh": zh,
        "notes": notes + scheme_notes + status_notes,
    }


def judge(goal, frame: pd.DataFrame, today_year: int, **extra) -> Verdict:
    """verdict() of a goal (registry row, dict or Goal) on a dgm.series frame, with restate()'s
    extra series (`cumulative`, `levels`, `proxy`; `goals.companions` gives the shipped ones)."""
    return verdict(goals.restate(Goal.from_row(goal), frame, **extra), today_year)
