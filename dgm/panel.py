"""Observations (long, every vintage) → one figure per indicator-year, derived figures, conflicts. Pure.

Build rule (docs/data-model.md has it with examples), for one indicator-year:
1. Plan targets are never the observed figure (they are their own series).
2. Full-year figures first: a partial-period figure (`period` jan-nov, h1, stock-end-nov …) is used
   only where no full-year figure exists, the longest period first.
3. A point figure (`exact`, `approx`, `estimate`) beats any bound; a year with bounds only keeps the
   tightest bound (highest lower bound, lowest upper).
4. A rounded figure never beats a more precise one that rounds to it (11400 from 1.14万亿 yields to
   11438.13, 5881 to 5881.18), whatever their grades.
5. Then the grade: a secondary figure (reliability D: a blog, a content farm, an undated
   dataset) only where no A-C figure exists; among A-C, the final figure (`exact`) > `approx` >
   the preliminary one (`estimate`) (C is an official figure as the news paraphrases it, so a
   final figure in the news beats an official preliminary one).
6. Among figures of the same tier: the more precise figure (an accounting result to 0.01 亿元
   before a rounded expectation); then A > B > C; then the figure more A-C sources agree on; then
   the later vintage; a remaining tie goes to the first source_id alphabetically (deterministic).
"""

import math
import re

import pandas as pd

from dgm.constants import BOUND_KINDS
from dgm.numbers import FigureError, parse_range
from dgm.schemas import PERIODS

POINT_RANK = {"exact": 0, "approx": 1, "estimate": 2, "derived": 3}
RELIABILITY_RANK = {"A": 0, "B": 1, "C": 2, "D": 3}
PERIOD_RANK = {p: i for i, p in enumerate(PERIODS)}
# Grades of step 5 that state an official figure (D is secondary: a blog, a content farm, an
# undated dataset); only these count as sources that agree in step 6.
OFFICIAL = ("A", "B", "C")
# Relative gap above which two same-kind figures for one indicator-year are a conflict.
CONFLICT_TOLERANCE = 0.005
# Identities share = part / whole × scale: (share, part, whole, scale, basis). Where two of the
# three are point figures for a year and the third is not, dgm derives the third. Identities are
# applied in this order and a figure derived by one may feed a later one (enterprise R&D and its
# share give whole-city R&D, which with GDP gives R&D intensity). When two identities give the same
# figure, the first listed wins.
RATIOS = (
    (
        "advanced_mfg_share",
        "advanced_mfg_va",
        "industrial_va_above",
        100.0,
        "nominal / nominal, current prices",
    ),
    (
        "hightech_mfg_share",
        "hightech_mfg_va",
        "industrial_va_above",
        100.0,
        "nominal / nominal, current prices",
    ),
    (
        "rd_expenditure_enterprises_share",
        "rd_expenditure_enterprises",
        "rd_expenditure",
        100.0,
        "nominal / nominal, current prices",
    ),
    ("rd_intensity", "rd_expenditure", "gdp", 100.0, "nominal / nominal, current prices"),
    (
        "industrial_va_rate",
        "industrial_va_above",
        "industrial_output_above",
        100.0,
        "above-size value added / above-size gross output, current prices",
    ),
    (
        "hightech_product_output_share",
        "hightech_product_output",
        "industrial_output_above",
        100.0,
        "above-size gross output / above-size gross output, current prices",
    ),
)

# Stated changes: (share, its change on the previous year in percentage points). A source that gives
# a year's share with its rise gives the previous year's share, share[t-1] = share[t] - change[t];
# both figures must come from one source and vintage (a later revision of share[t] would not fit).
STATED_CHANGES = (
    ("advanced_mfg_share", "advanced_mfg_share_change"),
    ("hightech_mfg_share", "hightech_mfg_share_change"),
)

# Derived lower bounds: (indicator, from_indicator, reason). A figure of the part is a lower bound
# of the whole in years where the whole has no point figure.
PART_OF = (
    (
        "industrial_output_all",
        "industrial_output_above",
        "all industry includes above-size industry",
    ),
)


