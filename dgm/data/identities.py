"""Published figures → the identities they break beyond rounding (warnings of `dgm check`).

The identities the build knows (dgm.data.panel; the id suffixes of dgm.constants), tested on the figures the build chose
(published point figures stated exactly or as preliminary; approximations, bounds, derived figures
and part-year figures are left out):
- a share: part = share × whole / 100 (panel.RATIOS: advanced and high-tech manufacturing value
  added, R&D expenditure / GDP = intensity, the value-added rate, …);
- a stated change: share[t] − share[t−1] = change[t] in percentage points, share[t] from the same
  source and vintage as the change, as the build derives it (panel.STATED_CHANGES);
- a level and its growth rate: growth[t] = (level[t] / level[t−1] − 1) × 100, only where the level
  and the growth rate are on the same price basis (a real growth rate is no identity with nominal
  levels);
- a five-year change and the yearly changes: (Π (1 + c/100) − 1) × 100 over the five years.
Each figure stands for the interval its written precision allows (`8.2%` is 8.15–8.25,
dgm.data.panel.rounding_interval); a break is reported only when the published figure and the interval the other
figures imply do not meet. A break is a warning: the build goes on.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from dgm.constants import CUMULATIVE_SPAN, CUMULATIVE_SUFFIX, GROWTH_SUFFIX
from dgm.data import panel

KINDS = ("exact", "estimate")  # figures stated as points; approx (约, 左右) has no sharp precision
COLUMNS = [
    "identity",
    "indicator",
    "year",
    "published",
    "implied",
    "implied_low",
    "implied_high",
    "formula",
    "inputs",
    "source_id",
    "input_sources",
]


def _product(a: tuple, b: tuple) -> tuple[float, float]:
    """Interval product of two intervals."""
    ends = [x * y for x in a for y in b]
    return min(ends), max(ends)


def _figures(frame: pd.DataFrame) -> list[dict]:
    """The published full-year point figures of a frame of observations (or of a chosen panel),
    each with its rounding interval (`span`)."""
    rows = frame[frame["kind"].isin(KINDS)]
    if "derived" in rows:
        rows = rows[~rows["derived"].astype(bool)]
    if "period" in rows:
        rows = rows[rows["period"].fillna("year") == "year"]
    out = []
    for r in rows.to_dict("records"):
        span = panel.rounding_interval(
            r["value"],
            r.get("as_written"),
            r.get("unit") if isinstance(r.get("unit"), str) else "",
            r.get("quote") if isinstance(r.get("quote"), str) else "",
        )
        out.append(r | {"year": int(r["year"]), "span": span})
    return out


def _points(long: pd.DataFrame) -> dict[tuple[str, int], dict]:
    """{(indicator, year): figure} of a chosen panel's published full-year point figures."""
    return {(f["indicator"], f["year"]): f for f in _figures(long)}


def _row(identity, tested, implied, low_high, formula, inputs) -> dict:
    """One break: the tested published figure against what the other figures imply."""
    return {
        "identity": identity,
        "indicator": tested["indicator"],
        "year": int(tested["year"]),
        "published": float(tested["value"]),
        "implied": round(implied, 10),
        "implied_low": round(low_high[0], 10),
        "implied_high": round(low_high[1], 10),
        "formula": formula,
        "inputs": "; ".join(f"{f['indicator']} {f['year']} = {f['value']:g}" for f in inputs),
        "source_id": tested["source_id"],
        "input_sources": "; ".join(dict.fromkeys(str(f["source_id"]) for f in inputs)),
        "file": tested.get("file"),
    }


def _meets(a: tuple, b: tuple) -> bool:
    """Whether two intervals overlap (with a relative float margin)."""
    eps = 1e-9 * max(1.0, abs(a[0]), abs(b[0]))
    return a[0] <= b[1] + eps and b[0] <= a[1] + eps


def _shares(pts: dict) -> list[dict]:
    """part = share × whole / scale (panel.RATIOS), where all three are published."""
    out = []
    for share, part, whole, scale, _ in panel.RATIOS:
        for (ind, year), p in pts.items():
            s, w = pts.get((share, year)), pts.get((whole, year))
            if ind != part or s is None or w is None:
                continue
            low, high = _product(s["span"], w["span"])
            implied = (low / scale, high / scale)
            if not _meets(p["span"], implied):
                mid = s["value"] * w["value"] / scale
                formula = f"{share} × {whole} / {scale:g}"
                out.append(_row("share", p, mid, implied, formula, [s, w]))
    return out


def _stated_changes(pts: dict, obs: list[dict]) -> list[dict]:
    """change[t] = share[t] − share[t−1] (panel.STATED_CHANGES): share[t] from the change's own
    source and vintage (`obs`: every published figure), share[t−1] the chosen one."""
    same = {(f["indicator"], f["year"], f["source_id"], str(f.get("vintage"))): f for f in obs}
    out = []
    for share, change in panel.STATED_CHANGES:
        for (ind, year), c in pts.items():
            now = same.get((share, year, c["source_id"], str(c.get("vintage"))))
            before = pts.get((share, year - 1))
            if ind != change or now is None or before is None:
                continue
            implied = (now["span"][0] - before["span"][1], now["span"][1] - before["span"][0])
            if not _meets(c["span"], implied):
                mid = now["value"] - before["value"]
                formula = f"{share}[t] − {share}[t−1]"
                out.append(_row("stated change", c, mid, implied, formula, [now, before]))
    return out


