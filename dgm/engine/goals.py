"""Goal registry row + an indicator's figures -> the goal restated on the series it is judged on.

One home for the restating rules (docs/method.md §1): which figures are points and which are
bounds, how yearly % changes are chained into an index (baseline year = 100) and bridged by
five-year cumulative changes, which year is the baseline, which way is better, and what the goal
reads on the judged series. `dgm.engine.assess`, `dgm.engine.simulate.forecast`, `dgm.engine.scenario` and the notebooks
all call `restate` (or `judged`); no other module restates a goal.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from dgm.constants import BOUND_KINDS, CUMULATIVE_SPAN, CUMULATIVE_SUFFIX, GROWTH_SUFFIX
from dgm.data.loaders import load_indicators, load_targets, series
from dgm.data.panel import precision
from dgm.engine import rates
from dgm.engine.transforms import SHARE_EPS, chain_index_with_cumulative

# The policy was issued on 20 January 2015; 2014 is the last year its authors could see and the
# baseline its text implies ("由1萬億向2萬億跨越" starts from 2014's 1 trillion).
POLICY_YEAR = 2014
CHAINED = ("growth_rate", "reduction_vs_baseline")
FLIP = {">=": "<=", ">": "<", "<=": ">=", "<": ">", "~": "~"}
POINT_KINDS_EXCLUDED = (*BOUND_KINDS, "plan_target")
RELIABILITY_ORDER = "ABCD"  # A official ... D secondary; the worst letter grades a verdict
# Columns of a dgm.series frame a Judged keeps in `used` (the figures a verdict rests on).
USED_COLUMNS = (
    "value",
    "kind",
    "source_id",
    "reliability",
    "derived",
    "period",
    "year_inferred",
    "low",
    "high",
)
# Stocks whose level cannot plausibly fall back far in a few years: a figure beyond the goal
# before the deadline settles it (docs/method.md §2, "Snapshot"). Why, in the note's words.
STOCKS = {
    "invention_patents_in_force": (
        "patents in force are a stock: a patent leaves it only when it lapses or expires"
    ),
}


def _num(x) -> float | None:
    """A finite float, or None for NA/NaN/None/blank."""
    if x is None or x is pd.NA:
        return None
    try:
        v = float(x)
    except (TypeError, ValueError):
        return None
    return v if math.isfinite(v) else None


def _present(x) -> bool:
    """A non-blank registry cell (not None, NA, NaN or empty)."""
    return (
        x is not None
        and x is not pd.NA
        and not (isinstance(x, float) and math.isnan(x))
        and bool(str(x).strip())
    )


@dataclass(frozen=True)
class Proxy:
    """The series a goal is judged on while its own indicator has no figure (registry `proxy`)."""

    indicator: str
    frame: pd.DataFrame  # dgm.series(proxy) output
    cumulative: pd.Series | None = None  # its five-year cumulative companion, when published
    words: str = ""  # what it measures, for the note ("whole-city energy use per unit of GDP")
    own_words: str = ""  # what the goal's own indicator measures
    words_zh: str = ""  # what it measures, in Chinese (the catalogue's label_zh)


@dataclass(frozen=True)
class Goal:
    """One goal of the registry (data/raw/targets.csv); values in the catalogue unit."""

    id: str
    indicator: str
    kind: str  # level, count, share, index, growth_rate (%/yr), reduction_vs_baseline (%)
    comparison: str  # >=, >, <=, <, ~
    target_value: float
    target_year: int
    baseline_year: int | None = None
    baseline_value: float | None = None
    unit: str = ""
    label_en: str = ""
    label_zh: str = ""
    proxy: str | None = None  # indicator judged instead while `indicator` has no figure

    @classmethod
    def from_row(cls, row) -> Goal:
        """A registry row (dict, Series or Goal) -> Goal."""
        if isinstance(row, Goal):
            return row
        row = dict(row)
        by = _num(row.get("baseline_year"))
        return cls(
            id=str(row.get("id", "")),
            indicator=str(row["indicator"]),
            kind=str(row["kind"]),
            comparison=str(row["comparison"]),
            target_value=float(row["target_value"]),
            target_year=int(row["target_year"]),
            baseline_year=None if by is None else int(by),
            baseline_value=_num(row.get("baseline_value")),
            unit="" if row.get("unit") is None else str(row.get("unit")),
            label_en=str(row.get("label_en") or ""),
            label_zh=str(row.get("label_zh") or ""),
            proxy=str(row["proxy"]) if _present(row.get("proxy")) else None,
        )


def load_goals() -> dict[str, Goal]:
    """Every goal of the registry by id, in registry order."""
    return {r["id"]: Goal.from_row(r) for r in load_targets().to_dict("records")}


def goal(target_id: str) -> Goal:
    """The goal with this id (KeyError naming it and where the ids are listed)."""
    goals = load_goals()
    if target_id not in goals:
        raise KeyError(f"unknown goal {target_id!r}; the ids are listed by `dgm targets`")
    return goals[target_id]


@dataclass(frozen=True)
class Judged:
    """A goal restated on its judged series (all values on that series' scale)."""

    goal: Goal
    hist: pd.Series  # point values by year (chained goals: the index, baseline year = 100)
    bounds: pd.DataFrame  # published bounds by year: value, kind (empty for chained goals)
    goal_value: float  # the goal on the judged series (a 30 % cut: index <= 70)
    cmp: str  # comparison on the judged series
    sign: int  # +1 higher is better, -1 lower is better (on the judged series)
    base: tuple[int, float] | None  # (baseline year, baseline value) or None
    baseline_rule: str  # registry, registry year, nearest to 2014, first figure, chosen
    kind_model: str  # scale kind for the forecasters (chained goals: "index")
    unit: str  # unit of the judged series ("index, 2014 = 100" for chained goals)
    yearly: pd.Series | None  # chained goals: the yearly % figures (every year up to the target)
    bridged: tuple[int, ...] = ()  # years reached only through a five-year cumulative change
    levels: pd.Series | None = None  # growth goals: the level the rate is of, when published
    used: pd.DataFrame = field(default_factory=pd.DataFrame)  # the figures used: year, kind, rel.
    notes: tuple[str, ...] = ()
    proxy: str | None = None  # the proxy indicator judged, when the goal's own has no figure
    low: pd.Series | None = None  # rounding interval of each hist value (same index), low end
    high: pd.Series | None = None  # … and high end (None: taken as exact)
    proxy_words: tuple[str, str] = ("", "")  # (zh, en): what the proxy measures

    @property
    def direction(self) -> str:
        """higher_is_better or lower_is_better, on the judged series."""
        return "higher_is_better" if self.sign > 0 else "lower_is_better"

    def frame(self) -> pd.DataFrame:
        """The judged history shaped like dgm.series (value, kind, source_id, derived; attrs unit).

        Chained goals give the index with kind exact and derived True; bridged years are kind
        "derived" with a `bridged` flag so a chart can say where the cumulative figure filled in.
        """
        used = self.used
        if self.goal.kind in CHAINED:
            out = pd.DataFrame({"value": self.hist, "kind": "exact", "derived": True})
            src = used["source_id"] if "source_id" in used else pd.Series(dtype=object)
            out["source_id"] = src.reindex(out.index)
            out["bridged"] = [int(y) in self.bridged for y in out.index]
        else:
            cols = [
                c for c in ("value", "kind", "source_id", "reliability", "derived") if c in used
            ]
            out = used[cols].copy()
        out.index = pd.Index([int(y) for y in out.index], name="year")
        out.attrs.update(
            indicator=self.goal.indicator,
            unit=self.unit,
            direction=self.direction,
            proxy=self.proxy,
        )
        return out


def split_series(frame: pd.DataFrame) -> tuple[pd.Series, pd.DataFrame]:
    """A dgm.series() frame -> (point values by year, bounds frame with columns value, kind)."""
    if frame is None or len(frame) == 0:
        return pd.Series(dtype=float), pd.DataFrame(columns=["value", "kind"])
    n = len(frame)
    kinds = frame["kind"].astype(str).to_numpy() if "kind" in frame else np.full(n, "exact")
    values = pd.to_numeric(frame["value"], errors="coerce").to_numpy(dtype=float)
    years = frame.index.to_numpy().astype(int)
    point = ~np.isin(kinds, POINT_KINDS_EXCLUDED) & np.isfinite(values)
    bound = np.isin(kinds, BOUND_KINDS)
    pts = pd.Series(values[point], index=years[point], dtype=float)
    b = pd.DataFrame({"value": values[bound], "kind": kinds[bound]}, index=years[bound])
    return pts.sort_index(), b.sort_index()


def _point_intervals(frame: pd.DataFrame, pts: pd.Series) -> tuple[pd.Series, pd.Series]:
    """The rounding interval (low, high) of each point value in `pts` (the value itself where the
    frame carries none)."""
    if not len(pts) or "low" not in frame or "high" not in frame:
        return pts.copy(), pts.copy()
    rows = frame[~frame["kind"].astype(str).isin(POINT_KINDS_EXCLUDED)]
    rows = rows[~rows.index.duplicated(keep="last")]
    out = []
    for col in ("low", "high"):
        s = pd.to_numeric(rows[col], errors="coerce")
        s.index = s.index.astype(int)
        out.append(s.reindex(pts.index).fillna(pts).astype(float))
    return out[0], out[1]


def has_figure(frame: pd.DataFrame | None, cumulative: pd.Series | None = None) -> bool:
    """Whether a series has any point or bound figure (plan targets do not count)."""
    pts, bounds = split_series(frame)
    return bool(len(pts) or len(bounds) or (cumulative is not None and len(cumulative.dropna())))


def nearest_year(years, to: int = POLICY_YEAR) -> int | None:
    """The year closest to `to`; a tie goes to the later year (never a pre-policy one by default)."""
    years = sorted(int(y) for y in years)
    if not years:
        return None
    return min(years, key=lambda y: (abs(y - to), -y))


def _year_words(year: int) -> str:
    """How a baseline year relates to the policy (issued January 2015)."""
    if year < POLICY_YEAR:
        return "a pre-policy year"
    if year > POLICY_YEAR + 1:
        return "after the policy began; earlier progress is not counted"
    return "the policy's starting point"


def _level_baseline(g: Goal, pts: pd.Series, baseline) -> tuple[tuple | None, str, list]:
    """(year, value), the rule's name and notes for a goal judged on its own level."""
    notes: list[str] = []
    if baseline == "first":
        if not len(pts):
            return None, "first figure", notes
        y = int(pts.index[0])
        return (y, float(pts.iloc[0])), "first figure", [f"baseline: the first figure ({y})"]
    if baseline is not None:
        y = int(baseline)
        if y == g.baseline_year and g.baseline_value is not None:
            return (y, g.baseline_value), "chosen", notes
        if y in pts.index:
            return (y, float(pts.loc[y])), "chosen", notes
        return None, "chosen", [f"no figure for the chosen baseline year {y}"]
    by, bv = g.baseline_year, g.baseline_value
    if by is not None and bv is not None:
        if by in pts.index and abs(pts.loc[by] - bv) > 0.01 * abs(bv):
            notes.append(
                f"registry baseline {bv:g} differs from the series' {pts.loc[by]:g} in {by}; "
                "the registry's (the policy text's) is used"
            )
        return (by, bv), "registry", notes
    want = by if by is not None else POLICY_YEAR
    near = nearest_year(pts.index, want)
    if near is None:
        return None, "nearest to 2014", notes
    rule = "registry year" if near == by else f"nearest to {want}"
    if near != want:
        notes.append(
            f"baseline {near} ({_year_words(near)}): the published year nearest to {want}"
            + ("" if by is not None else "; the registry gives no baseline")
        )
    elif by is None:
        notes.append(f"baseline {near}: the registry gives none; the text implies {POLICY_YEAR}")
    return (near, float(pts.loc[near])), rule, notes


def restate(
    goal_row,
    frame: pd.DataFrame,
    cumulative: pd.Series | None = None,
    baseline=None,
    levels: pd.Series | None = None,
    proxy: Proxy | None = None,
):
    """Restate a goal on the series it is judged on -> Judged.

    `frame`: dgm.series(indicator) output (attrs direction used for "~" goals); `cumulative`:
    five-year cumulative % changes (index = last year of the period) that bridge a broken chain of
    yearly changes; `levels`: for a growth goal, the level series whose endpoints can give the
    rate; `baseline`: None for the rule (registry year and value; else the registry
    year's figure; else the published year nearest to 2014), a year, or "first" (first figure).
    `proxy`: the registry's proxy series, judged instead only while the goal's own indicator has
    no figure at all (no point, bound or cumulative change); the Judged then names it.
    """
    g = Goal.from_row(goal_row)
    if proxy is not None and not has_figure(frame, cumulative) and has_figure(proxy.frame):
        j = restate(g, proxy.frame, proxy.cumulative, baseline)
        note = (
            f"judged on a proxy: {proxy.words} ({proxy.indicator}); the goal's own figure "
            f"({proxy.own_words}) is not published in the sources found"
        )
        return dataclasses.replace(
            j,
            proxy=proxy.indicator,
            proxy_words=(proxy.words_zh or proxy.words, proxy.words),
            notes=(note, *j.notes),
        )
    tv, cmp = g.target_value, g.comparison
    sign = rates.direction(cmp, (getattr(frame, "attrs", {}) or {}).get("direction"))
    pts, bounds = split_series(frame)
    rel_cols = [c for c in USED_COLUMNS if c in frame]
    if g.kind in CHAINED:
        j = _restate_chained(g, frame[rel_cols], pts, cumulative, baseline, sign)
        if levels is not None and g.kind == "growth_rate" and len(levels.dropna()):
            j = dataclasses.replace(j, levels=levels.dropna())
        return j
    base, rule, notes = _level_baseline(g, pts, baseline)
    goal_value = tv
    if g.kind == "share" and sign > 0 and tv >= 100 - SHARE_EPS:
        goal_value = 100 - SHARE_EPS
        notes.append(f"a share of {tv:g} % is read as >= {goal_value:g} % (rounding)")
    used = frame.loc[frame["kind"].astype(str) != "plan_target", rel_cols] if len(frame) else frame
    low, high = _point_intervals(frame, pts)
    return Judged(
        goal=g,
        hist=pts,
        low=low,
        high=high,
        bounds=bounds,
        goal_value=goal_value,
        cmp=cmp,
        sign=sign,
        base=base,
        baseline_rule=rule,
        kind_model=g.kind,
        unit=(getattr(frame, "attrs", {}) or {}).get("unit") or g.unit,
        yearly=None,
        used=used,
        notes=tuple(notes),
    )


def _restate_chained(g: Goal, frame, pts, cumulative, baseline, sign) -> Judged:
    """Growth-rate and reduction goals: yearly % figures chained into an index (baseline = 100)."""
    T, tv, cmp = g.target_year, g.target_value, g.comparison
    notes = []
    if baseline == "first":
        by = int(pts.index.min()) - 1 if len(pts) else POLICY_YEAR
        rule = "first figure"
    elif baseline is not None:
        by, rule = int(baseline), "chosen"
    elif g.baseline_year is not None:
        by, rule = g.baseline_year, "registry"
    else:
        by, rule = POLICY_YEAR, "policy year"
        notes.append(f"no baseline year in the registry; {by}, the year before the policy, used")
    idx, cum, bridged = _chain(pts, by, cumulative, T)
    if baseline is None and len(idx) <= 1:
        start = _nearest_start(pts, by, cumulative, T)
        if start is not None:
            notes.append(
                f"baseline {start} ({_year_words(start)}): no published change runs from {by}; "
                f"{start} is the year nearest to {by} from which the index can be chained"
            )
            by, rule = start, f"nearest to {by}"
            idx, cum, bridged = _chain(pts, by, cumulative, T)
    if bridged:
        notes.append(
            f"five-year cumulative change(s) bridge the chain to {', '.join(map(str, bridged))} "
            "(the years inside each period stay blank)"
        )
    if g.kind == "reduction_vs_baseline":
        goal_value, cmp_i, sign_i = 100 - tv, FLIP[cmp], -sign
    else:
        r = tv / 100
        if cmp == "~":  # "about g a year": met at g * (1 - tol) or more (or less if falling)
            r, cmp_i = r * (1 - rates.APPROX_TOL * sign), ">=" if sign > 0 else "<="
        else:
            cmp_i = cmp
        goal_value, sign_i = 100 * (1 + r) ** (T - by), sign
    after = pts[(pts.index > by) & (pts.index <= T)]
    inside = {y for b in bridged for y in range(b - CUMULATIVE_SPAN + 1, b)}  # within a bridge
    after = after[[y not in inside for y in after.index]]
    reached = [y for y in after.index if y in idx.index]
    if len(reached) < len(after):
        notes.append(
            f"the chain of yearly changes from {by} breaks after {int(idx.index.max())}; "
            "later years are not chained (never interpolated)"
        )
    used = _chain_used(frame, pts, idx, by, T, after, bridged, cumulative)
    low, high = _chain_intervals(frame, pts, cumulative, by, T, idx)
    return Judged(
        goal=g,
        hist=idx if len(idx) > 1 else pd.Series(dtype=float),
        bounds=pd.DataFrame(columns=["value", "kind"]),
        goal_value=goal_value,
        cmp=cmp_i,
        sign=sign_i,
        base=(by, 100.0),
        baseline_rule=rule,
        kind_model="index",
        unit=f"index, {by} = 100",
        yearly=pts,
        bridged=bridged,
        used=used,
        notes=tuple(notes),
        low=low if len(idx) > 1 else None,
        high=high if len(idx) > 1 else None,
    )


def _chain_used(frame, pts, idx, by: int, T: int, after, bridged, cumulative) -> pd.DataFrame:
    """The figures a chained goal's verdict rests on: the yearly changes in the index and the
    five-year changes bridging it, and the yearly figures after the chain's end up to T (named by
    the notes); with no chain after the baseline, every yearly figure up to T."""
    if len(idx) > 1:
        end = int(idx.index.max())
        years = {y for y in idx.index if y != by and y not in bridged} | {
            y for y in after.index if y > end
        }
    else:
        years = set(pts.index[pts.index <= T])
    points = frame[~frame["kind"].astype(str).isin(POINT_KINDS_EXCLUDED)] if len(frame) else frame
    used = points.loc[[y for y in points.index if int(y) in years]]
    if bridged:
        extra = cumulative.loc[list(bridged)].rename("value").to_frame().assign(kind="exact")
        grades = cumulative.attrs.get("reliability", {})
        extra["reliability"] = [grades.get(int(y)) for y in extra.index]
        used = pd.concat([used, extra]).sort_index()
    return used


def _cumulative_interval(cumulative: pd.Series) -> tuple[pd.Series, pd.Series]:
    """The rounding interval of five-year changes: their attrs' (from cumulative_for), else
    ± half the step of their digits."""
    cum = cumulative.dropna()
    half = pd.Series([precision(v, None) / 2 for v in cum], index=cum.index, dtype=float)
    low = pd.Series(cumulative.attrs.get("low", {}), dtype=float).reindex(cum.index)
    high = pd.Series(cumulative.attrs.get("high", {}), dtype=float).reindex(cum.index)
    return low.fillna(cum - half), high.fillna(cum + half)


def _chain_intervals(frame, pts, cumulative, by: int, T: int, idx) -> tuple[pd.Series, pd.Series]:
    """The index chained from the low and from the high ends of each change's rounding interval
    (the index rises with every change, so these bound it)."""
    lo_pts, hi_pts = _point_intervals(frame, pts)
    out = []
    for k, yearly in enumerate((lo_pts, hi_pts)):
        cum = None
        if cumulative is not None and len(cumulative.dropna()):
            cum = _cumulative_interval(cumulative)[k]
            cum = cum[(cum.index > by) & (cum.index <= T)]
        chained = chain_index_with_cumulative(
            yearly, by, cum if cum is not None and len(cum) else None, span=CUMULATIVE_SPAN
        )
        out.append(chained.reindex(idx.index).fillna(idx))
    return out[0], out[1]


def _chain(pts: pd.Series, by: int, cumulative, T: int):
    """(index from `by` = 100, the cumulative changes usable, years reached only through them)."""
    cum = cumulative.dropna() if cumulative is not None else pd.Series(dtype=float)
    cum = cum[(cum.index > by) & (cum.index <= T)] if len(cum) else cum
    idx = chain_index_with_cumulative(pts, by, cum if len(cum) else None, span=CUMULATIVE_SPAN)
    plain = chain_index_with_cumulative(pts, by)
    bridged = tuple(int(y) for y in idx.index if y not in plain.index and y in cum.index)
    return idx, cum, bridged


def _nearest_start(pts: pd.Series, by: int, cumulative, T: int) -> int | None:
    """The start year nearest to `by` from which the index reaches a year after `by` (by <= T)."""
    cum = cumulative.dropna() if cumulative is not None else pd.Series(dtype=float)
    starts = {int(y) - 1 for y in pts.index} | {int(y) - CUMULATIVE_SPAN for y in cum.index}
    ok = [s for s in starts if s != by and (_chain(pts, s, cumulative, T)[0].index > by).any()]
    return nearest_year(ok, by)


def rebased(j: Judged, baseline, frame: pd.DataFrame, **extra) -> Judged:
    """The same goal judged from another baseline (a year or "first"), as restate() would give.

    Level goals only move their baseline (no second split of the frame); chained goals are
    re-chained from the new year.
    """
    if j.goal.kind in CHAINED:
        return restate(j.goal, frame, baseline=baseline, **extra)
    base, rule, notes = _level_baseline(j.goal, j.hist, baseline)
    return dataclasses.replace(j, base=base, baseline_rule=rule, notes=tuple(notes))


def cumulative_for(indicator: str, as_of=None, data_to=None) -> pd.Series | None:
    """The five-year cumulative companion of a yearly-change indicator (None when absent); its
    attrs carry each figure's `reliability`, `low` and `high` (rounding interval) by year."""
    name = indicator + CUMULATIVE_SUFFIX
    if name not in set(load_indicators()["id"]):
        return None
    frame = series(name, as_of=as_of, data_to=data_to)
    pts, _ = split_series(frame)
    if not len(pts):
        return None
    rows = frame.loc[[y for y in frame.index if y in set(pts.index)]]
    rows = rows[~rows.index.duplicated(keep="last")]
    pts.attrs.update(
        {c: {int(y): v for y, v in rows[c].items()} for c in ("reliability", "low", "high")}
    )
    return pts


def levels_for(indicator: str, as_of=None, data_to=None) -> pd.Series | None:
    """The level a growth-rate indicator is the growth of (`x_growth` -> `x`), None when absent."""
    name = indicator.removesuffix(GROWTH_SUFFIX)
    if name == indicator or name not in set(load_indicators()["id"]):
        return None
    pts, _ = split_series(series(name, as_of=as_of, data_to=data_to))
    return pts if len(pts) else None


def _measures(row, lang: str = "en") -> str:
    """What an indicator measures, from its catalogue row: 'whole-city energy use per unit of GDP'
    (zh: '全市单位GDP能耗')."""
    scope = str(row.get("scope") or "")
    if lang == "zh":
        label = str(row["label_zh"]).removesuffix("变化")
        return f"全市{label}" if scope == "whole city" else label
    label = str(row["label_en"]).removeprefix("Change in ")
    return f"{scope.replace(' ', '-')} {label}" if scope == "whole city" else label


def proxy_for(g: Goal, as_of=None, data_to=None) -> Proxy | None:
    """The registry's proxy series for a goal (None when the registry names none)."""
    if g.proxy is None:
        return None
    cat = load_indicators().set_index("id")
    return Proxy(
        indicator=g.proxy,
        frame=series(g.proxy, as_of=as_of, data_to=data_to),
        cumulative=cumulative_for(g.proxy, as_of, data_to) if g.kind in CHAINED else None,
        words=_measures(cat.loc[g.proxy]),
        own_words=_measures(cat.loc[g.indicator]),
        words_zh=_measures(cat.loc[g.proxy], "zh"),
    )


def companions(g: Goal, as_of=None, data_to=None) -> dict:
    """restate()'s extra series for a goal: cumulative changes, levels and the registry's proxy."""
    out = {"proxy": proxy_for(g, as_of, data_to)} if g.proxy else {}
    if g.kind not in CHAINED:
        return out
    out["cumulative"] = cumulative_for(g.indicator, as_of, data_to)
    if g.kind == "growth_rate":
        out["levels"] = levels_for(g.indicator, as_of, data_to)
    return out


def with_figure(
    frame: pd.DataFrame, year: int, value: float, kind: str = "exact", period: str = "year"
) -> pd.DataFrame:
    """A copy of a dgm.series frame with a (hypothetical) point figure for `year` in place of the
    year's point figures (bounds kept), e.g. to see what a missing figure would decide:
    `verdict.judge(goal, with_figure(frame, 2023, 91.0), today_year)`."""
    points = ~frame["kind"].astype(str).isin(POINT_KINDS_EXCLUDED) if len(frame) else []
    keep = frame[~((frame.index == year) & points)] if len(frame) else frame
    row = {"value": float(value), "kind": kind, "period": period, "low": value, "high": value}
    add = pd.DataFrame([row], index=pd.Index([int(year)], name=frame.index.name or "year"))
    out = pd.concat([keep, add[[c for c in add if c in frame.columns or c == "value"]]])
    out = out.sort_index(kind="stable")
    out.attrs.update(frame.attrs)
    return out


def judged(goal_row, as_of=None, data_to=None, baseline=None) -> Judged:
    """restate() on the shipped data: a goal (id, row or Goal) as known at `as_of`/`data_to`."""
    g = goal(goal_row) if isinstance(goal_row, str) else Goal.from_row(goal_row)
    frame = series(g.indicator, as_of=as_of, data_to=data_to)
    return restate(g, frame, baseline=baseline, **companions(g, as_of, data_to))


def min_reliability(used: pd.DataFrame) -> str | None:
    """The worst reliability letter (A best, D worst) among the figures used; None if unknown."""
    if "reliability" not in used:
        return None
    letters = [str(x) for x in used["reliability"].dropna() if str(x) in RELIABILITY_ORDER]
    return max(letters, key=RELIABILITY_ORDER.index) if letters else None


__all__ = [
    "Goal",
    "Judged",
    "Proxy",
    "goal",
    "judged",
    "load_goals",
    "restate",
    "split_series",
    "with_figure",
]
