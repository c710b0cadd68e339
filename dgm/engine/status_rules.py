"""A goal's judged series, ex post verdict and rates → its status and the notes that explain it
(docs/method.md §2, "Status rules"): deadlines, the pace still needed, thresholds within rounding,
stocks that cannot fall back."""

from __future__ import annotations

from dgm.engine import evidence, goals, rates
from dgm.engine.figures_read import latest_point
from dgm.engine.goals import CHAINED, Judged, _num
from dgm.engine.note_text import value_text
from dgm.engine.schemes import nan_for_none, snap

PUBLICATION_LAG = 1  # year T's figure appears in year T + 1's bulletin; after that T has passed


def deadline_passed(target_year: int, today_year: int) -> bool:
    """Year T's figure appears in year T + 1's bulletin: from T + 2 on the deadline has passed."""
    return target_year + PUBLICATION_LAG < today_year


def below_pace(j: Judged) -> str | None:
    """A note when a growth-rate goal's latest yearly figure is below the pace the rest of the
    period still needs from the index point before it (or from the chain's end, when the latest
    figure lies beyond it): one year is tested against the years that remain, never against the
    whole period's average."""
    g = j.goal
    if g.kind != "growth_rate" or j.yearly is None or len(j.hist) < 2:
        return None
    yearly = j.yearly[j.yearly.index <= g.target_year]
    if not len(yearly):
        return None
    ly, lv = int(yearly.index[-1]), float(yearly.iloc[-1])
    before = j.hist[j.hist.index < ly]
    if not len(before):
        return None
    k, ik = int(before.index[-1]), float(before.iloc[-1])
    need = evidence.pace_needed(j, k, ik)
    if need is None or rates.meets(lv / 100, ">=" if j.sign > 0 else "<=", need, j.sign):
        return None
    return (
        f"the latest yearly figure ({lv:+g} % in {ly}) is below the {100 * need:.1f} % a year "
        f"the goal still needs from {k} (index {ik:.1f}) to {g.target_year}"
    )


def met_at_baseline(j: Judged) -> bool:
    """Whether a level, count, share or index goal was already met by its baseline figure."""
    return (
        j.base is not None
        and j.goal.kind not in CHAINED
        and bool(rates.meets(j.base[1], j.cmp, j.goal_value, j.sign))
    )


def threshold_note(j: Judged, year: int, role: str = "latest") -> str | None:
    """'at the threshold within rounding' for a figure whose interval straddles the goal."""
    if not evidence.at_threshold(j, year):
        return None
    lo, hi = evidence.interval(j, year)
    v = float(j.hist.loc[year])
    return (
        f"the {role} figure is at the threshold within rounding: {value_text(j, round(v, 4))} in "
        f"{year} stands for {lo:.3f}-{hi:.3f} against {j.cmp} {j.goal_value:g}; it decides "
        "nothing alone"
    )


def _stock_note(j: Judged, ly: int, lv: float) -> str:
    """Why a stock beyond the goal reads met before its target year (latest figure lv in ly)."""
    fall = evidence.stock_fall(j)
    assert fall is not None  # only a settled stock (evidence.settled_stock) gets this note
    ind, T = j.proxy or j.goal.indicator, j.goal.target_year
    return (
        f"met as a stock: {lv:g} in {ly} is {lv / j.goal_value:.1f} × the goal; to drop back to "
        f"{evidence.threshold(j):g} by {T} it would have to fall "
        f"{100 * fall:.0f} % a year, faster than the "
        f"{100 * evidence.STOCK_MAX_FALL:.0f} % a year dgm allows a stock ({goals.STOCKS[ind]})"
    )


def _pace_words(j: Judged, p: float) -> str:
    """A pace for a note: '+18.8 points', '+0.3', '+8.8 %' (then 'a year')."""
    return evidence.pace_text(j, p, "en")


def passed_stage(j: Judged, notes: list[str], ly: int, lv: float) -> tuple[str, list[str]]:
    """A passed deadline with no figure for it, the latest figure (lv in ly) short of the goal:
    not_met when the pace needed from the latest figure exceeds anything the series has shown,
    else insufficient_data; the note gives both paces."""
    T = j.goal.target_year
    if ly > T:
        return "insufficient_data", [
            *notes,
            f"the {ly} figure is after the {T} deadline; whether the goal was met in {T} is not "
            "known",
        ]
    need, fast = evidence.pace_needed(j, ly, lv), evidence.fastest_shown(j)
    need_txt = "" if need is None else f"from {value_text(j, lv)} in {ly} it needed "
    need_txt += "" if need is None else f"{_pace_words(j, need)} a year to {T}"
    if need is not None and fast is not None and j.sign * need > j.sign * fast:
        return "not_met", [
            *notes,
            f"not_met: {need_txt}, faster than anything the series has shown (at most "
            f"{_pace_words(j, fast)} a year)",
        ]
    shown = (
        "too few figures to show a pace"
        if fast is None
        else f"the series has shown up to {_pace_words(j, fast)} a year"
    )
    return "insufficient_data", [
        *notes,
        f"whether the goal was met in {T} is not known: {need_txt}; {shown}".replace(": ;", ":"),
    ]


def status_stage(
    j: Judged, ex_post: str | None, prog: rates.Progress | None, today_year: int
) -> tuple[str, list[str]]:
    """The status and the notes that explain it (docs/method.md §2, "Status rules").

    Trend words only on a measured trend (dgm.engine.evidence.measured) and never once the deadline
    has passed; a figure at the threshold within rounding decides nothing alone; a stock beyond
    the goal that cannot plausibly fall back reads met.
    """
    T = j.goal.target_year
    if ex_post in ("met", "not_met"):
        return ex_post, []
    notes = []
    passed = deadline_passed(T, today_year)
    if passed:
        notes.append(f"the {T} deadline has passed with no figure for {T}")
    slow = below_pace(j)
    if slow:
        notes.append(slow)
    last = latest_point(j)
    if last is None:
        return "insufficient_data", notes
    ly, lv = last
    edge = threshold_note(j, ly)
    if edge:
        notes.append(edge)
    latest_meets = not edge and evidence.meets(j, lv)
    trend = evidence.measured(j, prog)
    if evidence.settled_stock(j):
        return "met", [*notes, _stock_note(j, ly, lv)]
    if trend and met_at_baseline(j) and j.base is not None:  # (a baseline, by the rule)
        notes.append(f"the goal was already met at the baseline ({j.base[0]})")
        if latest_meets:
            notes.append(
                f"the goal is met in {ly}; whether it was met in {T} is not known"
                if passed
                else f"no progress to judge; the {T} figure decides"
            )
            return "insufficient_data", notes
        if not passed:
            return "deterioration", notes
    if latest_meets:
        if passed:
            notes.append(f"the goal is met in {ly}; whether it was met in {T} is not known")
            return "insufficient_data", notes
        notes.append(f"already at the goal in {ly}; the {T} figure decides")
        return ("on_track" if trend else "insufficient_data"), notes
    if passed:
        return passed_stage(j, notes, ly, lv)
    if not trend or prog is None:  # (a measured trend always has a rate)
        if len(j.hist) == 1 and ly <= goals.POLICY_YEAR:
            notes.append(f"one figure, from {ly}: it sets the start, it says nothing of progress")
        return "insufficient_data", notes
    status = rates.eurostat_category(nan_for_none(snap(_num(prog["rate_ratio"]))))
    if status is None:
        return "insufficient_data", notes
    if status == "on_track" and slow:
        why = "its latest yearly figure is below the pace still needed"
        return "acceleration_needed", [*notes, f"acceleration_needed, not on_track: {why}"]
    return status, notes