def precision(value: float, as_written, unit: str = "", context: str = "") -> float:
    """The rounding step of a figure in its catalogue unit: `1.14万亿元` → 100 (亿元), `5881.18亿元`
    → 0.01, `8.2%` → 0.1, a table cell `682.77` labelled (RMB billion) in `context` (the quote) →
    0.1; from the digits of `value` where `as_written` is missing or unreadable."""
    missing = as_written is None or pd.isna(as_written)
    text = format(value, "f").rstrip("0").rstrip(".") if missing else str(as_written)
    number = re.search(r"\d[\d,，]*(?:\.\d+)?", text)
    if number is None:
        return 1.0
    token = number.group().replace(",", "").replace("，", "")
    step = 10.0 ** -len(token.split(".")[1]) if "." in token else 1.0
    if missing or not unit:
        return step
    try:
        scale = parse_range(as_written, unit, context)[0] / float(token)
    except (FigureError, ZeroDivisionError):
        return step
    return step * abs(scale) if scale else step


def _ranked(obs: pd.DataFrame) -> pd.DataFrame:
    """Observations with sort keys for the build rule (lower sorts first = preferred)."""
    out = obs.reset_index(drop=True)
    if "period" not in out:
        out["period"] = "year"
    out["period"] = out["period"].fillna("year")
    written = out["as_written"] if "as_written" in out else pd.Series(None, index=out.index)
    unit = out["unit"] if "unit" in out else pd.Series("", index=out.index)
    quote = out["quote"] if "quote" in out else pd.Series("", index=out.index)
    # ranks are numbers even on an empty cut (mapping an empty pyarrow-backed str column keeps
    # its str dtype, which the sum below would refuse)
    out["_period"] = out["period"].map(PERIOD_RANK).fillna(len(PERIODS)).astype(float)
    out["_point"] = out["kind"].map(POINT_RANK).fillna(9).astype(float)
    out["_rel"] = out["reliability"].map(RELIABILITY_RANK).fillna(9).astype(float)
    out["_tier"] = out["reliability"].isin(OFFICIAL).map({True: 0, False: 10}) + out["_point"]
    out["_step"] = [
        precision(v, w, u if isinstance(u, str) else "", q if isinstance(q, str) else "")
        for v, w, u, q in zip(out["value"], written, unit, quote, strict=True)
    ]
    out["_vint"] = out["vintage"].fillna("")
    return out


def _rounds_to(rough: float, rough_step: float, fine: float, fine_step: float) -> bool:
    """True when `rough` is `fine` rounded to `rough_step` (and `fine` is the more precise)."""
    return fine_step < rough_step and abs(fine - rough) <= rough_step / 2 * (1 + 1e-9)


def _precision_keys(points: pd.DataFrame) -> pd.DataFrame:
    """Steps 4 and 6 of the build rule: drop figures that round a more precise figure of the same
    indicator-year, and count the A-C sources that agree with each remaining one (`_agree`,
    negated so that more agreement sorts first)."""
    cols = ["indicator", "year", "value", "_step", "source_id", "reliability"]
    groups: dict[tuple, list[tuple]] = {}
    for index, *rec in points[cols].itertuples(name=None):
        groups.setdefault((rec[0], rec[1]), []).append((index, *rec[2:]))
    rounded, agree = set(), {}
    for rows in groups.values():
        for i, value, step, _, _ in rows:
            if any(_rounds_to(value, step, v, st) for j, v, st, _, _ in rows if j != i):
                rounded.add(i)
                continue
            agree[i] = -len(
                {
                    sid
                    for _, v, st, sid, rel in rows
                    if rel in OFFICIAL
                    and (
                        math.isclose(v, value, abs_tol=step / 2 + 1e-9)
                        or _rounds_to(v, st, value, step)
                    )
                }
            )
    kept = points.drop(index=list(rounded))
    return kept.assign(_agree=kept.index.map(agree))


