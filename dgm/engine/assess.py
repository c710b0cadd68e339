"""Goal assessment: registry + observed series -> one verdict per goal (`dgm assess [--json]`).

For each goal, in named stages (each a small pure function, docs/method.md §2): where the indicator
stands (latest), the target year's own figure or bound (ex post), the compound rate needed from the
baseline against the rate observed (rates; Eurostat / Open SDG), ESCAP's anticipated gap and UNSD's
Q from their own projections (schemes), the status and its notes, P(goal met) and the median first
crossing year from the ensemble's simulated paths (forecast). Every verdict carries its evidence:
basis (observed / bound / projected), the figures used, their worst reliability, and whether it
survives other baselines and ESCAP half-lives (robustness). The goal itself is restated on its
judged series by dgm.engine.goals.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import pandas as pd

from dgm.constants import BOUND_KINDS, HORIZON, N_PATHS, SEED, STATUSES
from dgm.data.loaders import series_frames
from dgm.data.results_store import lookup, stored
from dgm.engine import evidence, goals, rates
from dgm.engine.ensemble import MIN_FORECAST_POINTS
from dgm.engine.goals import CHAINED, Goal, Judged, _num
from dgm.engine.models import (
    ESCAP_HALF_LIFE,
    ESCAP_HALF_LIVES,
    InsufficientData,
    escap_weights,
    observed,
    wls_line,
)
from dgm.engine.simulate import (
    Forecast,
    forecast_history,
    median_crossing_year,
)
from dgm.engine.transforms import scale_for
from dgm.words import PERIOD_LABELS

NEAR_TOL = 1e-9  # a ratio, gap or Q within this of 0 or 1 is read as exactly 0 or 1 (float noise)
MIN_YEARLY = evidence.MIN_FIGURES  # yearly figures (the latest included) a rate needs
PUBLICATION_LAG = 1  # year T's figure appears in year T + 1's bulletin; after that T has passed
ROBUST_BASELINES = (2014, 2015, "first")
ROBUST_HALF_LIVES = (2.0, 5.0, 10.0)
BASES = ("observed", "bound", "projected")
FIELDS = (
    "target_id",
    "indicator",
    "status",
    "latest_year",
    "latest_value",
    "latest_kind",
    "required_rate",
    "observed_rate",
    "rate_ratio",
    "escap_gap",
    "unsd_q",
    "p_attain",
    "crossing_year_median",
    "notes",
)
EVIDENCE = (
    "evidence",
    "reading",
    "reading_zh",
    "basis",
    "n_points",
    "first_year",
    "last_year",
    "min_reliability",
    "robustness",
    "proxy",
)


def _plural(n: int, word: str = "point") -> str:
    """'1 point', '3 points'."""
    return f"{n} {word}{'' if n == 1 else 's'}"


def snap(x: float | None, tol: float = NEAR_TOL) -> float | None:
    """x, or exactly 0 or 1 when within `tol` of it (float noise must not change a category)."""
    if x is None or not math.isfinite(x):
        return None
    for whole in (0.0, 1.0):
        if abs(x - whole) <= tol:
            return whole
    return x


def _nan(x: float | None) -> float:
    """None -> NaN for the category functions; exact zero stays zero (never `x or nan`)."""
    return math.nan if x is None else x


def escap_projection(z: pd.Series, year: int, half_life: float) -> float:
    """ESCAP time-weighted least-squares line through z (modelling scale), evaluated at `year`.

    Works from two points (ESCAP's own minimum); NaN with fewer.
    """
    s = observed(z)
    if len(s) < 2:
        return math.nan
    beta, _, _ = wls_line(s, escap_weights(s.index, half_life))
    return float(beta[0] + beta[1] * (year - s.index[-1]))


# ---------------------------------------------------------------- stages (pure)


def latest_stage(frame: pd.DataFrame, j: Judged) -> dict:
    """The latest published figure (points and bounds; plan targets never count).

    A reduction reports the cumulative reduction since its baseline read off the chained index.
    """
    out = {"latest_year": None, "latest_value": None, "latest_kind": None, "notes": []}
    rows = frame[frame["kind"].astype(str) != "plan_target"] if len(frame) else frame
    if len(rows):
        out.update(
            latest_year=int(rows.index[-1]),
            latest_value=_num(rows["value"].iloc[-1]),
            latest_kind=str(rows["kind"].iloc[-1]),
        )
    if j.goal.kind == "reduction_vs_baseline" and len(j.hist) > 1:
        out.update(
            latest_year=int(j.hist.index[-1]),
            latest_value=100 - float(j.hist.iloc[-1]),
            latest_kind="derived",
        )
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


def _yearly_span(s: pd.Series) -> str:
    """'2015-2024' (or '2015') for a Series indexed by year."""
    a, b = int(s.index.min()), int(s.index.max())
    return str(a) if a == b else f"{a}-{b}"


def _level_endpoints(j: Judged):
    """((baseline year, level), (latest year, level)) of a growth goal's level, or None."""
    lv, by = j.levels, j.base[0]
    if lv is None or by not in lv.index or lv.index.max() <= by:
        return None
    return (by, float(lv.loc[by])), (int(lv.index.max()), float(lv.iloc[-1]))


def rates_stage(j: Judged) -> tuple[dict | None, list]:
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
        after = j.yearly[(j.yearly.index > by) & (j.yearly.index <= T)]
        before = j.yearly[j.yearly.index <= by]
        if j.bridged and len(j.hist) > 1:
            last = int(j.hist.index[-1])
            obs = rates.compound_rate(100, float(j.hist.iloc[-1]), last - by)
            what = f"the index from {by} to {last}, bridged by five-year figures"
        elif len(after) >= MIN_YEARLY:
            obs = rates.mean_growth(after.to_numpy())
            what = (
                f"the compound mean of {_plural(len(after), 'yearly figure')} "
                f"({_yearly_span(after)}) of the {T - by} years {by + 1}-{T}"
            )
        elif _level_endpoints(j) is not None:
            (y0, v0), (y1, v1) = _level_endpoints(j)
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
                f"{j.proxy or g.indicator}: {_plural(n, 'yearly figure')}{yrs if n else ''}"
                f"{' after ' + str(by) if len(after) else ''}; a rate needs at least {MIN_YEARLY} "
                "including the latest, "
                + ("level endpoints " if g.kind == "growth_rate" else "")
                + "or a bridged index"
            ]
        prog = {
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


def schemes_stage(j: Judged, prog: dict | None, half_life: float = ESCAP_HALF_LIFE):
    """(escap_gap, unsd_q, notes): ESCAP's weighted trend and UNSD's compound-rate projection.

    The target year's own figure replaces both projections. One figure: both read a no-change
    projection (gap 1, Q 0). Chained goals whose rate was refused get neither.
    """
    T = j.goal.target_year
    if j.base is None or not len(j.hist) or (j.goal.kind in CHAINED and prog is None):
        return None, None, []
    by, bv = j.base
    notes = []
    if T in j.hist.index:
        p_escap = p_unsd = float(j.hist.loc[T])
    elif len(j.hist) == 1:
        p_escap = p_unsd = float(j.hist.iloc[0])
        notes.append("one figure: ESCAP and UNSD read a no-change projection from it")
    else:
        scale = scale_for(j.kind_model, j.hist.to_numpy())
        z = scale.forward(j.hist)
        p_escap = float(scale.inverse(escap_projection(z, T, half_life)))
        ly, lv = int(j.hist.index[-1]), float(j.hist.iloc[-1])
        if j.goal.kind in CHAINED:
            r = rates.compound_rate(100, lv, ly - by) if ly > by else prog["observed_rate"]
            p_unsd = lv * (1 + r) ** (T - ly)
        elif prog is not None and prog["method"] == "compound":
            p_unsd = lv * (1 + prog["observed_rate"]) ** (T - ly)
        else:
            y0 = int(j.hist.index[0]) if ly == by else by
            v0 = float(j.hist.iloc[0]) if ly == by else bv
            p_unsd = lv + rates.linear_rate(v0, lv, ly - y0) * (T - ly)
    gap = snap(_num(rates.escap_gap(p_escap, bv, j.goal_value)))
    q = snap(_num(rates.unsd_q(p_unsd, bv, j.goal_value)))
    return gap, q, notes


def _latest_point(j: Judged) -> tuple[int, float] | None:
    """(year, value) of the last point of the judged series."""
    return (int(j.hist.index[-1]), float(j.hist.iloc[-1])) if len(j.hist) else None


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


def _value_text(j: Judged, value: float) -> str:
    """A judged value for a note ("52.4 %", "66000", "index 77.5")."""
    if j.goal.kind in CHAINED:
        return f"index {value:.1f}"
    return f"{value:g}" + (" %" if j.unit == "%" else "")


def threshold_note(j: Judged, year: int, role: str = "latest") -> str | None:
    """'at the threshold within rounding' for a figure whose interval straddles the goal."""
    if not evidence.at_threshold(j, year):
        return None
    lo, hi = evidence.interval(j, year)
    v = float(j.hist.loc[year])
    return (
        f"the {role} figure is at the threshold within rounding: {_value_text(j, round(v, 4))} in "
        f"{year} stands for {lo:.3f}-{hi:.3f} against {j.cmp} {j.goal_value:g}; it decides "
        "nothing alone"
    )


def _stock_note(j: Judged) -> str:
    """Why a stock beyond the goal reads met before its target year."""
    ly, lv = _latest_point(j)
    ind, T = j.proxy or j.goal.indicator, j.goal.target_year
    return (
        f"met as a stock: {lv:g} in {ly} is {lv / j.goal_value:.1f} × the goal; to drop back to "
        f"{evidence.threshold(j):g} by {T} it would have to fall "
        f"{100 * evidence.stock_fall(j):.0f} % a year, faster than the "
        f"{100 * evidence.STOCK_MAX_FALL:.0f} % a year dgm allows a stock ({goals.STOCKS[ind]})"
    )


def _pace_words(j: Judged, p: float) -> str:
    """A pace for a note: '+18.8 points', '+0.3', '+8.8 %' (then 'a year')."""
    return evidence.pace_text(j, p, "en")


def passed_stage(j: Judged, notes: list) -> tuple[str, list]:
    """A passed deadline with no figure for it, the latest figure short of the goal: not_met when
    the pace needed from the latest figure exceeds anything the series has shown, else
    insufficient_data; the note gives both paces."""
    (ly, lv), T = _latest_point(j), j.goal.target_year
    if ly > T:
        return "insufficient_data", [
            *notes,
            f"the {ly} figure is after the {T} deadline; whether the goal was met in {T} is not "
            "known",
        ]
    need, fast = evidence.pace_needed(j, ly, lv), evidence.fastest_shown(j)
    need_txt = "" if need is None else f"from {_value_text(j, lv)} in {ly} it needed "
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


def status_stage(j: Judged, ex_post: str | None, prog: dict | None, today_year: int):
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
    last = _latest_point(j)
    if last is None:
        return "insufficient_data", notes
    ly, lv = last
    edge = threshold_note(j, ly)
    if edge:
        notes.append(edge)
    latest_meets = not edge and evidence.meets(j, lv)
    trend = evidence.measured(j, prog)
    if evidence.settled_stock(j):
        return "met", [*notes, _stock_note(j)]
    if trend and met_at_baseline(j):
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
        return passed_stage(j, notes)
    if not trend:
        if len(j.hist) == 1 and ly <= goals.POLICY_YEAR:
            notes.append(f"one figure, from {ly}: it sets the start, it says nothing of progress")
        return "insufficient_data", notes
    status = rates.eurostat_category(_nan(snap(_num(prog["rate_ratio"]))))
    if status is None:
        return "insufficient_data", notes
    if status == "on_track" and slow:
        why = "its latest yearly figure is below the pace still needed"
        return "acceleration_needed", [*notes, f"acceleration_needed, not on_track: {why}"]
    return status, notes


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


def verdict(j: Judged, today_year: int, half_life: float = ESCAP_HALF_LIFE) -> dict:
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
    notes += evidence.period_notes(j, _latest_figure_year(j))
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


def judge(goal, frame: pd.DataFrame, today_year: int, **extra) -> dict:
    """verdict() of a goal (registry row, dict or Goal) on a dgm.series frame, with restate()'s
    extra series (`cumulative`, `levels`, `proxy`; `goals.companions` gives the shipped ones)."""
    return verdict(goals.restate(Goal.from_row(goal), frame, **extra), today_year)


def _latest_figure_year(j: Judged) -> int | None:
    """The year of the latest point figure the judged series rests on (a chained goal's latest
    yearly or five-year change up to its target year)."""
    pts = j.used[~j.used["kind"].astype(str).isin(BOUND_KINDS)] if len(j.used) else j.used
    years = [int(y) for y in pts.index if int(y) <= j.goal.target_year]
    return max(years) if years else None


def drop_latest(j: Judged, frame: pd.DataFrame, extra: dict, today_year: int):
    """(year, status): the status with the latest figure left out (the goal restated without
    it), or None when there is no figure to leave out."""
    ly = _latest_figure_year(j)
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
        value = _value_text(j, float(j.hist.loc[year]))
    else:
        value = (
            f"{float(j.yearly.loc[year]):+g} %"
            if j.yearly is not None and year in j.yearly.index
            else "a five-year change"
        )
    period, inferred = evidence.period_of(j, year)
    extra = "" if period == "year" else f", {PERIOD_LABELS[period][1].format(y=year)}"
    return f"{year}: {value}{extra}" + (", year inferred" if inferred else "")


def robustness(j: Judged, frame, extra: dict, today_year: int, v: dict | None = None) -> dict:
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
        by_hl[f"{hl:g}"] = rates.escap_category(_nan(gap))
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
    decider = j.goal.target_year if v["basis"] == "observed" else _latest_point(j)
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


# ---------------------------------------------------------------- one goal, one object


@dataclass
class Assessment:
    """One goal's verdict with what it was computed from: the record (JSON fields), the judged
    series, and the forecast (paths and quantiles to HORIZON) every view reads."""

    record: dict
    judged: Judged
    forecast: Forecast | None = None

    @property
    def fan(self) -> pd.DataFrame | None:
        """Forecast quantiles by year (a projection), or None when there is no forecast."""
        return None if self.forecast is None else self.forecast.quantiles


def forecast_stage(
    j: Judged, n_paths: int, seed: int, cache: dict, as_of=None, data_to: int | None = None
) -> Forecast | None:
    """The ensemble forecast of the judged series to HORIZON (None below MIN_FORECAST_POINTS),
    calibrated on the backtest errors of the same view (`as_of`, `data_to`)."""
    if len(j.hist) < MIN_FORECAST_POINTS or int(j.hist.index.max()) >= HORIZON:
        return None
    key = (j.goal.indicator, j.kind_model, j.base[0] if j.goal.kind in CHAINED else None)
    if key not in cache:
        try:
            cache[key] = forecast_history(
                j.hist,
                j.kind_model,
                j.goal.indicator,
                j.unit,
                to_year=max(j.goal.target_year, HORIZON),
                n_paths=n_paths,
                seed=seed,
                bounds=j.bounds,
                as_of=as_of,
                data_to=data_to,
            )
        except InsufficientData as err:
            cache[key] = err
    return None if isinstance(cache[key], Exception) else cache[key]


def evaluate(
    goal,
    frame: pd.DataFrame,
    n_paths: int = N_PATHS,
    seed: int = SEED,
    cache: dict | None = None,
    cumulative: pd.Series | None = None,
    today_year: int | None = None,
    levels: pd.Series | None = None,
    as_of=None,
    data_to: int | None = None,
    proxy: goals.Proxy | None = None,
) -> Assessment:
    """Assess one goal (registry row, dict or Goal) against its dgm.series frame -> Assessment.

    `today_year`: the year the verdict is read in (deadlines before it have passed; default: the
    current year); `cumulative`: five-year cumulative changes that bridge a chained goal;
    `levels`: the level whose endpoints can give a growth goal's rate; `proxy`: the registry's
    proxy series, judged while the goal's own indicator has no figure (the record's `proxy`).
    """
    g = Goal.from_row(goal)
    today_year = dt.date.today().year if today_year is None else today_year
    extra = {"cumulative": cumulative, "levels": levels, "proxy": proxy}
    j = goals.restate(g, frame, **extra)
    rec = {f: None for f in FIELDS}
    rec.update(
        target_id=g.id,
        indicator=g.indicator,
        kind=g.kind,
        comparison=g.comparison,
        target_value=g.target_value,
        target_year=g.target_year,
        unit=g.unit,
        direction=j.direction,
        baseline_year=j.base[0] if j.base else None,
        baseline_value=j.base[1] if j.base else None,
        baseline_rule=j.baseline_rule,
        proxy=j.proxy,
    )
    lat = latest_stage(proxy.frame if j.proxy else frame, j)
    notes = list(j.notes) + lat.pop("notes")
    rec.update(lat)
    v = verdict(j, today_year)
    prog = v["prog"]
    rec["ex_post"] = v["ex_post"] or "unknown"
    if prog is not None:
        rec.update(
            observed_rate=_num(prog["observed_rate"]),
            required_rate=_num(prog["required_rate"]),
            rate_ratio=snap(_num(prog["rate_ratio"])),
            rate_method=prog["method"],
        )
    # the schemes' categories are trend words: only on a measured trend
    rec["eurostat_category"] = (
        rates.eurostat_category(_nan(rec["rate_ratio"])) if v["trend"] else None
    )
    rec.update(escap_gap=v["escap_gap"], unsd_q=v["unsd_q"])
    rec["escap_category"] = rates.escap_category(_nan(v["escap_gap"]))
    rec["unsd_category"] = rates.unsd_category(_nan(v["unsd_q"]))
    notes += v["notes"]
    fc = forecast_stage(j, n_paths, seed, {} if cache is None else cache, as_of, data_to)
    last = _latest_point(j)
    if v["ex_post"] is not None:
        rec["p_attain"] = 1.0 if v["ex_post"] == "met" else 0.0
    elif fc is not None and g.target_year > last[0]:
        rec["p_attain"] = _num(fc.prob(j.cmp, j.goal_value, g.target_year, j.sign))
        notes.extend(fc.notes)
    if fc is not None:
        rec["crossing_year_median"] = median_crossing_year(fc.crossing(j.cmp, j.goal_value, j.sign))
        rec["models"] = list(fc.members)
    elif last is not None:
        met = [int(y) for y, x in j.hist.items() if rates.meets(x, j.cmp, j.goal_value, j.sign)]
        rec["crossing_year_median"] = min(met) if met else None
        if v["ex_post"] is None:
            notes.append(
                f"{j.proxy or g.indicator}: {_plural(len(j.hist))}"
                f"{' in the chained index' if g.kind in CHAINED else ''}; "
                f"P(goal met) needs at least {MIN_FORECAST_POINTS}"
            )
    rec.update(
        status=v["status"],
        evidence=v["evidence"],
        reading=v["reading"],
        reading_zh=v["reading_zh"],
        basis=v["basis"],
        basis_year=_basis_year(v["basis"], last, rec["latest_year"], g.target_year),
        **_figures_used(j),
        min_reliability=goals.min_reliability(j.used),
        bridged_years=list(j.bridged),
        robustness=robustness(j, frame, extra, today_year, v),
        notes="; ".join(dict.fromkeys(notes)),
    )
    return Assessment(rec, j, fc)


def _basis_year(basis: str, last, latest_year, target_year: int) -> int | None:
    """The year of the figure a verdict rests on: a projection's last point (`last`, else the
    latest year), an observed figure's year when it is not the target year's; else None."""
    if basis == "projected":
        return last[0] if last else latest_year
    if basis == "observed" and latest_year is not None and latest_year != target_year:
        return latest_year
    return None


def _figures_used(j: Judged) -> dict:
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


def assess_goal(goal, frame: pd.DataFrame, n_paths: int = N_PATHS, seed: int = SEED, **kw) -> dict:
    """The record (JSON fields) of evaluate(): one goal's verdict as a dict."""
    return evaluate(goal, frame, n_paths=n_paths, seed=seed, **kw).record


def view_year(as_of=None, data_to: int | None = None) -> int:
    """The year a verdict is read in: the as-of date's, else the data-to year, else this year."""
    from dgm.data.loaders import as_of_date

    if as_of is not None:
        return as_of_date(as_of).year
    return int(data_to) if data_to is not None else dt.date.today().year


def _evaluate_in_view(g: Goal, frame, n_paths, seed, cache, as_of, data_to) -> Assessment:
    """evaluate() for a goal in a view (as-of date, data-to year), the view stamped on its record."""
    extra = goals.companions(g, as_of, data_to)
    a = evaluate(
        g,
        frame,
        n_paths,
        seed,
        cache,
        today_year=view_year(as_of, data_to),
        as_of=as_of,
        data_to=data_to,
        **extra,
    )
    a.record.update(
        as_of=as_of.isoformat() if isinstance(as_of, dt.date) else as_of,
        data_to=data_to,
        pseudo_real_time=data_to is not None,
    )
    return a


@stored  # computed once per report (dgm.data.results_store)
def assessments(
    as_of=None, n_paths: int = N_PATHS, seed: int = SEED, data_to: int | None = None
) -> list[Assessment]:
    """Every goal of the registry, assessed once (records, judged series, forecasts).

    `as_of`: a year or a date; only figures published by then. `data_to`: only figures for years up
    to it, from any vintage (pseudo-real-time).
    """
    all_goals = goals.load_goals().values()
    frames = series_frames({g.indicator for g in all_goals}, as_of, data_to)
    cache: dict = {}
    return [
        _evaluate_in_view(g, frames[g.indicator], n_paths, seed, cache, as_of, data_to)
        for g in all_goals
    ]


def assessment(
    target_id: str, as_of=None, n_paths: int = N_PATHS, seed: int = SEED, data_to=None
) -> Assessment:
    """One goal's Assessment, with the same frames and seeding as assessments() gives it (taken
    from a report's stored assessments() of the same view when there is one)."""
    every = lookup(assessments, as_of, n_paths, seed, data_to)
    for a in every or ():
        if a.record["target_id"] == target_id:
            return a
    g = goals.goal(target_id)
    frame = series_frames([g.indicator], as_of, data_to)[g.indicator]
    return _evaluate_in_view(g, frame, n_paths, seed, {}, as_of, data_to)


def assess_all(
    as_of=None, n_paths: int = N_PATHS, seed: int = SEED, data_to: int | None = None
) -> list[dict]:
    """The records of assessments(): one verdict per goal of the registry."""
    return [a.record for a in assessments(as_of, n_paths, seed, data_to)]


def escap_sensitivity(as_of=None, half_lives=ESCAP_HALF_LIVES) -> pd.DataFrame:
    """ESCAP gap per goal (rows) and weight half-life in years (columns; inf = unweighted OLS).

    Only goals with a baseline and at least two points on their judged series get a row; the
    target year's own figure, when published, replaces the projection as in assess_goal.
    """
    rows = {}
    for g in goals.load_goals().values():
        j = goals.judged(g, as_of)
        if j.base is None or len(j.hist) < 2:
            continue
        prog, _ = rates_stage(j)
        if g.kind in CHAINED and prog is None:
            continue
        rows[g.id] = {hl: schemes_stage(j, prog, hl)[0] for hl in half_lives}
    out = pd.DataFrame.from_dict(rows, orient="index", columns=list(half_lives))
    out.index.name, out.columns.name = "target_id", "half_life_years"
    return out


def view_label(as_of=None, data_to: int | None = None) -> str:
    """What figures a view uses, in words ('pseudo-real-time' whenever data_to is set)."""
    from dgm.data.loaders import as_of_date

    parts = []
    if as_of is not None:
        parts.append(f"figures published by {as_of_date(as_of).isoformat()}")
    if data_to is not None:
        parts.append(f"figures for years up to {data_to} from any vintage (pseudo-real-time)")
    return "; ".join(parts) or "all figures"


__all__ = [
    "Assessment",
    "assess_all",
    "assess_goal",
    "assessment",
    "assessments",
    "evaluate",
    "STATUSES",
    "FIELDS",
]
