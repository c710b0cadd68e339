"""Goals → the missing figures that would give each a verdict or change it, ranked (`dgm gaps`).

For each goal not yet decided by its target year's figure, every full-year figure missing from the
series it is judged on (its indicator, the registry's proxy, a five-year change that can bridge a
chained index), from the policy's start to the latest year that can be published, is supposed at a
low, a middle and a high value, and the real assessment is run on data/raw plus that figure
(dgm.data.loaders.supposing, then dgm.engine.assess): the status and P(goal met) under each value and whether the
status can flip. No status rule lives here; whatever dgm.engine.assess decides, gaps reports. A figure is
listed when it would give the goal a verdict or change it (a status other than today's under some
value, or P(goal met) moved by P_SHIFT or more).

The three values, in the indicator's unit: the goal's forecast's 10/50/90 % quantiles for that year
where the forecast reaches it (goals judged on their own level); else, for a year with a figure
derived through an identity, that figure and its rounding interval; for a year between two
published figures, the two and the straight line between them; else the observed range of the
indicator's published figures (lowest, median, highest; two figures at least); else, with one
figure or none, the value that just meets the goal and AROUND_GOAL either side of it (for a
chained goal, the yearly change that meets it): a what-if around the threshold, not a forecast.
A goal that no single figure can give a verdict gets groups of its latest missing years supposed
together (the yearly rates a chained goal needs). Where each figure is published comes from
data/raw/publications.csv.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from dgm.constants import CUMULATIVE_SPAN, CUMULATIVE_SUFFIX, N_PATHS, SEED
from dgm.data.loaders import as_of_date, load_indicators, load_publications, series, supposing
from dgm.data.results_store import stored
from dgm.engine import assess, goals
from dgm.engine.goals import CHAINED, POLICY_YEAR
from dgm.engine.rate_comparison import MIN_YEARLY
from dgm.engine.record import AssessmentRecord
from dgm.engine.status_rules import PUBLICATION_LAG

QUANTILES = (0.1, 0.5, 0.9)  # the forecast's plausible low, middle and high
AROUND_GOAL = 0.10  # with one figure or none: the threshold value ± 10 % of it
WHAT_IF_PATHS = 2000  # simulated paths per what-if assessment (P(goal met) ± 1.1 points at 0.5)
MAX_GROUP = MIN_YEARLY  # at most this many figures supposed together
LATEST = 3  # the latest years up to the last publishable one are always candidates
P_SHIFT = 0.05  # a figure that changes no status matters if it moves P(goal met) this much
DECIDED = ("met", "not_met")
SUPPOSED_SOURCE = "dgm-gaps-supposed"
BASIS_ORDER = ("figure_read", "table_seen", "target_read", "unverified")
FIGURE_FIELDS = (
    "indicator",
    "year",
    "period",
    "status_low",
    "status_mid",
    "status_high",
    "p_low",
    "p_mid",
    "p_high",
    "can_flip",
    "where",
)

TOP_COLUMNS = [  # top_rows: one row per goal and figure
    "target_id",
    "status",
    "indicator",
    "year",
    "status_low",
    "status_mid",
    "status_high",
    "p_low",
    "p_mid",
    "p_high",
    "where",
]


@dataclass(frozen=True)
class Candidate:
    """Figures of one indicator supposed together (one year, or a group of the latest years)."""

    indicator: str
    years: tuple[int, ...]


# ---------------------------------------------------------------- which figures are missing


def _full_year_points(indicator: str, as_of=None) -> pd.Series:
    """The published full-year point figures of an indicator by year (no bound, derived or part
    of a year)."""
    s = series(indicator, as_of=as_of)
    keep = s["kind"].isin(("exact", "approx", "estimate")) & ~s["derived"].astype(bool)
    keep &= ~s["partial_period"].astype(bool)
    return s.loc[keep, "value"].astype(float)


def _window(a: assess.Assessment, as_of=None) -> range:
    """Years a missing figure could matter for: from the policy's start (a chained goal: the year
    after its baseline) to the target year or the latest year that can be published."""
    g = a.judged.goal
    last = min(g.target_year, assess.view_year(as_of) - PUBLICATION_LAG)
    if g.kind in CHAINED:
        first = (g.baseline_year or POLICY_YEAR) + 1
    else:
        first = min(POLICY_YEAR, g.target_year)
    return range(first, last + 1)


def _indicators(a: assess.Assessment) -> list[str]:
    """The series a goal's figures can come from: its own, the registry's proxy, and their
    five-year changes (chained goals)."""
    g = a.judged.goal
    names = [g.indicator] + ([g.proxy] if g.proxy else [])
    if g.kind in CHAINED:
        known = set(load_indicators()["id"])
        names += [n + CUMULATIVE_SUFFIX for n in list(names) if n + CUMULATIVE_SUFFIX in known]
    return names


def candidate_years(window: range, have: set, any_figure: set) -> list[int]:
    """The years of a series worth supposing a figure for, within `window`: the first year and
    the last (the target year, or the latest that can be published); every year between the
    series' first and last figure that lacks a full-year point (a gap, a bound, a part-year or
    derived figure); the year after its last figure and the LATEST years up to the window's end.
    `have`: years with a published full-year point; `any_figure`: years with any figure."""
    years = {window.start, window.stop - 1}
    if any_figure:
        lo, hi = min(any_figure), max(any_figure)
        years |= {y for y in range(lo, hi + 1)}
        years |= {hi + 1} | set(range(window.stop - LATEST, window.stop))
    return sorted(y for y in years if y in window and y not in have)


def candidates(a: assess.Assessment, as_of=None) -> list[Candidate]:
    """The single missing figures of the goal's series worth supposing (candidate_years; a
    five-year change only for the years a plan period ends: 2015, 2020, 2025)."""
    window = _window(a, as_of)
    out = []
    for ind in _indicators(a):
        s = series(ind, as_of=as_of)
        have = set(_full_year_points(ind, as_of).index)
        years = candidate_years(window, have, set(s.index[s["kind"] != "plan_target"]))
        if ind.endswith(CUMULATIVE_SUFFIX):
            years = [y for y in window if y % CUMULATIVE_SPAN == 0 and y not in have]
        out += [Candidate(ind, (y,)) for y in years]
    return out


def groups(a: assess.Assessment, as_of=None) -> list[Candidate]:
    """The goal's latest missing yearly figures, 2 to MAX_GROUP of them together (for a goal no
    single figure gives a verdict)."""
    ind = a.judged.goal.indicator
    have = set(_full_year_points(ind, as_of).index)
    missing = [y for y in reversed(_window(a, as_of)) if y not in have]
    return [
        Candidate(ind, tuple(missing[:k])) for k in range(2, MAX_GROUP + 1) if len(missing) >= k
    ]


# ---------------------------------------------------------------- the low, middle and high values


def _goal_figure(a: assess.Assessment, indicator: str) -> float:
    """The value of one figure of `indicator` that just meets the goal: the goal itself on its own
    level; for a chained goal the yearly change (or five-year change) that meets it."""
    g, j = a.judged.goal, a.judged
    if g.kind not in CHAINED:
        return j.goal_value
    span = g.target_year - (j.base[0] if j.base else POLICY_YEAR)
    yearly = 100 * ((j.goal_value / 100) ** (1 / max(span, 1)) - 1)
    if indicator.endswith(CUMULATIVE_SUFFIX):
        return 100 * ((1 + yearly / 100) ** CUMULATIVE_SPAN - 1)
    return yearly


def _rounded(values) -> tuple[float, ...]:
    """Values to 4 significant digits: the figure supposed is the figure shown."""
    return tuple(float(f"{float(v):.4g}") for v in values)


def _clip(values, indicator: str) -> tuple[float, ...]:
    """Values kept within the indicator's plausible range (indicators.csv min/max)."""
    row = load_indicators().set_index("id").loc[indicator]
    low = -math.inf if pd.isna(row["min"]) else float(row["min"])
    high = math.inf if pd.isna(row["max"]) else float(row["max"])
    return tuple(min(max(float(v), low), high) for v in values)


