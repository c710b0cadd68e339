"""Observations (long, every vintage) → one figure per indicator-year, derived figures, conflicts. Pure.

Build rule, in order: point figures (`exact`, `approx`, `estimate`) beat bounds and plan targets;
among points `exact` > `approx` > `estimate` > `derived`; then reliability A > B > C > D; then the
later vintage; a remaining tie goes to the first source_id in alphabetical order (deterministic).
A year with bounds only keeps the tightest bound (highest lower bound, lowest upper).
Plan targets are never chosen as the observed figure: they are their own series.
"""

import pandas as pd

POINT_RANK = {"exact": 0, "approx": 1, "estimate": 2, "derived": 3}
BOUND_KINDS = ("lower_bound", "upper_bound")
RELIABILITY_RANK = {"A": 0, "B": 1, "C": 2, "D": 3}
# Relative gap above which two same-kind figures for one indicator-year are a conflict.
CONFLICT_TOLERANCE = 0.005

# Derived figures: (indicator, numerator, denominator, scale, basis note). Computed only for years
# without a published point figure; inputs must be point figures of the same year.
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
    ("rd_intensity", "rd_expenditure", "gdp", 100.0, "nominal / nominal, current prices"),
    (
        "industrial_va_rate",
        "industrial_va_above",
        "industrial_output_above",
        100.0,
        "above-size value added / above-size gross output, current prices",
    ),
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


def _ranked(obs: pd.DataFrame) -> pd.DataFrame:
    """Observations with sort keys for the build rule (lower sorts first = preferred)."""
    out = obs.copy()
    out["_point"] = out["kind"].map(POINT_RANK).fillna(9)
    out["_rel"] = out["reliability"].map(RELIABILITY_RANK).fillna(9)
    out["_vint"] = out["vintage"].fillna("")
    return out


def choose(obs: pd.DataFrame) -> pd.DataFrame:
    """One row per (indicator, year) by the build rule; `n_figures` counts the rows it chose from."""
    if obs.empty:
        return obs.assign(n_figures=pd.Series(dtype="int64"))
    obs = obs[obs["kind"] != "plan_target"]
    ranked = _ranked(obs)
    points = ranked[ranked["_point"] < 9].sort_values(
        ["indicator", "year", "_point", "_rel", "_vint", "source_id"],
        ascending=[True, True, True, True, False, True],
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


def derive(chosen: pd.DataFrame, units: dict[str, str]) -> pd.DataFrame:
    """Derived rows: RATIOS (kind `derived`) and PART_OF lower bounds, only where no point is published."""
    points = chosen[chosen["kind"].isin(list(POINT_RANK))]
    wide = points.pivot(index="year", columns="indicator", values="value")
    srcs = points.pivot(index="year", columns="indicator", values="source_id")
    have = set(zip(points["indicator"], points["year"], strict=True))
    rows = []
    for name, num, den, scale, basis in RATIOS:
        if num not in wide or den not in wide:
            continue
        for year, value in (wide[num] / wide[den] * scale).dropna().items():
            if (name, year) in have:
                continue
            rows.append(
                {
                    "indicator": name,
                    "year": int(year),
                    "value": float(value),
                    "unit": units.get(name, ""),
                    "kind": "derived",
                    "reliability": None,
                    "vintage": None,
                    "source_id": f"{srcs.at[year, num]};{srcs.at[year, den]}",
                    "formula": f"{num} / {den} × {scale:g}",
                    "inputs": f"{num}={wide.at[year, num]:g}; {den}={wide.at[year, den]:g}",
                    "note": f"derived by dgm ({basis})",
                }
            )
    for whole, part, reason in PART_OF:
        parts = chosen[
            (chosen["indicator"] == part) & chosen["kind"].isin([*POINT_RANK, "lower_bound"])
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
                }
            )
    return pd.DataFrame(rows)


def conflicts(obs: pd.DataFrame) -> pd.DataFrame:
    """Pairs of same-kind figures for one indicator-year that disagree, and points that break a bound."""
    rows = []
    for (ind, year), group in obs[obs["kind"] != "plan_target"].groupby(["indicator", "year"]):
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
