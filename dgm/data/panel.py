"""Observations (long, every vintage) → one figure per indicator-year, derived figures, conflicts. Pure.

Build rule (docs/data-model.md has it with examples), for one indicator-year:
1. Plan targets are never the observed figure (they are their own series).
2. Full-year figures first: a partial-period figure (`period` jan-nov, h1, stock-end-nov …) is used
   only where no full-year figure exists, the longest period first.
3. A point figure (`exact`, `approx`, `estimate`) beats any bound; a year with bounds only keeps the
   tightest bound (highest lower bound, lowest upper).
4. A rounded figure never beats a more precise one that rounds to it (11400 from 1.14万亿 yields to
   11438.13, 5881 to 5881.18), whatever their grades: the two are one figure.
5. Then the official figures: grades A-C, and a lower-grade copy of a dated official document
   (its source's `copy_of` names the document and its date; docs/data-model.md); a secondary
   figure (reliability D: a blog, a content farm, an undated dataset) only where no official
   figure exists. Among official figures the final one (`exact`) > `approx` > the preliminary one
   (`estimate`): C is an official figure as the news paraphrases it, so a final figure in the news
   beats an official preliminary one.
6. Among figures of the same tier: the more precise figure (an accounting result to 0.01 亿元
   before a rounded expectation); then the figure more official sources agree on; then, where
   every figure of the indicator-year is dated, the later vintage (a revision beats the figure it
   revises, whatever their grades) before A > B > C > D, else the grade before the vintage; a
   remaining tie goes to the first source_id alphabetically (deterministic).
"""

import math
import re
from functools import partial

import pandas as pd

from dgm.constants import BOUND_KINDS
from dgm.data.numbers import COUNT_UNITS, FigureError, parse_range
from dgm.data.schemas import PERIODS

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
# A figure whose year the source does not state, inferred by the researcher from the context; the
# note says so in these words ("Year inferred from context", "year inferred as end-2022").
INFERRED_YEAR = re.compile(r"\byear inferred (?:from|as)\b", re.IGNORECASE)


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


def rounding_interval(value: float, as_written, unit: str = "", context: str = ""):
    """(low, high): the values a published figure stands for in its catalogue unit, `value` ±
    half its rounding step (`precision`): `46%` → (45.5, 46.5), `6.6万件` → (65500, 66500); a
    range (`8%-8.5%`) spans both ends; a whole count written without a magnitude (`24家`) is
    exact. A fall written without its sign (`5.9%` for −5.9) keeps the value's sign."""
    value = float(value)
    if not math.isfinite(value):
        return value, value
    missing = as_written is None or (isinstance(as_written, float) and math.isnan(as_written))
    step = precision(value, None if missing else as_written, unit, context)
    lo = hi = value
    if not missing:
        try:
            lo, hi = parse_range(as_written, unit, context)
        except FigureError:
            lo = hi = value
        if unit in COUNT_UNITS and lo == hi and float(lo).is_integer() and step == 1.0:
            return value, value
        if lo != hi and math.isclose(value, -lo, abs_tol=1e-9):
            lo, hi = -hi, -lo
        if not math.isclose(value, lo, abs_tol=1e-9):
            lo = hi = value
    return lo - step / 2, hi + _last_step(as_written, step) / 2


def _last_step(as_written, step: float) -> float:
    """The rounding step of a range's upper end (`8%-8.5%`: 0.1 where the lower end's is 1)."""
    if not isinstance(as_written, str):
        return step
    tokens = re.findall(r"\d[\d,，]*(?:\.(\d+))?", as_written)
    if len(tokens) < 2:
        return step
    return step * 10.0 ** (len(tokens[0]) - len(tokens[-1]))


def year_inferred(note) -> bool:
    """Whether a figure's note says its year was inferred, not stated by the source."""
    return isinstance(note, str) and bool(INFERRED_YEAR.search(note))


def _with_intervals(rows: pd.DataFrame) -> pd.DataFrame:
    """Chosen rows with their rounding interval (`low`, `high`) and `year_inferred` flag."""
    written, unit, quote, note = (
        _column(rows, c, d)
        for c, d in (("as_written", None), ("unit", ""), ("quote", ""), ("note", None))
    )
    bounds = [
        rounding_interval(v, w, u if isinstance(u, str) else "", q if isinstance(q, str) else "")
        for v, w, u, q in zip(rows["value"], written, unit, quote, strict=True)
    ]
    return rows.assign(
        low=[b[0] for b in bounds],
        high=[b[1] for b in bounds],
        year_inferred=[year_inferred(x) for x in note],
    )


def _column(rows: pd.DataFrame, name: str, default) -> pd.Series:
    """rows[name], or `default` in every row when the column is absent."""
    return rows[name] if name in rows else pd.Series([default] * len(rows), index=rows.index)