def values(a: assess.Assessment, cand: Candidate, as_of=None) -> tuple[tuple[float, ...], str]:
    """(low, middle, high) supposed for a candidate, and how they were chosen, in words."""
    year = cand.years[0]
    fc, g = a.forecast, a.judged.goal
    if (
        fc is not None
        and g.kind not in CHAINED
        and cand.indicator == g.indicator
        and a.judged.proxy is None
        and year in set(fc.years.tolist())
    ):
        col = int(np.flatnonzero(fc.years == year)[0])
        q = np.quantile(fc.paths[:, col], QUANTILES)
        return _clip(_rounded(q), cand.indicator), "the forecast's 10/50/90 % quantiles"
    s = series(cand.indicator, as_of=as_of)
    derived = s[s["derived"].astype(bool) & (s.index == year)]
    if len(derived):  # a published figure would restate the identity: its rounding interval
        row = derived.iloc[0]
        v = (float(row["low"]), float(row["value"]), float(row["high"]))
        return _clip(v, cand.indicator), f"the derived {year} figure and its rounding interval"
    pts = _full_year_points(cand.indicator, as_of)
    before, after = pts[pts.index < year], pts[pts.index > year]
    if len(before) and len(after):  # inside the published span: between its neighbours
        (y0, v0), (y1, v1) = (
            (int(before.index[-1]), before.iloc[-1]),
            (int(after.index[0]), after.iloc[0]),
        )
        mid = v0 + (v1 - v0) * (year - y0) / (y1 - y0)
        v = (min(v0, v1), mid, max(v0, v1))
        return _clip(_rounded(v), cand.indicator), (
            f"between the neighbouring figures ({y0}: {v0:g}, {y1}: {v1:g}), the straight line"
        )
    if len(pts) >= 2:
        v = (pts.min(), float(np.median(pts.to_numpy())), pts.max())
        span = f"{int(pts.index.min())}-{int(pts.index.max())}"
        return _clip(v, cand.indicator), f"the observed range ({len(pts)} figures, {span})"
    goal = _goal_figure(a, cand.indicator)
    d = abs(goal) * AROUND_GOAL or AROUND_GOAL
    return _clip(_rounded((goal - d, goal, goal + d)), cand.indicator), (
        f"the goal's threshold {goal:.4g} ± {100 * AROUND_GOAL:g} % "
        f"({'one published figure' if len(pts) else 'no published figure'}: no range)"
    )


