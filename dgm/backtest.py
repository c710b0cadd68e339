"""Rolling-origin backtests: observed series -> accuracy and coverage per model (`dgm backtest`).

For every indicator with enough points and every origin year with at least MIN_FORECAST_POINTS
observations up to it, each model is fitted on the data published up to the origin (as the
series stands, not as it stood then: vintages are applied only through --as-of) and forecasts the
observed years 1..HORIZON ahead. Scores per indicator and method, and pooled over indicators:
- MASE: absolute error divided by the in-sample mean absolute one-step change at the origin
  (the naive no-drift error; steps over gaps count per year), averaged over all forecasts;
- sMAPE: mean of 200 |e| / (|y| + |yhat|), percent;
- coverage80 / coverage95: share of outcomes inside the central 80 % / 95 % intervals.
Point forecasts are medians (the natural scale image of the modelling-scale mean), which suits
absolute-error scores; the ensemble is the median and quantiles of the equal-weight mixture.
"""

from __future__ import annotations

import json
import math
import time

import numpy as np
import pandas as pd

from dgm.models import BENCHMARKS, ensemble_members, fit_all, mixture_quantiles, observed
from dgm.simulate import MIN_FORECAST_POINTS, kind_for_indicator, split_series
from dgm.transforms import scale_for

HORIZON = 6
PROBS = (0.025, 0.1, 0.5, 0.9, 0.975)
COLUMNS = ["indicator", "method", "mase", "smape", "coverage80", "coverage95", "n_forecasts"]
POOLED = "ALL"


def _naive_scale(train: pd.Series) -> float:
    """In-sample mean absolute one-step change per year (natural units); NaN if undefined."""
    yrs = train.index.to_numpy(dtype=float)
    v = train.to_numpy(dtype=float)
    if len(v) < 2:
        return math.nan
    g = np.diff(yrs)
    return float(np.mean(np.abs(np.diff(v)) / g))


def forecast_records(history: pd.Series, kind: str, indicator: str) -> list[dict]:
    """Every (origin, horizon, method) forecast of one series with its outcome and interval hits."""
    y = observed(history)
    scale = scale_for(kind, y.to_numpy())
    z = scale.forward(y)
    recs = []
    years = y.index.to_numpy()
    for k in range(MIN_FORECAST_POINTS, len(years)):
        origin = int(years[k - 1])
        future = y[(y.index > origin) & (y.index <= origin + HORIZON)]
        if future.empty:
            continue
        train_z = z[z.index <= origin]
        scale_abs = _naive_scale(y[y.index <= origin])
        if not math.isfinite(scale_abs) or scale_abs <= 0:
            continue
        fits, _ = fit_all(train_z, HORIZON, scale, indicator=indicator)
        members = ensemble_members(fits)
        qs = {name: f.quantiles(PROBS) for name, f in fits.items()}
        if members:
            qs["ensemble"] = mixture_quantiles([fits[m] for m in members], PROBS)
        for year, actual in future.items():
            h = int(year) - origin
            for name, q in qs.items():
                lo95, lo80, med, hi80, hi95 = q[:, h - 1]
                err = actual - med
                denom = abs(actual) + abs(med)
                recs.append(
                    {
                        "indicator": indicator,
                        "method": name,
                        "origin": origin,
                        "h": h,
                        "actual": float(actual),
                        "forecast": float(med),
                        "ase": abs(err) / scale_abs,
                        "sape": 200 * abs(err) / denom if denom > 0 else 0.0,
                        "in80": bool(lo80 <= actual <= hi80),
                        "in95": bool(lo95 <= actual <= hi95),
                        "has_ensemble": bool(members),
                    }
                )
    return recs


def summarise(recs: pd.DataFrame) -> pd.DataFrame:
    """Per indicator and method, plus pooled (indicator "ALL") rows, in COLUMNS order."""
    if recs.empty:
        return pd.DataFrame(columns=COLUMNS)

    def agg(g):
        return pd.Series(
            {
                "mase": g["ase"].mean(),
                "smape": g["sape"].mean(),
                "coverage80": g["in80"].mean(),
                "coverage95": g["in95"].mean(),
                "n_forecasts": len(g),
            }
        )

    per = recs.groupby(["indicator", "method"], sort=True).apply(agg, include_groups=False)
    pooled = recs.groupby("method", sort=True).apply(agg, include_groups=False)
    pooled.index = pd.MultiIndex.from_product([[POOLED], pooled.index], names=per.index.names)
    out = pd.concat([per, pooled]).reset_index()
    out["n_forecasts"] = out["n_forecasts"].astype(int)
    return out[COLUMNS]


