"""Goal registry and measures: targets.csv, measures.csv → typed DataFrames; `dgm targets`."""

import json
import math
from pathlib import Path

import pandas as pd

from dgm import paths

TARGETS_CSV = paths.RAW / "targets.csv"
MEASURES_CSV = paths.RAW / "measures.csv"
TARGET_FLOATS = ("target_value", "baseline_value")
TARGET_INTS = ("target_year", "baseline_year")
MEASURE_INTS = ("number",)
# Columns shown by `dgm targets` (the table); --json gives every column.
TABLE_COLUMNS = (
    "id",
    "indicator",
    "comparison",
    "target_value",
    "unit",
    "target_year",
    "baseline_year",
    "clause",
)


def _typed(path: Path, floats: tuple[str, ...] = (), ints: tuple[str, ...] = ()) -> pd.DataFrame:
    """Read a raw CSV: strings as str (blank → missing), floats as float64, ints as Int64."""
    df = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""], encoding="utf-8")
    for col in floats:
        df[col] = pd.to_numeric(df[col]).astype("float64")
    for col in ints:
        df[col] = pd.to_numeric(df[col]).astype("Int64")
    return df


def load_targets(path: Path | str | None = None) -> pd.DataFrame:
    """The goal registry: values float (catalogue units), years Int64, the rest str."""
    return _typed(Path(path or TARGETS_CSV), TARGET_FLOATS, TARGET_INTS)


def load_measures(path: Path | str | None = None) -> pd.DataFrame:
    """The 43 measures: number Int64, the rest str (missing where blank)."""
    return _typed(Path(path or MEASURES_CSV), ints=MEASURE_INTS)


def _plain(value):
    """A cell as a JSON value: missing → None, whole floats stay floats, Int64 → int."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    if hasattr(value, "item"):  # numpy scalar
        return value.item()
    return value


def targets_records(df: pd.DataFrame | None = None) -> list[dict]:
    """One dict per target, keys the CSV column names, numbers as numbers, blanks as None."""
    df = load_targets() if df is None else df
    return [{col: _plain(row[col]) for col in df.columns} for _, row in df.iterrows()]


def targets_table(df: pd.DataFrame | None = None) -> str:
    """A readable left-aligned table of the registry (one line per target)."""
    df = load_targets() if df is None else df
    cells = [list(TABLE_COLUMNS)] + [
        [
            "" if pd.isna(row[c]) else f"{row[c]:g}" if c == "target_value" else str(row[c])
            for c in TABLE_COLUMNS
        ]
        for _, row in df.iterrows()
    ]
    widths = [max(len(r[i]) for r in cells) for i in range(len(TABLE_COLUMNS))]
    return "\n".join(
        "  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in cells
    )


def main_targets(args) -> int:
    """`dgm targets [--json]`: print the goal registry as a table or a JSON array."""
    if getattr(args, "json", False):
        print(json.dumps(targets_records(), ensure_ascii=False, indent=1))
    else:
        df = load_targets()
        print(targets_table(df))
        print(f"\n{len(df)} targets; quotes and notes: dgm targets --json, or {TARGETS_CSV.name}")
    return 0