# ---------------------------------------------------------------- what-ifs through the engine


def _vintage(as_of=None) -> str:
    """The publication date of a supposed figure: the view's date (today for the current view)."""
    day = as_of_date(as_of) or dt.date.today()
    return day.isoformat()


def supposed_rows(cand: Candidate, value: float, as_of=None) -> list[dict]:
    """The observation rows of a candidate at `value`: exact, graded A, published at the view's
    date, as a figure read in the yearbook would be recorded."""
    unit = load_indicators().set_index("id").at[cand.indicator, "unit"]
    return [
        {
            "indicator": cand.indicator,
            "year": int(y),
            "value": float(value),
            "as_written": f"{value:g}",
            "unit": unit,
            "kind": "exact",
            "vintage": _vintage(as_of),
            "source_id": SUPPOSED_SOURCE,
            "quote": f"{value:g}",
            "reliability": "A",
            "note": "supposed by dgm gaps (a what-if, not a figure)",
        }
        for y in cand.years
    ]


def what_if(
    g: goals.Goal, rows: list[dict], as_of=None, n_paths=WHAT_IF_PATHS, seed=SEED
) -> AssessmentRecord:
    """The real assessment record of a goal on data/raw plus the supposed rows."""
    with supposing(rows):
        frame = series(g.indicator, as_of=as_of)
        return assess._evaluate_in_view(g, frame, n_paths, seed, {}, as_of, None).record


def _where(places: pd.DataFrame, indicator: str, limit: int = 2) -> str:
    """Where figures of an indicator are published, best known first, in words."""
    rows = places[places["indicator"] == indicator].copy()
    if rows.empty:
        return "not documented in data/raw/publications.csv"
    rows["_order"] = rows["basis"].map(BASIS_ORDER.index)
    parts = []
    for r in rows.sort_values("_order", kind="stable").head(limit).to_dict("records"):
        years = f", {r['years']}" if isinstance(r["years"], str) and r["years"] else ""
        parts.append(f"{r['publication']}: {r['where']} ({r['basis']}{years})")
    return "; ".join(parts)


