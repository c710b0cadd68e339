"""data/raw → data/processed (panel, wide table, coverage, conflicts); `dgm build`. Writes only when clean.

All tables of one build form a generation, switched in with one rename (see `publish`). The
build holds the project lock (dgm.data.locks) from check to publish and never follows a link it finds
where its own directories or links belong.
"""

import os
import re
import shutil
import tempfile
from pathlib import Path

import pandas as pd

from dgm.data import locks, panel
from dgm.data.atomic import STALE, own_dir, replace_link
from dgm.data.coverage import coverage_matrix
from dgm.data.loaders import load_observations, panel_long

GENERATIONS = ".generations"  # data/processed/.generations/gen-*/: one whole build each
GENERATION = re.compile(r"^gen-[A-Za-z0-9_]{8}$")  # a generation's name (mkdtemp's)
CURRENT = ".current"  # link to the generation in use

PANEL_COLUMNS = [
    "indicator",
    "year",
    "period",
    "partial_period",
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
        "conflicts.csv": conflicts_table(),
    }


def conflicts_table() -> pd.DataFrame:
    """Figures that disagree (panel.conflicts) and figures that break an identity beyond rounding
    (dgm.data.identities, value_b the implied figure): `dgm coverage --conflicts`, conflicts.csv."""
    from dgm.data import identities

    obs = load_observations()
    found = identities.breaks(panel_long(), obs)
    both = [t for t in (panel.conflicts(obs), identities.as_conflicts(found)) if not t.empty]
    return pd.concat(both, ignore_index=True) if both else pd.DataFrame()


def current_generation(out_dir: Path) -> str | None:
    """The name of the generation `.current` links to, or None when it is missing or is not a
    link dgm made (`.generations/gen-XXXXXXXX`; a link to itself or elsewhere counts as none)."""
    try:
        target = os.readlink(out_dir / CURRENT)
    except OSError:
        return None
    head, _, name = target.partition("/")
    return name if head == GENERATIONS and GENERATION.match(name) else None


def clean_stale(out_dir: Path) -> None:
    """Remove what an interrupted build left: generations not in use and dgm's temporary files
    (atomic.STALE); nothing else, and never through a link."""
    gens = out_dir / GENERATIONS
    current = current_generation(out_dir)
    if gens.is_dir() and not gens.is_symlink():
        for gen in gens.iterdir():
            if gen.name == current or not GENERATION.match(gen.name):
                continue
            if gen.is_dir() and not gen.is_symlink():
                shutil.rmtree(gen)
            else:
                gen.unlink()
    for p in out_dir.iterdir():
        if STALE.match(p.name) and (p.is_symlink() or not p.is_dir()):
            p.unlink()


def publish(tables: dict[str, pd.DataFrame], out_dir: Path) -> None:
    """Write every table into a fresh generation directory, then switch to it in one rename.

    out_dir/.current links to the generation in use and out_dir/NAME links to .current/NAME, so
    readers keep reading data/processed/panel.csv; a build killed at any point leaves the old or
    the new generation whole, and the next build removes what it left behind. Holds the lock on
    out_dir (dgm.data.locks; `dgm build` holds it already, as the project lock).
    """
    own_dir(out_dir, "build")
    with locks.held(out_dir, "build", directory=True):  # a second build waits, not cleans this one
        gens = own_dir(out_dir / GENERATIONS, "build")
        clean_stale(out_dir)
        gen = Path(tempfile.mkdtemp(prefix="gen-", dir=gens))
        for name, frame in tables.items():
            frame.to_csv(gen / name, index=False, encoding="utf-8", lineterminator="\n")
        os.chmod(gen, 0o755)  # mkdtemp makes it private; the tables are as readable as any file
        replace_link(out_dir / CURRENT, f"{GENERATIONS}/{gen.name}")  # the switch
        for name in tables:
            path = out_dir / name
            if not path.is_symlink() or os.readlink(path) != f"{CURRENT}/{name}":
                replace_link(path, f"{CURRENT}/{name}")
        clean_stale(out_dir)