def _ranked(obs: pd.DataFrame, copies=frozenset()) -> pd.DataFrame:
    """Observations with sort keys for the build rule (lower sorts first = preferred); `copies`:
    the source_ids that are lower-grade copies of dated official documents (step 5)."""
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
    out["_official"] = out["reliability"].isin(OFFICIAL) | out["source_id"].isin(list(copies))
    out["_tier"] = out["_official"].map({True: 0, False: 10}).astype(float) + out["_point"]
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
    indicator-year, and count the official sources that agree with each remaining one (`_agree`,
    negated so that more agreement sorts first)."""
    cols = ["indicator", "year", "value", "_step", "source_id", "_official"]
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
                    for _, v, st, sid, o in rows
                    if o
                    and (
                        math.isclose(v, value, abs_tol=step / 2 + 1e-9)
                        or _rounds_to(v, st, value, step)
                    )
                }
            )
    kept = points.drop(index=list(rounded))
    return kept.assign(_agree=kept.index.map(agree))


def _vintage_keys(points: pd.DataFrame) -> pd.DataFrame:
    """Step 6's last keys: (`_first`, `_then`) = (later vintage, grade) where every figure of the
    indicator-year is dated, else (grade, later vintage): an unknown date is not an earlier one."""
    later = -points.groupby(["indicator", "year"])["_vint"].rank(method="dense")
    dated = (points["_vint"] != "").groupby([points["indicator"], points["year"]]).transform("all")
    return points.assign(
        _first=later.where(dated, points["_rel"]), _then=points["_rel"].where(dated, later)
    )


def choose(obs: pd.DataFrame, copies=frozenset()) -> pd.DataFrame:
    """One row per (indicator, year) by the build rule; `n_figures` counts the rows it chose from
    (all periods, plan targets excluded). Rows carry `period` (blank read as `year`). `copies`:
    source_ids that are lower-grade copies of dated official documents (official_copies)."""
    if obs.empty:
        return obs.assign(n_figures=pd.Series(dtype="int64"))
    obs = obs[obs["kind"] != "plan_target"]
    ranked = _ranked(obs, copies)
    first_period = ranked.groupby(["indicator", "year"])["_period"].transform("min")
    ranked = ranked[ranked["_period"] == first_period]
    points = _vintage_keys(_precision_keys(ranked[ranked["_point"] < 9])).sort_values(
        ["indicator", "year", "_tier", "_step", "_agree", "_first", "_then", "source_id"],
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
    chosen = _with_intervals(pd.concat([best_points, best_bounds]))
    counts = obs.groupby(["indicator", "year"]).size().rename("n_figures")
    chosen = chosen.join(counts, on=["indicator", "year"]).astype({"n_figures": "Int64"})
    return (
        chosen.drop(columns=[c for c in chosen.columns if c.startswith("_")])
        .sort_values(["indicator", "year"])
        .reset_index(drop=True)
    )


def linked(indicators) -> set[str]:
    """The indicators whose chosen or derived figures can change with those of `indicators`: the
    closure over the relations derive() uses (RATIOS, STATED_CHANGES, PART_OF)."""
    relations = [set(r[:3]) for r in RATIOS] + [set(r) for r in STATED_CHANGES]
    relations += [{whole, part} for whole, part, _ in PART_OF]
    out = set(indicators)
    grew = True
    while grew:
        grew = False
        for rel in relations:
            if rel & out and not rel <= out:
                out |= rel
                grew = True
    return out


def official_copies(sources: pd.DataFrame) -> frozenset:
    """The source_ids whose `copy_of` names the dated official document they reproduce (step 5)."""
    if "copy_of" not in sources:
        return frozenset()
    return frozenset(sources.loc[sources["copy_of"].notna(), "source_id"])


def _derived(indicator, year, value, units, sources, formula, inputs, basis, made_of) -> dict:
    """One derived row (kind `derived`, no vintage of its own) made of the input figures
    `made_of` (a list of dicts with period, reliability, low, high, year_inferred): the period of
    a partial-period input, the worst grade of the inputs, and `low`/`high` and `year_inferred`
    from `made_of`'s own `low`/`high` entry (the caller propagates the interval)."""
    grades = [str(m["reliability"]) for m in made_of if m.get("reliability") in RELIABILITY_RANK]
    return {
        "indicator": indicator,
        "year": int(year),
        "value": round(float(value), 10),
        "unit": units.get(indicator, ""),
        "kind": "derived",
        "reliability": max(grades, key=RELIABILITY_RANK.__getitem__) if grades else None,
        "vintage": None,
        "source_id": sources,
        "formula": formula,
        "inputs": inputs,
        "note": f"derived by dgm ({basis})",
        "period": _partial(*(m.get("period") or "year" for m in made_of)),
        "year_inferred": any(bool(m.get("year_inferred")) for m in made_of),
    }


def _quotient(x, y, scale: float):
    """x / y × scale (works on numbers and Series)."""
    return x / y * scale