def _settle_rank(statuses: tuple[str, ...]) -> int:
    """3 when every value decides the goal (met/not_met), 2 when every value gives a verdict, 1
    when some do, 0 when none."""
    if all(s in DECIDED for s in statuses):
        return 3
    verdicts = [s != "insufficient_data" for s in statuses]
    return 2 if all(verdicts) else int(any(verdicts))


def figure(a, cand: Candidate, places, as_of=None, n_paths=WHAT_IF_PATHS, seed=SEED) -> dict:
    """One candidate's entry: the three values, the status and P(goal met) under each, can_flip,
    where it is published (FIGURE_FIELDS, and the values, how they were chosen, the other figures
    supposed with it)."""
    (low, mid, high), how = values(a, cand, as_of)
    recs = [
        what_if(a.judged.goal, supposed_rows(cand, v, as_of), as_of, n_paths, seed)
        for v in (low, mid, high)
    ]
    statuses = tuple(r["status"] for r in recs)
    return {
        "indicator": cand.indicator,
        "year": cand.years[0],
        "period": "year",
        "status_low": statuses[0],
        "status_mid": statuses[1],
        "status_high": statuses[2],
        "p_low": recs[0]["p_attain"],
        "p_mid": recs[1]["p_attain"],
        "p_high": recs[2]["p_attain"],
        "can_flip": len(set(statuses)) > 1,
        "where": _where(places, cand.indicator),
        "value_low": low,
        "value_mid": mid,
        "value_high": high,
        "values_from": how,
        "fragile": [bool(r["robustness"]["fragile"]) for r in recs],
        "settles": _settle_rank(statuses) >= 2,
        "together_with": [int(y) for y in cand.years[1:]],
    }


def _rank_key(f: dict):
    """Figures that settle the goal first (decide it, then give a verdict under every value), then
    those whose value decides the status (can_flip), then the wider spread of P(goal met), single
    figures before groups, later years first."""
    ps = [p for p in (f["p_low"], f["p_high"]) if p is not None]
    spread = abs(ps[1] - ps[0]) if len(ps) == 2 else 0.0
    statuses = (f["status_low"], f["status_mid"], f["status_high"])
    return (
        -_settle_rank(statuses),
        not f["can_flip"],
        -spread,
        len(f["together_with"]),
        -f["year"],
    )


def goal_gaps(a: assess.Assessment, places, as_of=None, n_paths=WHAT_IF_PATHS, seed=SEED) -> dict:
    """One goal's entry: target_id, its status now, and its candidate figures ranked."""
    rec = a.record
    out = {
        "target_id": rec["target_id"],
        "status": rec["status"],
        "fragile": bool(rec["robustness"]["fragile"]),
        "p_attain": rec["p_attain"],
        "figures": [],
    }
    if rec["ex_post"] in DECIDED:
        out["note"] = f"decided by its {a.judged.goal.target_year} figure or bound"
        return out
    found = [figure(a, c, places, as_of, n_paths, seed) for c in candidates(a, as_of)]
    if rec["status"] == "insufficient_data" and not any(
        f["status_mid"] != "insufficient_data" for f in found
    ):
        found += [figure(a, c, places, as_of, n_paths, seed) for c in groups(a, as_of)]
    out["figures"] = sorted([f for f in found if _matters(f, rec)], key=_rank_key)
    return out


def _matters(f: dict, rec: AssessmentRecord) -> bool:
    """Whether a figure would give the goal a verdict or change it: a status other than today's
    under some value, or P(goal met) moved by at least P_SHIFT."""
    if any(f[k] != rec["status"] for k in ("status_low", "status_mid", "status_high")):
        return True
    now = rec["p_attain"]
    moved = [abs(p - now) for p in (f["p_low"], f["p_mid"], f["p_high"]) if p is not None]
    return now is not None and bool(moved) and max(moved) >= P_SHIFT