def headline(recs: pd.DataFrame) -> dict:
    """Ensemble vs naive_drift on the same forecasts: MASE ratio and the ensemble's coverage."""
    if recs.empty or "ensemble" not in set(recs["method"]):
        return {"mase_ratio": None, "coverage80": None, "coverage95": None, "n_forecasts": 0}
    keys = ["indicator", "origin", "h"]
    ens = recs[recs["method"] == "ensemble"].set_index(keys)
    nai = recs[recs["method"] == "naive_drift"].set_index(keys)
    common = ens.index.intersection(nai.index)
    e, n = ens.loc[common], nai.loc[common]
    return {
        "mase_ratio": float(e["ase"].mean() / n["ase"].mean()) if len(common) else None,
        "ensemble_mase": float(e["ase"].mean()),
        "naive_drift_mase": float(n["ase"].mean()),
        "coverage80": float(e["in80"].mean()),
        "coverage95": float(e["in95"].mean()),
        "n_forecasts": int(len(common)),
    }


def backtest_records(as_of: int | None = None) -> pd.DataFrame:
    """All forecast records for every catalogue indicator with enough published points.

    Derived figures (dgm.panel) are left out: a backtest scores forecasts against what was published.
    """
    import dgm
    from dgm.assess import series_frames

    cat = dgm.load_indicators()
    frames = series_frames(cat["id"].tolist(), as_of)
    units = dict(zip(cat["id"], cat["unit"], strict=True))
    recs = []
    for ind, frame in frames.items():
        pts, _ = split_series(frame[~frame["derived"].astype(bool)])
        if len(pts) <= MIN_FORECAST_POINTS:
            continue
        recs.extend(forecast_records(pts, kind_for_indicator(ind, units[ind]), ind))
    cols = [
        "indicator",
        "method",
        "origin",
        "h",
        "actual",
        "forecast",
        "ase",
        "sape",
        "in80",
        "in95",
        "has_ensemble",
    ]
    return pd.DataFrame(recs, columns=cols)


def backtest_all(as_of: int | None = None) -> pd.DataFrame:
    """Columns indicator, method, mase, smape, coverage80, coverage95, n_forecasts (pooled: ALL)."""
    return summarise(backtest_records(as_of))


def _jsonable_rows(df: pd.DataFrame) -> list[dict]:
    """DataFrame rows -> JSON-ready dicts (NaN -> None)."""
    out = []
    for row in df.to_dict("records"):
        out.append(
            {
                k: (None if isinstance(v, float) and not math.isfinite(v) else v)
                for k, v in row.items()
            }
        )
    return out


def main_backtest(args) -> int:
    """`dgm backtest [--json] [--as-of YEAR]`: per-model accuracy and coverage table."""
    t0 = time.perf_counter()
    recs = backtest_records(getattr(args, "as_of", None))
    table = summarise(recs)
    head = headline(recs)
    if getattr(args, "json", False):
        payload = {"results": _jsonable_rows(table), "headline": head}
        print(json.dumps(payload, ensure_ascii=False, indent=1))
        return 0
    if table.empty:
        print(
            "no indicator has enough points for a rolling-origin backtest "
            f"(needs more than {MIN_FORECAST_POINTS})"
        )
        return 0
    from dgm.termtable import render_frame

    print(render_frame(table, wide=getattr(args, "wide", False)))
    if head["mase_ratio"] is not None:
        print(
            f"\nensemble / naive_drift MASE = {head['mase_ratio']:.3f} on {head['n_forecasts']} "
            f"common forecasts; ensemble coverage: 80 % -> {head['coverage80']:.1%}, "
            f"95 % -> {head['coverage95']:.1%}; benchmarks: {', '.join(BENCHMARKS)}; "
            f"{time.perf_counter() - t0:.1f} s"
        )
    return 0
