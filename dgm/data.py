"""data/raw/*.csv → typed pandas objects for notebooks and the engine (`dgm.series`, `dgm.load_*`).

Loaders read the raw files directly (they are small) and type them; a file that cannot be read
raises `DataError` with `FILE:ROW:COLUMN` lines. `dgm check` is the full validation gate.
"""

from functools import cache
from pathlib import Path

import pandas as pd

from dgm import panel, paths
from dgm.rawio import DataError, read_table
from dgm.schemas import TABLES


def _files(table: str, raw: Path) -> tuple[Path, ...]:
    """The raw files that hold `table` (`observations.csv` and any `observations_*.csv`)."""
    return tuple(sorted(raw.glob(f"{table}.csv")) + sorted(raw.glob(f"{table}_*.csv")))


def _stamp(path: Path) -> int:
    """A file's modification time in ns (-1 when it cannot be read: the loader then says why)."""
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return -1


@cache
def _load(table: str, files: tuple[Path, ...], stamps: tuple[float, ...]) -> pd.DataFrame:
    """Read and concatenate the files of a table (cached on their modification times)."""
    frames, problems = [], []
    for path in files:
        frame, more = read_table(path, TABLES[table])
        problems += more
        if frame is not None:
            frames.append(frame.assign(file=path.name))
    if problems:
        raise DataError(problems)
    if not frames:
        raise DataError([])
    return pd.concat(frames, ignore_index=True)


def load_table(table: str, raw: Path | None = None) -> pd.DataFrame:
    """A raw table as a typed DataFrame (a copy; the `file` column names the file each row came from)."""
    files = _files(table, raw or paths.RAW)
    if not files:
        raise FileNotFoundError(f"no {table}.csv in {raw or paths.RAW}")
    return _load(table, files, tuple(_stamp(p) for p in files)).copy()


def load_indicators() -> pd.DataFrame:
    """The indicator catalogue (id, labels, unit, definition, direction, scope)."""
    return load_table("indicators")


def load_sources() -> pd.DataFrame:
    """Every source document (source_id, title, publisher, published, url, accessed)."""
    return load_table("sources")


def load_observations() -> pd.DataFrame:
    """Every published figure, all vintages, long format (see docs/data-model.md)."""
    return load_table("observations")


def load_targets() -> pd.DataFrame:
    """The goal registry of 東府〔2015〕1號: values float (catalogue units), years Int64, rest str."""
    return load_table("targets").drop(columns="file")


def load_measures() -> pd.DataFrame:
    """The 43 measures of sections 三 and 四: number Int64, the rest str (missing where blank)."""
    return load_table("measures").drop(columns="file")


def published_by(obs: pd.DataFrame, as_of: int | None) -> pd.DataFrame:
    """Figures whose vintage (publication date) is on or before the end of `as_of` (all when None)."""
    if as_of is None:
        return obs
    return obs[obs["vintage"].fillna("9999") <= f"{as_of}-12-31"]


def _stamps() -> tuple:
    """Modification times of every raw CSV (cache key: a changed file invalidates cached panels)."""
    return tuple((p.name, _stamp(p)) for p in sorted(paths.RAW.glob("*.csv")))


@cache
def _panel(as_of: int | None, stamps: tuple) -> pd.DataFrame:
    """The chosen and derived figures for one as-of year and one state of data/raw."""
    obs = published_by(load_observations(), as_of)
    units = dict(zip(*load_indicators()[["id", "unit"]].T.values, strict=True))
    chosen = panel.choose(obs)
    derived = panel.derive(chosen, units, obs)
    out = pd.concat([chosen.assign(derived=False), derived.assign(derived=True)], ignore_index=True)
    return out.sort_values(["indicator", "year"]).reset_index(drop=True)


def panel_long(as_of: int | None = None) -> pd.DataFrame:
    """One chosen figure per indicator-year (published and derived), long format, with `derived` flag."""
    return _panel(as_of, _stamps()).copy()


def series(indicator: str, as_of: int | None = None, include_plan: bool = False) -> pd.DataFrame:
    """An indicator's yearly figures (index `year`; value, kind, source_id, reliability, vintage, derived).

    `attrs` carries `indicator`, `unit` (catalogue unit) and `direction`. `as_of=YEAR` uses only
    figures published by YEAR-12-31. With `include_plan`, a `plan` column holds the city's planned
    figure for each year (latest vintage).
    """
    catalogue = load_indicators().set_index("id")
    if indicator not in catalogue.index:
        raise KeyError(
            f"unknown indicator '{indicator}' (expected an id from data/raw/indicators.csv)"
        )
    long = panel_long(as_of)
    cols = ["value", "kind", "source_id", "reliability", "vintage", "derived"]
    out = long.loc[long["indicator"] == indicator, ["year", *cols]].set_index("year").sort_index()
    out.index = out.index.astype("int64")
    if include_plan:
        plans = published_by(load_observations(), as_of)
        plans = plans[(plans["indicator"] == indicator) & (plans["kind"] == "plan_target")]
        plan = plans.sort_values("vintage").groupby("year")["value"].last()
        plan.index = plan.index.astype("int64")
        out = out.join(plan.rename("plan"), how="outer")
    out.attrs.update(
        indicator=indicator,
        unit=catalogue.at[indicator, "unit"],
        direction=catalogue.at[indicator, "direction"],
    )
    return out
