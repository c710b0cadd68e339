"""Goal registry (loaded by dgm.data.loaders.load_targets) → the `dgm targets` listing: a table or JSON."""

import pandas as pd

from dgm.data.loaders import load_targets
from dgm.jsonsafe import plain
from dgm.present.termtable import render

TARGETS_FILE = "targets.csv"  # in data/raw; named in the table's last line
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


def registry_records(df: pd.DataFrame | None = None) -> list[dict]:
    """One dict per goal, keys the CSV column names, numbers as numbers, blanks as None."""
    df = load_targets() if df is None else df
    return [{col: plain(row[col]) for col in df.columns} for _, row in df.iterrows()]


def registry_table(df: pd.DataFrame | None = None, wide: bool = True) -> str:
    """A readable left-aligned table of the registry (one line per goal), Chinese simplified."""
    from dgm.zh import simplify_columns

    df = simplify_columns(load_targets() if df is None else df, ["clause"])
    cells = [list(TABLE_COLUMNS)] + [
        [
            "" if pd.isna(row[c]) else f"{row[c]:g}" if c == "target_value" else str(row[c])
            for c in TABLE_COLUMNS
        ]
        for _, row in df.iterrows()
    ]
    return render(cells[1:], cells[0], right={"target_value"}, wide=wide)
