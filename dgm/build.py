"""data/raw → data/processed (panel, wide table, coverage, conflicts); `dgm build`. Writes only when clean."""

import os
import sys
import tempfile
from pathlib import Path

import pandas as pd

from dgm import panel, paths
from dgm.coverage import coverage_matrix
from dgm.data import load_observations, panel_long
from dgm.errors import capped
from dgm.validate import check_paths

PANEL_COLUMNS = [
    "indicator",
    "year",
    "value",
    "unit",
    "kind",
    "derived",
    "scope",
    "price_basis",
    "source_id",
    "reliability",
    "vintage",
    "n_figures",
    "formula",
    "inputs",
    "note",
]


def processed_tables() -> dict[str, pd.DataFrame]:
    """Every processed table, computed in memory (nothing is written here)."""
    long = panel_long()[lambda d: d.columns.intersection(PANEL_COLUMNS, sort=False)]
    long = long.reindex(columns=PANEL_COLUMNS)
    wide = long.pivot(index="year", columns="indicator", values="value").sort_index()
    return {
        "panel.csv": long,
        "panel_wide.csv": wide.reset_index(),
        "coverage.csv": coverage_matrix().reset_index(),
        "conflicts.csv": panel.conflicts(load_observations()),
    }


def write_atomically(tables: dict[str, pd.DataFrame], out_dir: Path) -> None:
    """Write every table to temporary files in `out_dir`, then rename each into place."""
    out_dir.mkdir(parents=True, exist_ok=True)
    staged = []
    try:
        for name, frame in tables.items():
            fd, tmp = tempfile.mkstemp(prefix=f".{name}.", dir=out_dir)
            os.close(fd)
            frame.to_csv(tmp, index=False, encoding="utf-8", lineterminator="\n")
            staged.append((tmp, out_dir / name))
    except BaseException:
        for tmp, _ in staged:
            os.unlink(tmp)
        raise
    for tmp, final in staged:
        os.replace(tmp, final)


def main_build(args) -> int:
    """`dgm build`: check data/raw; if clean, rebuild data/processed; else print problems, write nothing."""
    problems, _ = check_paths([paths.RAW])
    if problems:
        for line in capped([str(p) for p in problems]):
            print(line)
        print(
            f"build stopped: {len(problems)} problem(s); data/processed left as it was",
            file=sys.stderr,
        )
        return 1
    tables = processed_tables()
    write_atomically(tables, paths.PROCESSED)
    for name, frame in tables.items():
        print(f"wrote {paths.PROCESSED.relative_to(paths.ROOT) / name} ({len(frame)} rows)")
    return 0
