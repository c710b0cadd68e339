"""data/raw/*.csv → typed pandas objects for notebooks and the engine (`dgm.series`, `dgm.load_*`).

Loaders read the raw files directly (they are small) and type them; a file that cannot be read
raises `DataError` with `FILE:ROW:COLUMN` lines. `dgm check` is the full validation gate.
"""

import datetime as dt
from collections import defaultdict
from functools import cache
from pathlib import Path

import pandas as pd

from dgm import panel, paths
from dgm.errors import DgmError
from dgm.rawio import DataError, read_table
from dgm.results_store import stored
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
        raise DgmError(
            f"no {table}.csv in {raw or paths.RAW} (expected the project's raw data there; "
            "is DGM_ROOT the project directory?)"
        )
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


def as_of_date(as_of) -> dt.date | None:
    """An as-of value (None, a year, a date or an ISO date string) -> the last date it admits.

    A year means its last day: 2014 -> 2014-12-31; "2015-01-20" stays that day.
    """
    if as_of is None or isinstance(as_of, dt.date):
        return as_of
    text = str(as_of).strip()
    if text.isdigit():
        return dt.date(int(text), 12, 31)
    return dt.date.fromisoformat(text)


def vintage_date(vintage) -> dt.date | None:
    """A vintage as written ("2016", "2023-01", "2015-05-20") -> the latest day it can mean.

    A year or a month alone is read as its last day, so a figure is never admitted before it can
    have been published; a missing vintage gives None (never admitted by an as-of filter).
    """
    if vintage is None or vintage is pd.NA or (isinstance(vintage, float) and vintage != vintage):
        return None
    parts = [int(p) for p in str(vintage).strip().split("-")]
    if len(parts) == 1:
        return dt.date(parts[0], 12, 31)
    if len(parts) == 2:
        nxt = dt.date(parts[0] + parts[1] // 12, parts[1] % 12 + 1, 1)
        return nxt - dt.timedelta(days=1)
    return dt.date(*parts[:3])


def published_by(obs: pd.DataFrame, as_of) -> pd.DataFrame:
    """Figures whose vintage (publication date) is on or before `as_of` (a year: its end; None: all).

    Dates are compared as dates: a vintage given as a year or month counts from its last day.
    """
    day = as_of_date(as_of)
    if day is None:
        return obs
    dates = obs["vintage"].map(vintage_date)
    return obs[[d is not None and d <= day for d in dates]]


def data_up_to(obs: pd.DataFrame, data_to: int | None) -> pd.DataFrame:
    """Figures for years up to `data_to` from any vintage (pseudo-real-time; all when None)."""
    if data_to is None:
        return obs
    return obs[obs["year"].astype(int) <= int(data_to)]


def _stamps() -> tuple:
    """Modification times of every raw CSV (cache key: a changed file invalidates cached panels)."""
    return tuple((p.name, _stamp(p)) for p in sorted(paths.RAW.glob("*.csv")))


@cache
@stored  # a report's kernels read the panel its precompute made (dgm.results_store)
def _panel(as_of, data_to: int | None, stamps: tuple) -> pd.DataFrame:
    """The chosen and derived figures for one as-of date, one data-to year and one state of data/raw."""
    obs = data_up_to(published_by(load_observations(), as_of), data_to)
    units = dict(zip(*load_indicators()[["id", "unit"]].T.values, strict=True))
    chosen = panel.choose(obs)
    derived = panel.derive(chosen, units, obs)
    out = pd.concat([chosen.assign(derived=False), derived.assign(derived=True)], ignore_index=True)
    out["period"] = out["period"].fillna("year") if "period" in out else "year"
    out["partial_period"] = out["period"] != "year"
    for col in ("low", "high"):  # a figure's rounding interval (dgm.panel.rounding_interval)
        out[col] = out[col].fillna(out["value"]) if col in out else out["value"]
    inferred = out["year_inferred"] if "year_inferred" in out else pd.Series(False, index=out.index)
    out["year_inferred"] = inferred.fillna(False).astype(bool)
    return out.sort_values(["indicator", "year"]).reset_index(drop=True)


def panel_long(as_of=None, data_to: int | None = None) -> pd.DataFrame:
    """One chosen figure per indicator-year (published and derived), long format, with the `derived`
    and `partial_period` flags and the figure's `period`."""
    return _panel(as_of_date(as_of), data_to, _stamps()).copy()


def series(
    indicator: str, as_of=None, include_plan: bool = False, data_to: int | None = None
) -> pd.DataFrame:
    """An indicator's yearly figures (index `year`; value, kind, source_id, reliability, vintage,
    derived, period, partial_period: True where the figure covers only part of the year; low and
    high: the rounding interval the figure stands for; year_inferred: True where the source does
    not state the year and the researcher inferred it).

    `attrs` carries `indicator`, `unit` (catalogue unit) and `direction`. `as_of=YEAR` uses only
    figures published by YEAR-12-31 (`as_of="2015-01-20"`: by that day); `data_to=YEAR` keeps the
    figures for years up to YEAR from any vintage (pseudo-real-time). With `include_plan`, a `plan` column holds the city's planned
    figure for each year (latest vintage).
    """
    return _series(indicator, as_of_date(as_of), include_plan, data_to, _stamps()).copy()


SERIES_COLUMNS = [
    "value",
    "kind",
    "source_id",
    "reliability",
    "vintage",
    "derived",
    "period",
    "partial_period",
    "low",
    "high",
    "year_inferred",
]


@cache
def _cuts(as_of, data_to, stamps: tuple) -> defaultdict:
    """{indicator: its figures (index year, SERIES_COLUMNS)} of one panel, cut in one pass (a
    catalogue indicator without figures gets an empty frame)."""
    long = _panel(as_of, data_to, stamps)
    empty = long.loc[long.index[:0], ["year", *SERIES_COLUMNS]].set_index("year")
    empty.index = empty.index.astype("int64")
    out = defaultdict(lambda: empty)
    for ind, rows in long.groupby("indicator", sort=False):
        frame = rows[["year", *SERIES_COLUMNS]].set_index("year").sort_index()
        frame.index = frame.index.astype("int64")
        out[ind] = frame
    return out


@cache
def _series(indicator: str, as_of, include_plan: bool, data_to, stamps: tuple) -> pd.DataFrame:
    """series() for one as-of date and one state of data/raw (the engine asks for the same
    indicator many times)."""
    catalogue = load_indicators().set_index("id")
    if indicator not in catalogue.index:
        raise KeyError(
            f"unknown indicator '{indicator}' (expected an id from data/raw/indicators.csv)"
        )
    out = _cuts(as_of, data_to, stamps)[indicator].copy()
    if include_plan:
        plans = data_up_to(published_by(load_observations(), as_of), data_to)
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