@stored  # computed once per report (dgm.data.results_store)
def find_gaps(
    as_of=None, n_paths: int = WHAT_IF_PATHS, seed: int = SEED, needing_only: bool = False
) -> list[dict]:
    """Every goal of the registry (assess.assessments order) with its missing figures ranked by
    what they would settle; the what-ifs simulate `n_paths` paths each. `needing_only`: only the
    goals without a verdict or with a fragile one (notebook 00; the others are left out)."""
    places = load_publications()
    every = assess.assessments(as_of, N_PATHS, seed)
    if needing_only:
        every = [
            a
            for a in every
            if a.record["status"] == "insufficient_data" or a.record["robustness"]["fragile"]
        ]
    return [goal_gaps(a, places, as_of, n_paths, seed) for a in every]


def headline(found: list[dict]) -> dict:
    """How many figures, one or a group per goal, would give a verdict to how many of the goals
    without one (a greedy cover of the top settling figure of each open goal)."""
    open_goals = [g for g in found if g["status"] == "insufficient_data"]
    settled, figures = [], set()
    for g in open_goals:
        best = next((f for f in g["figures"] if f["settles"]), None)
        if best is None:
            continue
        settled.append(g["target_id"])
        figures |= {(best["indicator"], y) for y in [best["year"], *best["together_with"]]}
    return {
        "figures": len(figures),
        "settled": len(settled),
        "open": len(open_goals),
        "goals": settled,
        "text": f"{len(figures)} figures would settle {len(settled)} of the "
        f"{len(open_goals)} open goals",
        "text_zh": f"{len(figures)}个数据可为{len(open_goals)}个尚无结论的目标中的"
        f"{len(settled)}个给出结论",
    }


def template_rows(found: list[dict], top: int = 1) -> pd.DataFrame:
    """The figures to look up, `top` per goal (with the figures supposed together), one row per
    indicator and year: indicator, year, unit, period, scope and the goals they serve."""
    cat = load_indicators().set_index("id")
    rows: dict[tuple, dict] = {}
    for g in found:
        for f in g["figures"][:top]:
            for y in [f["year"], *f["together_with"]]:
                key = (f["indicator"], y)
                row = rows.setdefault(
                    key,
                    {
                        "indicator": f["indicator"],
                        "year": y,
                        "unit": cat.at[f["indicator"], "unit"],
                        "period": "",
                        "scope": cat.at[f["indicator"], "scope"]
                        if isinstance(cat.at[f["indicator"], "scope"], str)
                        else "",
                        "goals": [],
                        "where": f["where"],
                    },
                )
                row["goals"].append(g["target_id"])
    return pd.DataFrame(
        rows.values(), columns=["indicator", "year", "unit", "period", "scope", "goals", "where"]
    )


def needing(found: list[dict]) -> list[dict]:
    """The goals that need a figure: no verdict yet, or a fragile one."""
    return [g for g in found if g["status"] == "insufficient_data" or g["fragile"]]


def top_rows(found: list[dict], top: int = 1) -> pd.DataFrame:
    """The first `top` figures of each goal that needs one (needing), for notebook 00's record and
    the landing page: TOP_COLUMNS, ids and codes (dgm.present.readings.gaps_table words them)."""
    rows = [
        {
            "target_id": g["target_id"],
            "status": g["status"],
            "indicator": f["indicator"],
            "year": "+".join(str(y) for y in [f["year"], *f["together_with"]]),
            **{f"status_{k}": f[f"status_{k}"] for k in ("low", "mid", "high")},
            **{f"p_{k}": f[f"p_{k}"] for k in ("low", "mid", "high")},
            "where": f["where"].split("; ")[0],
        }
        for g in needing(found)
        for f in g["figures"][:top]
    ]
    return pd.DataFrame(rows, columns=TOP_COLUMNS)


def one_goal(target_id: str, as_of=None) -> list[dict]:
    """find_gaps() for one goal (its assessment as assessments() gives it)."""
    from dgm.errors import DgmError

    try:
        a = assess.assessment(target_id, as_of, N_PATHS, SEED)
    except KeyError:
        raise DgmError(
            f"gaps: unknown goal '{target_id}' (expected an id from `dgm targets`)"
        ) from None
    return [goal_gaps(a, load_publications(), as_of)]
