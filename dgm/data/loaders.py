"""data/raw/*.csv → typed pandas objects for notebooks and the engine (`dgm.series`, `dgm.load_*`).

Loaders read the raw files directly (they are small) and type them; a file that cannot be read
raises `DataError` with `FILE:ROW:COLUMN` lines. `dgm check` is the full validation gate.
"""

import contextlib
import datetime as dt
import os
from collections import defaultdict
from contextvars import ContextVar
from functools import cache, lru_cache
from pathlib import Path

import pandas as pd

from dgm import paths
from dgm.data import panel
from dgm.data.rawio import DataError, read_table
from dgm.data.results_store import raw_fingerprint, stored
from dgm.data.schemas import TABLES
from dgm.errors import DgmError


def _files(table: str, raw: Path) -> tuple[Path, ...]:
    """The raw files that hold `table` (`observations.csv` and any `observations_*.csv`)."""
    return tuple(sorted(raw.glob(f"{table}.csv")) + sorted(raw.glob(f"{table}_*.csv")))


def _signature(raw: Path) -> tuple:
    """(relative name, size, modification time in ns, inode) of every file under `raw`: cheap to
    take (~0.2 ms), and it changes whenever a file is added, removed, renamed or rewritten."""
    out = []
    for folder, dirs, files in os.walk(raw):
        dirs.sort()
        for name in sorted(files):
            path = os.path.join(folder, name)
            try:
                st = os.stat(path)
                out.append((os.path.relpath(path, raw), st.st_size, st.st_mtime_ns, st.st_ino))
            except OSError:  # a broken link: the loaders and `dgm check` say why
                out.append((os.path.relpath(path, raw), -1, -1, -1))
    return tuple(out)


@lru_cache(maxsize=8)
def _content(raw: str, signature: tuple) -> str:
    """SHA-256 of the content of `raw` (dgm.data.results_store.raw_fingerprint) for one signature."""
    return raw_fingerprint(Path(raw))


def raw_state(raw: Path | None = None) -> str:
    """The state of data/raw: SHA-256 of every file's name and bytes, as the results store keys
    it, read again whenever a file's name, size, modification time or inode changed. Every cache
    of results computed from data/raw is keyed on it, so after `dgm import` (or any edit) the next
    call in the same process (a JupyterLab kernel, the explorer) computes from the new figures."""
    raw = Path(raw or paths.RAW)
    return _content(str(raw), _signature(raw))


# Figures supposed for a what-if (dgm.engine.gaps): observation rows, as sorted (column, value) tuples.
_SUPPOSED: ContextVar[tuple] = ContextVar("dgm_supposed", default=())


@contextlib.contextmanager
def supposing(rows):
    """Within this block the observations (and every panel, series and assessment computed from
    them) include `rows`, dicts with the columns of observations.csv, as if a raw file held them:
    the what-ifs of `dgm gaps`. `supposing(())` is data/raw alone. Nothing is written."""
    token = _SUPPOSED.set(tuple(tuple(sorted(r.items())) for r in rows))
    try:
        yield
    finally:
        _SUPPOSED.reset(token)


def state() -> tuple:
    """The key of results computed from the observations: raw_state() and the supposed figures."""
    return raw_state(), _SUPPOSED.get()


@cache
def _load(table: str, files: tuple[Path, ...], state: str) -> pd.DataFrame:
    """Read and concatenate the files of a table (cached per state of data/raw)."""
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
    return _load(table, files, raw_state(raw)).copy()


def load_indicators() -> pd.DataFrame:
    """The indicator catalogue (id, labels, unit, definition, direction, scope)."""
    return load_table("indicators")


def load_sources() -> pd.DataFrame:
    """Every source document (source_id, title, publisher, published, url, accessed)."""
    return load_table("sources")


def load_observations() -> pd.DataFrame:
    """Every published figure, all vintages, long format (see docs/data-model.md); inside
    `supposing(rows)`, the supposed rows too (`file` "(supposed)")."""
    return _observations(state())


def _observations(key: tuple) -> pd.DataFrame:
    """The observations of one state (key: raw_state() and the supposed rows)."""
    frame = load_table("observations")
    if not key[1]:
        return frame
    extra = pd.DataFrame([dict(r) for r in key[1]]).assign(file="(supposed)")
    extra = extra.reindex(columns=frame.columns).astype(frame.dtypes.to_dict())
    return pd.concat([frame, extra], ignore_index=True)


def load_targets() -> pd.DataFrame:
    """The goal registry of 東府〔2015〕1號: values float (catalogue units), years Int64, rest str."""
    return load_table("targets").drop(columns="file")


def load_publications() -> pd.DataFrame:
    """Where each indicator's figures are published (publication, table or section in words,
    basis, source): data/raw/publications.csv, read by `dgm gaps`."""
    return load_table("publications").drop(columns="file")


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