def choose(obs: pd.DataFrame) -> pd.DataFrame:
    """One row per (indicator, year) by the build rule; `n_figures` counts the rows it chose from
    (all periods, plan targets excluded). Rows carry `period` (blank read as `year`)."""
    if obs.empty:
        return obs.assign(n_figures=pd.Series(dtype="int64"))
    obs = obs[obs["kind"] != "plan_target"]
    ranked = _ranked(obs)
    first_period = ranked.groupby(["indicator", "year"])["_period"].transform("min")
    ranked = ranked[ranked["_period"] == first_period]
    points = _precision_keys(ranked[ranked["_point"] < 9]).sort_values(
        ["indicator", "year", "_tier", "_step", "_rel", "_agree", "_vint", "source_id"],
        ascending=[True, True, True, True, True, True, False, True],
        kind="stable",
    )
    best_points = points.groupby(["indicator", "year"], sort=False).head(1)
    bounds = ranked[ranked["kind"].isin(BOUND_KINDS)].copy()
    bounds["_tight"] = bounds["value"].where(bounds["kind"] == "upper_bound", -bounds["value"])
    bounds = bounds.sort_values(
        ["indicator", "year", "_tight", "_rel", "_vint", "source_id"],
        ascending=[True, True, True, True, False, True],
        kind="stable",
    )
    best_bounds = bounds.groupby(["indicator", "year"], sort=False).head(1)
    have = set(zip(best_points["indicator"], best_points["year"], strict=True))
    best_bounds = best_bounds[
        [
            (i, y) not in have
            for i, y in zip(best_bounds["indicator"], best_bounds["year"], strict=True)
        ]
    ]
    chosen = pd.concat([best_points, best_bounds])
    counts = obs.groupby(["indicator", "year"]).size().rename("n_figures")
    chosen = chosen.join(counts, on=["indicator", "year"]).astype({"n_figures": "Int64"})
    return (
        chosen.drop(columns=[c for c in chosen.columns if c.startswith("_")])
        .sort_values(["indicator", "year"])
        .reset_index(drop=True)
    )


def _derived(indicator, year, value, units, sources, formula, inputs, basis, period="year") -> dict:
    """One derived row (kind `derived`, no reliability or vintage of its own; the period of a
    partial-period input)."""
    return {
        "indicator": indicator,
        "year": int(year),
        "value": round(float(value), 10),
        "unit": units.get(indicator, ""),
        "kind": "derived",
        "reliability": None,
        "vintage": None,
        "source_id": sources,
        "formula": formula,
        "inputs": inputs,
        "note": f"derived by dgm ({basis})",
        "period": period,
    }