def _same_basis(*figures: dict) -> bool:
    """Whether every figure has the same price basis (blank counts as one basis)."""
    bases = {None if pd.isna(f.get("price_basis")) else f.get("price_basis") for f in figures}
    return len(bases) == 1


def _growth(pts: dict) -> list[dict]:
    """growth[t] = (level[t] / level[t−1] − 1) × 100 for `x_growth` and its level `x`."""
    out = []
    for (ind, year), g in pts.items():
        level = ind.removesuffix(GROWTH_SUFFIX)
        now, before = pts.get((level, year)), pts.get((level, year - 1))
        if level == ind or now is None or before is None or not _same_basis(g, now, before):
            continue
        if before["span"][0] <= 0:
            continue
        low = (now["span"][0] / before["span"][1] - 1) * 100
        high = (now["span"][1] / before["span"][0] - 1) * 100
        if not _meets(g["span"], (low, high)):
            mid = (now["value"] / before["value"] - 1) * 100
            formula = f"({level}[t] / {level}[t−1] − 1) × 100"
            out.append(_row("level and growth", g, mid, (low, high), formula, [now, before]))
    return out


def _five_year(pts: dict) -> list[dict]:
    """A five-year change against the compounded yearly changes of its five years."""
    out = []
    for (ind, year), c5 in pts.items():
        yearly = ind.removesuffix(CUMULATIVE_SUFFIX)
        if yearly == ind:
            continue
        years = [pts.get((yearly, y)) for y in range(year - CUMULATIVE_SPAN + 1, year + 1)]
        if any(f is None for f in years) or not _same_basis(c5, *years):
            continue
        low, high, mid = 1.0, 1.0, 1.0
        for f in years:
            low, high = low * (1 + f["span"][0] / 100), high * (1 + f["span"][1] / 100)
            mid *= 1 + f["value"] / 100
        implied = ((low - 1) * 100, (high - 1) * 100)
        if not _meets(c5["span"], implied):
            formula = f"(Π (1 + {yearly}/100) over {year - CUMULATIVE_SPAN + 1}-{year} − 1) × 100"
            out.append(_row("five-year change", c5, (mid - 1) * 100, implied, formula, years))
    return out


def breaks(long: pd.DataFrame, obs: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every identity a chosen panel's published figures break beyond rounding (COLUMNS, `file`);
    `obs`, every published figure, gives a stated change its own source's share."""
    pts = _points(long)
    every = _figures(obs if obs is not None else long)
    rows = _shares(pts) + _stated_changes(pts, every) + _growth(pts) + _five_year(pts)
    out = pd.DataFrame(rows, columns=[*COLUMNS, "file"])
    return out.sort_values(["indicator", "year"], kind="stable").reset_index(drop=True)


def raw_breaks(raw: Path) -> pd.DataFrame:
    """breaks() of the figures the build chooses from a raw directory (as of today, every file)."""
    from dgm.data.loaders import load_table

    obs = load_table("observations", raw)
    copies = panel.official_copies(load_table("sources", raw))
    return breaks(panel.choose(obs, copies), obs)


def as_conflicts(found: pd.DataFrame) -> pd.DataFrame:
    """Breaks in the shape of panel.conflicts() (value_a the published figure, value_b the implied
    one), for `dgm coverage --conflicts` and data/processed/conflicts.csv."""
    if found.empty:
        return pd.DataFrame()
    return pd.DataFrame(
        {
            "indicator": found["indicator"],
            "year": found["year"],
            "why": "identity broken beyond rounding: " + found["formula"],
            "value_a": found["published"],
            "kind_a": "published",
            "source_a": found["source_id"],
            "vintage_a": None,
            "value_b": found["implied"],
            "kind_b": "implied",
            "source_b": found["input_sources"],
            "vintage_b": None,
            "inputs": found["inputs"],
        }
    )


def message(b: dict) -> str:
    """The warning text of one break: both sides, with their sources."""
    low, high = b["implied_low"], b["implied_high"]
    within = f"{_g(low)} to {_g(high)} within rounding"
    return (
        f"warning: {b['indicator']} {b['year']} breaks an identity beyond rounding (expected "
        f"{b['formula']} = {_g(b['implied'])} from {b['inputs']} [{b['input_sources']}], "
        f"{within}; got {_g(b['published'])} [{b['source_id']}]); the build goes on"
    )


def _g(x: float) -> str:
    """A number for a message: up to 6 significant digits, no trailing zeros."""
    return f"{x:.6g}" if math.isfinite(x) else str(x)


def _line(raw: Path, b: dict) -> int:
    """The line of the tested figure in its raw file (0 when it cannot be found)."""
    from dgm.data.rawio import read_table
    from dgm.data.schemas import TABLES

    frame, _ = read_table(raw / str(b["file"]), TABLES["observations"])
    if frame is None:
        return 0
    hit = frame[
        (frame["indicator"] == b["indicator"])
        & (frame["year"] == b["year"])
        & (frame["source_id"] == b["source_id"])
        & (frame["value"] == b["published"])
    ]
    return int(hit.index[0]) if len(hit) else 0


def warnings(raw: Path, display=str) -> list[str]:
    """`FILE:ROW:value: warning: …` for every break in a raw directory (`display` names the file)."""
    found = raw_breaks(raw)
    return [
        f"{display(raw / str(b['file']))}:{_line(raw, b)}:value: {message(b)}"
        for b in found.to_dict("records")
    ]