def _product(x, y, scale: float):
    """x × y / scale (works on numbers and Series)."""
    return x * y / scale


def _corners(op, a: tuple, b: tuple) -> tuple[float, float]:
    """(min, max) of op(x, y) over the corners of intervals a and b (interval arithmetic for a
    product or a quotient whose divisor interval excludes 0)."""
    vals = [op(x, y) for x in a for y in b]
    return min(vals), max(vals)


def _periods(frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` with its `period` column, blank read as `year`."""
    period = frame["period"] if "period" in frame else pd.Series("year", index=frame.index)
    return frame.assign(period=period.fillna("year"))


def _partial(*periods: str) -> str:
    """The period of a figure computed from figures of these periods: the first partial one."""
    return next((p for p in periods if p != "year"), "year")


def _identity_rows(points: pd.DataFrame, have: set, units: dict) -> list[dict]:
    """RATIOS: the missing member of share = part / whole × scale from the other two; its
    rounding interval is propagated from the inputs' by interval arithmetic."""
    present = set(points["indicator"])
    if not any(len(present & set(r[:3])) >= 2 for r in RATIOS):
        return []  # no identity has two members: nothing to derive (and no pivots to pay for)
    pts = _periods(points).assign(
        low=_column(points, "low", math.nan).fillna(points["value"]),
        high=_column(points, "high", math.nan).fillna(points["value"]),
        reliability=_column(points, "reliability", None),
        year_inferred=_column(points, "year_inferred", False),
    )
    facts = {
        (r["indicator"], int(r["year"])): r
        for r in pts[
            [
                "indicator",
                "year",
                "value",
                "source_id",
                "period",
                "reliability",
                "low",
                "high",
                "year_inferred",
            ]
        ].to_dict("records")
    }
    wide = points.pivot(index="year", columns="indicator", values="value")
    rows = []
    for share, part, whole, scale, basis in RATIOS:
        w = wide.reindex(columns=[share, part, whole])
        div, mul = partial(_quotient, scale=scale), partial(_product, scale=scale)
        solve = (
            (share, part, whole, div, f"{part} / {whole} × {scale:g}"),
            (whole, part, share, div, f"{part} / {share} × {scale:g}"),
            (part, share, whole, mul, f"{share} × {whole} / {scale:g}"),
        )
        for target, a, b, op, formula in solve:
            for year, value in op(w[a], w[b]).dropna().items():
                if (target, year) in have:
                    continue
                have.add((target, year))
                fa, fb = facts[(a, int(year))], facts[(b, int(year))]
                low, high = _corners(op, (fa["low"], fa["high"]), (fb["low"], fb["high"]))
                row = _derived(
                    target,
                    year,
                    value,
                    units,
                    f"{fa['source_id']};{fb['source_id']}",
                    formula,
                    f"{a}={fa['value']:g}; {b}={fb['value']:g}",
                    basis,
                    [fa, fb],
                ) | {"low": low, "high": high}
                rows.append(row)
                # a later identity may use this figure
                wide.loc[year, target] = value
                facts[(target, int(year))] = row
    return rows


def _stated_change_rows(obs: pd.DataFrame, have: set, units: dict) -> list[dict]:
    """STATED_CHANGES: the previous year's share from one source's share and its stated rise."""
    if not set(obs["indicator"]) & {change for _, change in STATED_CHANGES}:
        return []  # no stated change among the figures
    ranked = _ranked(obs[obs["kind"].isin(list(POINT_RANK))])
    rows = []
    for share, change in STATED_CHANGES:
        pairs = ranked[ranked["indicator"] == share].merge(
            ranked.loc[
                ranked["indicator"] == change, ["source_id", "vintage", "year", "value", "_step"]
            ],
            on=["source_id", "vintage", "year"],
            suffixes=("", "_change"),
        )
        pairs = pairs.sort_values(
            ["year", "_point", "_rel", "_vint", "source_id"],
            ascending=[True, True, True, False, True],
            kind="stable",
        )
        for row in pairs.groupby("year", sort=True).head(1).to_dict("records"):
            year = int(row["year"])
            if (share, year - 1) in have:
                continue
            have.add((share, year - 1))
            value = row["value"] - row["value_change"]
            half = (row["_step"] + row["_step_change"]) / 2  # the two figures' half-steps add
            rows.append(
                _derived(
                    share,
                    year - 1,
                    value,
                    units,
                    row["source_id"],
                    f"{share}[t] − {change}[t], t = {year}",
                    f"{share}={row['value']:g} ({row['kind']}); {change}={row['value_change']:g}",
                    "previous year's share from the share and its stated rise, one source",
                    [row | {"year_inferred": year_inferred(row.get("note"))}],
                )
                | {"low": value - half, "high": value + half}
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
                    "low": getattr(row, "low", row.value),
                    "high": getattr(row, "high", row.value),
                    "year_inferred": bool(getattr(row, "year_inferred", False)),
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