def _periods(frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` with its `period` column, blank read as `year`."""
    period = frame["period"] if "period" in frame else pd.Series("year", index=frame.index)
    return frame.assign(period=period.fillna("year"))


def _partial(*periods: str) -> str:
    """The period of a figure computed from figures of these periods: the first partial one."""
    return next((p for p in periods if p != "year"), "year")


def _identity_rows(points: pd.DataFrame, have: set, units: dict) -> list[dict]:
    """RATIOS: the missing member of share = part / whole × scale from the other two."""
    wide = points.pivot(index="year", columns="indicator", values="value")
    srcs = points.pivot(index="year", columns="indicator", values="source_id")
    pers = _periods(points).pivot(index="year", columns="indicator", values="period")
    rows = []
    for share, part, whole, scale, basis in RATIOS:
        w = wide.reindex(columns=[share, part, whole])
        solve = (
            (share, w[part] / w[whole] * scale, f"{part} / {whole} × {scale:g}", (part, whole)),
            (whole, w[part] / w[share] * scale, f"{part} / {share} × {scale:g}", (part, share)),
            (part, w[share] * w[whole] / scale, f"{share} × {whole} / {scale:g}", (share, whole)),
        )
        for target, values, formula, (a, b) in solve:
            for year, value in values.dropna().items():
                if (target, year) in have:
                    continue
                have.add((target, year))
                row = _derived(
                    target,
                    year,
                    value,
                    units,
                    f"{srcs.at[year, a]};{srcs.at[year, b]}",
                    formula,
                    f"{a}={w.at[year, a]:g}; {b}={w.at[year, b]:g}",
                    basis,
                    _partial(pers.at[year, a], pers.at[year, b]),
                )
                rows.append(row)
                # a later identity may use this figure
                wide.loc[year, target] = value
                srcs.loc[year, target] = row["source_id"]
                pers.loc[year, target] = row["period"]
    return rows


def _stated_change_rows(obs: pd.DataFrame, have: set, units: dict) -> list[dict]:
    """STATED_CHANGES: the previous year's share from one source's share and its stated rise."""
    ranked = _ranked(obs[obs["kind"].isin(list(POINT_RANK))])
    rows = []
    for share, change in STATED_CHANGES:
        pairs = ranked[ranked["indicator"] == share].merge(
            ranked.loc[ranked["indicator"] == change, ["source_id", "vintage", "year", "value"]],
            on=["source_id", "vintage", "year"],
            suffixes=("", "_change"),
        )
        pairs = pairs.sort_values(
            ["year", "_point", "_rel", "_vint", "source_id"],
            ascending=[True, True, True, False, True],
            kind="stable",
        )
        for row in pairs.groupby("year", sort=True).head(1).itertuples():
            if (share, row.year - 1) in have:
                continue
            have.add((share, row.year - 1))
            rows.append(
                _derived(
                    share,
                    row.year - 1,
                    row.value - row.value_change,
                    units,
                    row.source_id,
                    f"{share}[t] − {change}[t], t = {row.year}",
                    f"{share}={row.value:g} ({row.kind}); {change}={row.value_change:g}",
                    "previous year's share from the share and its stated rise, one source",
                    row.period,
                )
            )
    return rows


def _part_of_rows(chosen: pd.DataFrame, have: set, units: dict) -> list[dict]:
    """PART_OF: a published figure (or lower bound) of the part is a lower bound of the whole."""
    rows = []
    for whole, part, reason in PART_OF:
        parts = _periods(chosen)
        parts = parts[
            (parts["indicator"] == part) & parts["kind"].isin([*POINT_RANK, "lower_bound"])
        ]
        for row in parts.itertuples():
            if (whole, row.year) in have:
                continue
            rows.append(
                {
                    "indicator": whole,
                    "year": int(row.year),
                    "value": float(row.value),
                    "unit": units.get(whole, ""),
                    "kind": "lower_bound",
                    "reliability": row.reliability,
                    "vintage": row.vintage,
                    "source_id": row.source_id,
                    "formula": f"{whole} ≥ {part}",
                    "inputs": f"{part}={row.value:g} ({row.kind})",
                    "note": f"derived by dgm: {reason}",
                    "period": row.period,
                }
            )
    return rows


def derive(chosen: pd.DataFrame, units: dict[str, str], obs: pd.DataFrame | None = None):
    """Derived rows, only for indicator-years without a published point figure: RATIOS and
    STATED_CHANGES (kind `derived`; the latter needs the raw `obs`), then PART_OF lower bounds."""
    points = chosen[chosen["kind"].isin(list(POINT_RANK))]
    have = set(zip(points["indicator"], points["year"], strict=True))
    rows = _identity_rows(points, have, units)
    if obs is not None:
        rows += _stated_change_rows(obs, have, units)
    return pd.DataFrame(rows + _part_of_rows(chosen, have, units))


def conflicts(obs: pd.DataFrame) -> pd.DataFrame:
    """Pairs of same-kind figures for one indicator-year-period that disagree, and points that break
    a bound (a Jan-Nov figure is never in conflict with the full year's)."""
    rows = []
    obs = _periods(obs[obs["kind"] != "plan_target"])
    for (ind, year, _), group in obs.groupby(["indicator", "year", "period"]):
        records = group.to_dict("records")
        for i, a in enumerate(records):
            for b in records[i + 1 :]:
                gap = abs(a["value"] - b["value"]) / max(abs(a["value"]), abs(b["value"]), 1e-9)
                same_kind = (
                    a["kind"] == b["kind"] and a["kind"] in POINT_RANK and gap > CONFLICT_TOLERANCE
                )
                broken = _breaks_bound(a, b) or _breaks_bound(b, a)
                if same_kind or broken:
                    rows.append(
                        {
                            "indicator": ind,
                            "year": int(year),
                            "why": "bound broken" if broken else f"differ by {gap:.1%}",
                            "value_a": a["value"],
                            "kind_a": a["kind"],
                            "source_a": a["source_id"],
                            "vintage_a": a["vintage"],
                            "value_b": b["value"],
                            "kind_b": b["kind"],
                            "source_b": b["source_id"],
                            "vintage_b": b["vintage"],
                        }
                    )
    return pd.DataFrame(rows)


def _breaks_bound(point: dict, bound: dict) -> bool:
    """True when a point figure lies on the wrong side of a bound for the same indicator-year."""
    if point["kind"] not in POINT_RANK:
        return False
    if bound["kind"] == "lower_bound":
        return point["value"] < bound["value"] * (1 - CONFLICT_TOLERANCE)
    if bound["kind"] == "upper_bound":
        return point["value"] > bound["value"] * (1 + CONFLICT_TOLERANCE)
    return False