def _build(obs: pd.DataFrame) -> pd.DataFrame:
    """The chosen and derived figures of a set of observations, with their period flags."""
    units = dict(zip(*load_indicators()[["id", "unit"]].T.values, strict=True))
    chosen = panel.choose(obs, panel.official_copies(load_sources()))
    derived = panel.derive(chosen, units, obs)
    out = pd.concat([chosen.assign(derived=False), derived.assign(derived=True)], ignore_index=True)
    out["period"] = out["period"].fillna("year") if "period" in out else "year"
    out["partial_period"] = out["period"] != "year"
    for col in ("low", "high"):  # a figure's rounding interval (dgm.data.panel.rounding_interval)
        out[col] = out[col].fillna(out["value"]) if col in out else out["value"]
    inferred = out["year_inferred"] if "year_inferred" in out else pd.Series(False, index=out.index)
    out["year_inferred"] = inferred.fillna(False).astype(bool)
    return out.sort_values(["indicator", "year"]).reset_index(drop=True)


@lru_cache(maxsize=64)
@stored  # a report's kernels read the panel its precompute made (dgm.data.results_store)
def _panel(as_of, data_to: int | None, state: str) -> pd.DataFrame:
    """The chosen and derived figures for one as-of date, one data-to year and one state of data/raw."""
    return _build(data_up_to(published_by(_observations((state, ())), as_of), data_to))


@lru_cache(maxsize=16)
def _supposed_panel(as_of, data_to: int | None, key: tuple) -> pd.DataFrame:
    """_panel with supposed figures, built again only where they can change it: the indicators an
    identity links to them (panel.linked) in the years they are for (every identity of the build
    holds within a year; a stated change derives year t from t + 1). The rest is data/raw's panel;
    tests/test_gaps.py checks the two ways give the same panel."""
    real = _panel(as_of, data_to, key[0])
    rows = [dict(r) for r in key[1]]
    linked = panel.linked({r["indicator"] for r in rows})
    years = {int(r["year"]) for r in rows}
    obs = data_up_to(published_by(_observations(key), as_of), data_to)
    near = obs["indicator"].isin(linked) & obs["year"].isin(years | {y + 1 for y in years})
    part = _build(obs[near])
    stale = real["indicator"].isin(linked) & real["year"].isin(years)
    out = pd.concat([real[~stale], part[part["year"].isin(years)]], ignore_index=True)
    return out.sort_values(["indicator", "year"]).reset_index(drop=True)


def _long(as_of, data_to: int | None, key: tuple) -> pd.DataFrame:
    """The panel of one as-of date, data-to year and state (not a copy: callers copy)."""
    if key[1]:
        return _supposed_panel(as_of, data_to, key)
    return _panel(as_of, data_to, key[0])


def panel_long(as_of=None, data_to: int | None = None) -> pd.DataFrame:
    """One chosen figure per indicator-year (published and derived), long format, with the `derived`
    and `partial_period` flags and the figure's `period`."""
    return _long(as_of_date(as_of), data_to, state()).copy()


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
    return _series(indicator, as_of_date(as_of), include_plan, data_to, state()).copy()


def series_frames(indicators, as_of=None, data_to: int | None = None) -> dict[str, pd.DataFrame]:
    """{indicator: dgm.series(indicator, as_of, data_to=...)} (the panel is cached)."""
    return {ind: series(ind, as_of, data_to=data_to) for ind in indicators}


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


@lru_cache(maxsize=64)
def _cuts(as_of, data_to, key: tuple) -> defaultdict:
    """{indicator: its figures (index year, SERIES_COLUMNS)} of one panel, cut in one pass (a
    catalogue indicator without figures gets an empty frame)."""
    long = _long(as_of, data_to, key)
    empty = long.loc[long.index[:0], ["year", *SERIES_COLUMNS]].set_index("year")
    empty.index = empty.index.astype("int64")
    out: defaultdict[str, pd.DataFrame] = defaultdict(lambda: empty)
    for ind, rows in long.groupby("indicator", sort=False):
        frame = rows[["year", *SERIES_COLUMNS]].set_index("year").sort_index()
        frame.index = frame.index.astype("int64")
        out[ind] = frame
    return out


@lru_cache(maxsize=2048)
def _series(indicator: str, as_of, include_plan: bool, data_to, key: tuple) -> pd.DataFrame:
    """series() for one as-of date and one state of data/raw (the engine asks for the same
    indicator many times)."""
    catalogue = load_indicators().set_index("id")
    if indicator not in catalogue.index:
        raise KeyError(
            f"unknown indicator '{indicator}' (expected an id from data/raw/indicators.csv)"
        )
    out = _cuts(as_of, data_to, key)[indicator].copy()
    if include_plan:
        plans = data_up_to(published_by(_observations(key), as_of), data_to)
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
