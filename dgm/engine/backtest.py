"""Rolling-origin backtests: observed series -> accuracy, calibration and CRPS per model.

`dgm backtest [--json] [--records] [--as-of YEAR] [--vintage real-time|final]`. For every
indicator with more than MIN_FORECAST_POINTS published points and every origin year with at
least that many points up to it, each model is fitted on the data up to the origin and forecasts
the published years 1..HORIZON after the origin (target year = origin + horizon). Everything a
forecast made at origin t uses is a figure for a year up to t (in the real-time vintage, one
published by t's year end): the forecasting scale (chosen by cross-validation inside the
training data, dgm.engine.ensemble), the pooled growth prior (other indicators' growth up to t), the
fits, and the calibration (the errors whose outcome year is at most t). Vintages:
- real-time (the headline): trained on the figures published by the origin's year end
  (`series(as_of=origin)`); these usually end a year before the origin (a year's figure appears
  the next year), so a forecast h years after the origin is h + 1 steps after its last figure;
  the calibration scores the past forecasts against the figures published by t;
- final (pseudo-real-time): trained on today's figures for the years up to the origin.
Outcomes are today's figures in both.
Methods: every model, "ensemble_uncalibrated" (the equal-weight mixture) and "ensemble" (the same
mixture calibrated sequentially: dgm.engine.ensemble.ErrorPool on the errors known at the origin).
Scores per indicator and method, and pooled (indicator "ALL"):
- mase: absolute error / the in-sample mean absolute yearly change at the origin (natural units);
- smape: mean 200 |e| / (|y| + |yhat|) in %; null for growth-rate series (meaningless near 0);
- crps: continuous ranked probability score from 99 quantiles (2 x mean pinball loss), divided
  by the same scale as mase (1 = the naive forecast's absolute error);
- coverage80 / coverage95, and coverage80_by_h: share of outcomes inside the central intervals.
Point forecasts are medians.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from dgm.constants import SEED
from dgm.data.loaders import load_indicators, series
from dgm.data.results_store import stored
from dgm.engine import ensemble
from dgm.engine.ensemble import MIN_FORECAST_POINTS, kind_for_indicator, rng_for
from dgm.engine.goals import split_series
from dgm.engine.models import (
    ENSEMBLE,
    ensemble_members,
    mixture_quantiles,
    observed,
)
from dgm.engine.transforms import Scale

HORIZON = 6
PROBS = (0.025, 0.1, 0.5, 0.9, 0.975)
GRID = tuple((np.arange(99) + 0.5) / 99)  # quantile levels whose pinball losses give the CRPS
LEVELS = np.array(PROBS + GRID)
COLUMNS = [
    "indicator",
    "method",
    "mase",
    "smape",
    "coverage80",
    "coverage95",
    "n_forecasts",
    "crps",
    "coverage80_by_h",
]
POOLED = "ALL"
LONG_MIN_FORECASTS = 20  # "long series" in the headline: at least this many scored forecasts
BOOTSTRAP = 1000
VINTAGES = ("real-time", "final")  # the headline first: real-time is how forecasts are used
RECORD_COLUMNS = [
    "indicator",
    "method",
    "origin",
    "h",
    "target_year",
    "step",
    "actual",
    "forecast",
    "ase",
    "sape",
    "crps",
    "in80",
    "in95",
    "lo80",
    "hi80",
    "lo95",
    "hi95",
    "scale_abs",
    "has_ensemble",
    "quantiles",  # the forecast's quantiles at LEVELS (natural units)
]
# `dgm backtest --records`: one row per forecast (the contract's fields, in this order)
FORECAST_FIELDS = [
    "indicator",
    "method",
    "origin",
    "horizon",
    "target_year",
    "point",
    "q025",
    "q10",
    "q50",
    "q90",
    "q975",
    "outcome",
    "vintage",
]


def _naive_scale(train: pd.Series) -> float:
    """In-sample mean absolute one-step change per year (natural units); NaN if undefined."""
    yrs = train.index.to_numpy(dtype=float)
    v = train.to_numpy(dtype=float)
    if len(v) < 2:
        return math.nan
    g = np.diff(yrs)
    return float(np.mean(np.abs(np.diff(v)) / g))


def crps_from_quantiles(q: np.ndarray, y) -> np.ndarray:
    """CRPS ~ 2 x mean pinball loss over the GRID levels; q (len(GRID), ...) natural units."""
    tau = np.asarray(GRID).reshape((-1,) + (1,) * (np.ndim(q) - 1))
    d = np.asarray(y) - q
    return 2 * np.mean(np.maximum(tau * d, (tau - 1) * d), axis=0)


def forecast_record(
    indicator, method, origin, year, step, actual, q, scale_abs, kind, has_ens
) -> dict:
    """One scored forecast of `year` made at `origin` from its quantiles at LEVELS (the column of
    `step`: years from the training data's last figure to `year`)."""
    lo95, lo80, med, hi80, hi95 = q[: len(PROBS)]
    denom = abs(actual) + abs(med)
    return {
        "indicator": indicator,
        "method": method,
        "origin": origin,
        "h": year - origin,
        "target_year": year,
        "step": step,
        "actual": float(actual),
        "forecast": float(med),
        "ase": abs(actual - med) / scale_abs,
        "sape": math.nan
        if kind == "growth_rate"
        else (200 * abs(actual - med) / denom if denom > 0 else 0.0),
        "crps": float(crps_from_quantiles(q[len(PROBS) :], actual)) / scale_abs,
        "in80": bool(lo80 <= actual <= hi80),
        "in95": bool(lo95 <= actual <= hi95),
        "lo80": float(lo80),
        "hi80": float(hi80),
        "lo95": float(lo95),
        "hi95": float(hi95),
        "scale_abs": scale_abs,
        "has_ensemble": has_ens,
        "quantiles": q,
    }


def _origins(y: pd.Series, train):
    """(origin, training series, outcomes, MASE scale) for every usable origin of one series."""
    years = y.index.to_numpy()
    for k in range(MIN_FORECAST_POINTS, len(years)):
        origin = int(years[k - 1])
        future = y[(y.index > origin) & (y.index <= origin + HORIZON)]
        tr = observed(train(origin))
        tr = tr[tr.index <= origin]
        if future.empty or len(tr) < MIN_FORECAST_POINTS:
            continue
        scale_abs = _naive_scale(tr)
        if math.isfinite(scale_abs) and scale_abs > 0:
            yield origin, tr, future, scale_abs


def forecast_records(
    history: pd.Series,
    kind: str,
    indicator: str,
    histories: dict | None = None,
    train=None,
    names=None,
    bounds=None,
) -> list[dict]:
    """Every (origin, horizon, method) forecast of one series with its outcome (uncalibrated).

    `histories` ({indicator: (series, kind)}, or a function origin -> such a dict) feeds the
    growth prior; `train(origin)` gives the training series (default: `history` itself);
    `bounds` (a bounds frame, or a function origin -> one) the published bounds, of which those
    up to the origin enter the fits (dgm.engine.ensemble.censored_fill).
    The ensemble's records carry its standardised error `e` and (z50, s, scale) for calibration.
    """
    y = observed(history)
    train = train or (lambda origin: y)
    recs = []
    for origin, tr, future, scale_abs in _origins(y, train):
        hs = histories(origin) if callable(histories) else histories
        prior = ensemble.growth_prior(hs, origin, exclude=indicator) if hs else None
        b = bounds(origin) if callable(bounds) else bounds
        b = None if b is None else b[[int(t) <= origin for t in b.index]]
        rng = rng_for(SEED, f"{indicator}:{origin}")
        last = int(tr.index.max())  # real-time: often a year before the origin (publication lag)
        scale, fits, _, _ = ensemble.fit_members(
            tr, kind, HORIZON + origin - last, prior, names, indicator, b, rng
        )
        members = ensemble_members(fits)
        qs = {name: f.quantiles(LEVELS) for name, f in fits.items()}
        if members:
            qs["ensemble_uncalibrated"] = mixture_quantiles([fits[m] for m in members], LEVELS)
        for year, actual in future.items():
            step = int(year) - last
            for name, q in qs.items():
                col = q[:, step - 1]
                rec = forecast_record(
                    indicator,
                    name,
                    origin,
                    int(year),
                    step,
                    actual,
                    col,
                    scale_abs,
                    kind,
                    bool(members),
                )
                if name == "ensemble_uncalibrated":
                    z50, s, e = ensemble.standardise(scale, col[1], col[2], col[3], actual)
                    rec.update(z50=float(z50), s=float(s), e=float(e), scale=scale.name)
                    rec["kind"] = kind
                recs.append(rec)
    return recs


def published(as_of=None, data_to: int | None = None) -> tuple[dict, dict]:
    """({indicator: (published point figures, goal kind)}, {indicator: published bounds}).

    The catalogue's series (derived figures left out) published by `as_of`, for years up to
    `data_to`; bounds are frames (value, kind by year), for the indicators that have any.
    """
    from dgm.data.loaders import series_frames

    cat = load_indicators()
    frames = series_frames(cat["id"].tolist(), as_of, data_to)
    units = dict(zip(cat["id"], cat["unit"], strict=True))
    histories, bounds = {}, {}
    for ind, frame in frames.items():
        pts, b = split_series(frame[~frame["derived"].astype(bool)])
        if len(pts):
            histories[ind] = (pts, kind_for_indicator(ind, units[ind]))
            if len(b):
                bounds[ind] = b
    return histories, bounds


def _inputs(histories: dict, rt: dict | None, bounds: dict | None):
    """Per backtested series: (indicator, series, kind, prior histories, train, bounds), where
    the last three are fixed (final vintage) or functions of the origin (real-time: `rt`)."""
    for ind, (y, kind) in histories.items():
        if len(observed(y)) <= MIN_FORECAST_POINTS:
            continue
        if rt is None:
            yield ind, y, kind, histories, None, (bounds or {}).get(ind)
            continue

        def hs(o):
            return rt.get(o, ({}, {}))[0]

        def train(o, ind=ind):
            return rt.get(o, ({}, {}))[0].get(ind, (pd.Series(dtype=float), None))[0]

        def b(o, ind=ind):
            return rt.get(o, ({}, {}))[1].get(ind)

        yield ind, y, kind, hs, train, b


def panel_records(
    histories: dict, rt: dict | None = None, names=None, bounds: dict | None = None
) -> pd.DataFrame:
    """Uncalibrated records for every series of a panel {indicator: (series, kind)}.

    `bounds` ({indicator: bounds frame}) are the published bounds; `rt` ({origin: (panel,
    bounds)}, from `published(origin)`) trains on each origin's vintage instead (real-time).
    """
    recs = []
    for ind, y, kind, hs, train, b in _inputs(histories, rt, bounds):
        recs.extend(forecast_records(y, kind, ind, hs, train, names, b))
    extra = ["z50", "s", "e", "scale", "kind"]
    return pd.DataFrame(recs, columns=RECORD_COLUMNS + extra)


def ensemble_records(histories: dict, bounds: dict | None = None) -> pd.DataFrame:
    """The uncalibrated ensemble's records only (members fitted, nothing else): the error pool."""
    recs = panel_records(histories, names=ENSEMBLE, bounds=bounds)
    return recs[recs["method"] == "ensemble_uncalibrated"]


def known_errors(raw: pd.DataFrame, t: int, known=None) -> pd.DataFrame:
    """The ensemble's standardised errors known at the end of year t (columns h = step, e).

    Those of forecasts whose target year is at most t, scored against today's figures (`known`
    None: the final vintage) or against the figures published by t (`known(t)`: {indicator:
    Series}; real-time), so an outcome not yet published is not yet an error.
    """
    past = raw[raw["target_year"] <= t]
    e = past["e"].to_numpy(dtype=float)
    if known is not None:
        seen = known(t)
        actual = np.array(
            [
                seen[i].get(y, np.nan) if i in seen else np.nan
                for i, y in zip(past["indicator"], past["target_year"], strict=True)
            ],
            dtype=float,
        )
        e = np.array(
            [
                (Scale(sc).forward_clipped(a) - z) / sd if math.isfinite(a) else np.nan
                for sc, a, z, sd in zip(past["scale"], actual, past["z50"], past["s"], strict=True)
            ],
            dtype=float,
        )
    return pd.DataFrame({"h": past["step"].to_numpy(dtype=int), "e": e})


def calibrate_records(recs: pd.DataFrame, known=None) -> pd.DataFrame:
    """Add the calibrated "ensemble" records, sequentially: a forecast made at origin t is
    reshaped with the errors known at t (known_errors), of every indicator, its own included."""
    raw = recs[recs["method"] == "ensemble_uncalibrated"]
    if raw.empty:
        return recs
    out = []
    for t, now in raw.groupby("origin", sort=True):
        pool = ensemble.ErrorPool(known_errors(raw, int(t), known))
        for (step, sc), g in now.groupby(["step", "scale"], sort=False):
            q = ensemble.calibrated_quantiles(
                pool, Scale(sc), g["z50"].to_numpy(), g["s"].to_numpy(), LEVELS, int(step)
            )
            for j, r in enumerate(g.itertuples(index=False)):
                out.append(
                    forecast_record(
                        r.indicator,
                        "ensemble",
                        r.origin,
                        r.target_year,
                        r.step,
                        r.actual,
                        q[:, j],
                        r.scale_abs,
                        r.kind,
                        True,
                    )
                )
    cal = pd.DataFrame(out, columns=RECORD_COLUMNS)
    return pd.concat([recs, cal], ignore_index=True)


def vintage_inputs(as_of: int | None = None, vintage: str = "real-time"):
    """(today's histories, today's bounds, rt, known) of a vintage: rt ({origin: published(origin)})
    and known (origin -> {indicator: figures published by then}) are None in the final vintage."""
    if vintage not in VINTAGES:
        raise ValueError(f"vintage must be one of {VINTAGES}, got {vintage!r}")
    histories, bounds = published(as_of)
    if vintage == "final":
        return histories, bounds, None, None
    years = sorted({int(i) for y, _ in histories.values() for i in observed(y).index})
    last = as_of if as_of is not None else max(years, default=0)
    rt = {o: published(o) for o in years if o <= last}

    def known(t):
        return {ind: observed(y) for ind, (y, _) in rt.get(t, ({}, {}))[0].items()}

    return histories, bounds, rt, known


@stored  # with backtest_all (which computes it) in the report's store: notebook 08 reads both
def backtest_records(as_of: int | None = None, vintage: str = VINTAGES[0]) -> pd.DataFrame:
    """All forecast records (calibrated ensemble included) on the shipped data."""
    histories, bounds, rt, known = vintage_inputs(as_of, vintage)
    recs = calibrate_records(panel_records(histories, rt, bounds=bounds), known)
    return recs.assign(vintage=vintage)


def windows(as_of: int | None = None, vintage: str = "real-time"):
    """Every forecast problem of the backtest, as the models see it: dicts of indicator, kind,
    origin, train (the training figures), outcomes (today's figures of the target years) and
    mase_scale (benchmarks/peers.py fits other forecasters on exactly these)."""
    histories, bounds, rt, _ = vintage_inputs(as_of, vintage)
    for ind, y, kind, _, train, _ in _inputs(histories, rt, bounds):
        for origin, tr, future, scale_abs in _origins(observed(y), train or (lambda o, y=y: y)):
            yield {
                "indicator": ind,
                "kind": kind,
                "origin": origin,
                "train": tr,
                "outcomes": future,
                "mase_scale": scale_abs,
            }


def summarise(recs: pd.DataFrame) -> pd.DataFrame:
    """Per indicator and method, plus pooled (indicator "ALL") rows, in COLUMNS order."""
    if recs.empty:
        return pd.DataFrame(columns=COLUMNS)

    def agg(g):
        by_h = g.groupby("h")["in80"].mean()
        return pd.Series(
            {
                "mase": g["ase"].mean(),
                "smape": g["sape"].mean(),
                "coverage80": g["in80"].mean(),
                "coverage95": g["in95"].mean(),
                "n_forecasts": len(g),
                "crps": g["crps"].mean(),
                "coverage80_by_h": {str(int(h)): float(v) for h, v in by_h.items()},
            }
        )

    per = recs.groupby(["indicator", "method"], sort=True).apply(agg, include_groups=False)
    pooled = recs.groupby("method", sort=True).apply(agg, include_groups=False)
    pooled.index = pd.MultiIndex.from_product([[POOLED], pooled.index], names=per.index.names)
    out = pd.concat([per, pooled]).reset_index()
    out["n_forecasts"] = out["n_forecasts"].astype(int)
    return out[COLUMNS]


def _common(recs: pd.DataFrame, a: str, b: str):
    """Records of methods a and b on their common (indicator, origin, h), aligned."""
    keys = ["indicator", "origin", "h"]
    ra = recs[recs["method"] == a].set_index(keys)
    rb = recs[recs["method"] == b].set_index(keys)
    common = ra.index.intersection(rb.index)
    return ra.loc[common], rb.loc[common]


def headline(recs: pd.DataFrame, seed: int = 0) -> dict:
    """Ensemble vs naive_drift on the same forecasts, per indicator and pooled, with coverage.

    Ratios are sums of absolute scaled errors (ensemble / drift). The 90 % ranges come from a
    cluster bootstrap over indicators (BOOTSTRAP resamples): forecasts of one indicator from
    overlapping origins share errors, so the indicator is the unit of resampling.
    """
    empty = {"mase_ratio": None, "coverage80": None, "coverage95": None, "n_forecasts": 0}
    if recs.empty or "ensemble" not in set(recs["method"]):
        return empty
    e, n = _common(recs, "ensemble", "naive_drift")
    if not len(e):
        return empty
    inds = e.index.get_level_values("indicator")
    per = pd.DataFrame({"ens": e["ase"].to_numpy(), "drift": n["ase"].to_numpy(), "ind": inds})
    sums = per.groupby("ind")[["ens", "drift"]].sum()
    cnt = per.groupby("ind").size()
    cov = (
        pd.DataFrame({"ind": inds, "in80": e["in80"].to_numpy(), "in95": e["in95"].to_numpy()})
        .groupby("ind")[["in80", "in95"]]
        .sum()
    )
    rng = np.random.default_rng(seed)
    ids = sums.index.to_numpy()
    # per indicator (rows, in ids' order): summed errors of ensemble and drift, hits, forecasts
    table = np.column_stack([sums["ens"], sums["drift"], cov["in80"], cov["in95"], cnt])
    boot = []
    for _ in range(BOOTSTRAP):
        ens, drift, in80, in95, k = table[rng.integers(0, len(ids), size=len(ids))].sum(axis=0)
        boot.append((ens / drift, in80 / k, in95 / k))
    lo, hi = np.nanpercentile(np.array(boot), [5, 95], axis=0)
    long_ids = [i for i in ids if cnt[i] >= LONG_MIN_FORECASTS]
    long = sums.loc[long_ids].sum() if long_ids else None
    long_hits = cov.loc[long_ids].sum() / cnt[long_ids].sum() if long_ids else None
    return {
        "mase_ratio": float(sums["ens"].sum() / sums["drift"].sum()),
        "mase_ratio_90": [float(lo[0]), float(hi[0])],
        "ensemble_mase": float(e["ase"].mean()),
        "naive_drift_mase": float(n["ase"].mean()),
        "coverage80": float(e["in80"].mean()),
        "coverage80_90": [float(lo[1]), float(hi[1])],
        "coverage95": float(e["in95"].mean()),
        "coverage95_90": [float(lo[2]), float(hi[2])],
        "n_forecasts": int(len(e)),
        "n_indicators": len(ids),
        "long_series": long_ids,
        "long_mase_ratio": float(long["ens"] / long["drift"]) if long is not None else None,
        "long_coverage80": float(long_hits["in80"]) if long_hits is not None else None,
        "long_coverage95": float(long_hits["in95"]) if long_hits is not None else None,
        "ratio_by_indicator": {i: float(r["ens"] / r["drift"]) for i, r in sums.iterrows()},
    }


@stored  # computed once per report (dgm.data.results_store)
def backtest_all(as_of: int | None = None, vintage: str = VINTAGES[0]) -> pd.DataFrame:
    """Columns COLUMNS, one row per indicator and method, pooled rows under indicator "ALL"."""
    return summarise(backtest_records(as_of, vintage))


def forecast_rows(recs: pd.DataFrame) -> pd.DataFrame:
    """Records -> one row per forecast, FORECAST_FIELDS (point: the median, as scored)."""
    return pd.DataFrame(
        {
            "indicator": recs["indicator"],
            "method": recs["method"],
            "origin": recs["origin"].astype(int),
            "horizon": recs["h"].astype(int),
            "target_year": recs["target_year"].astype(int),
            "point": recs["forecast"],
            "q025": recs["lo95"],
            "q10": recs["lo80"],
            "q50": recs["forecast"],
            "q90": recs["hi80"],
            "q975": recs["hi95"],
            "outcome": recs["actual"],
            "vintage": recs["vintage"],
        }
    )[FORECAST_FIELDS].reset_index(drop=True)


def outcome_figures(recs: pd.DataFrame, as_of=None) -> pd.DataFrame:
    """The figures the forecasts of `recs` were scored against: indicator, year, value, source_id
    (dgm.series rows, published by `as_of` as in backtest_records; derived figures left out)."""
    rows = []
    for ind, years in recs.groupby("indicator")["target_year"]:
        frame = series(ind, as_of)
        scored = frame[frame.index.isin(set(years)) & ~frame["derived"].astype(bool)]
        rows.append(scored[["value", "source_id"]].reset_index().assign(indicator=ind))
    columns = ["indicator", "year", "value", "source_id"]
    return pd.concat(rows, ignore_index=True)[columns] if rows else pd.DataFrame(columns=columns)


def mase_scales(recs: pd.DataFrame) -> pd.DataFrame:
    """The denominator of every scaled error: (indicator, origin, vintage, mase_scale), the
    in-sample mean absolute yearly change of the training data at the origin (natural units)."""
    keys = ["indicator", "origin", "vintage"]
    out = recs.drop_duplicates(keys)[[*keys, "scale_abs"]].rename(
        columns={"scale_abs": "mase_scale"}
    )
    return out.sort_values(keys).reset_index(drop=True)
