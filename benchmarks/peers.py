"""dgm against the field's standard forecasters on its own backtest: `make peers`, or
`python benchmarks/peers.py [--write docs/method.md] [--json]` in an environment with the peers
extra (requirements/peers.lock: the dev lock plus statsforecast).

For each vintage (real-time first), every forecast problem of `dgm backtest` (dgm.engine.backtest.windows:
the same indicators, origins, training figures, target years, outcomes and MASE scale) is handed
to statsforecast's AutoETS, AutoARIMA, AutoTheta (season length 1), RandomWalkWithDrift and Naive,
on the natural scale, as the library is ordinarily used. "peers_mean" is the mean of AutoETS,
AutoARIMA and AutoTheta: the mean of their quantiles at each level (quantile averaging).

Gaps and short histories. statsforecast needs consecutive years: a gap in the training figures is
filled linearly on the natural scale (so RandomWalkWithDrift's drift, (y_T - y_1) / (T - 1) years,
is dgm's naive drift, which spans the gap; checked below). A peer keeps its own forecast wherever
it gives one. One that cannot fit a history is replaced by RandomWalkWithDrift on that forecast
(statsforecast's `fallback_model` mechanism): AutoETS refuses histories of up to six years ("tiny
datasets"). One that gives a point but no interval keeps its point and takes RandomWalkWithDrift's
spread around it: statsforecast 2.0's AutoTheta on four years (its variance divides by n - 4;
2.1, which needs pandas < 3, gives intervals there, with the same points). Both are counted.

Quantiles at dgm's levels (dgm.engine.backtest.LEVELS: 2.5, 10, 50, 90, 97.5 % and the 99 levels of
the CRPS) come from the peers' own prediction intervals at the matching levels (their median is
the point forecast). Scores are dgm's: ratio = sum of absolute scaled errors / naive drift's on
the same forecasts, coverage of the 80 % and 95 % intervals, CRPS in MASE units; "long series"
as in `dgm backtest` (at least 20 scored forecasts). The table is printed (`--json`: as JSON) and,
with `--write FILE`, replaces the block between PEERS_BEGIN and PEERS_END in FILE.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

PEERS = ("AutoETS", "AutoARIMA", "AutoTheta", "RandomWalkWithDrift", "Naive")
MEAN_OF = ("AutoETS", "AutoARIMA", "AutoTheta")
MEAN = "peers_mean"
FALLBACK = "RandomWalkWithDrift"
DGM = ("ensemble", "naive_drift")
PEERS_BEGIN = "<!-- peers: written by benchmarks/peers.py; do not edit by hand -->"
PEERS_END = "<!-- /peers -->"


def _model(name: str):
    """A statsforecast model by name (yearly data: season length 1)."""
    from statsforecast import models

    cls = getattr(models, name)
    return cls(season_length=1) if name in MEAN_OF else cls()


def consecutive(train: pd.Series) -> np.ndarray:
    """Training figures on consecutive years, gaps filled linearly (natural scale)."""
    years = range(int(train.index.min()), int(train.index.max()) + 1)
    return train.reindex(years).interpolate(method="index").to_numpy(dtype=float)


def _interval_levels(levels: np.ndarray) -> list[float]:
    """statsforecast interval levels (in %) whose ends are the quantiles at `levels`."""
    return sorted({round(100 * abs(2 * p - 1), 10) for p in levels if p != 0.5})


def _quantiles(name: str, y: np.ndarray, h: int, levels: np.ndarray) -> np.ndarray | None:
    """(len(levels), h) quantiles of peer `name` fitted on y (NaN where it gives none), or None
    when it cannot fit y."""
    wanted = _interval_levels(levels)
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            out = _model(name).forecast(y=y, h=h, level=wanted)
    except Exception:  # statsforecast raises bare errors for histories it cannot fit
        return None
    rows = []
    for p in levels:
        if p == 0.5:
            rows.append(out["mean"])
            continue
        lv = round(100 * abs(2 * p - 1), 10)
        rows.append(out[f"{'lo' if p < 0.5 else 'hi'}-{lv}"])
    return np.asarray(rows, dtype=float)


def peer_forecast(name: str, y: np.ndarray, h: int, levels: np.ndarray):
    """(quantiles, what was borrowed from FALLBACK: "", "intervals" or "all").

    The peer's own forecast wherever it gives one: a peer that cannot fit y is replaced by
    FALLBACK; one that gives a point but no interval keeps its point and takes FALLBACK's
    quantiles' distances from FALLBACK's point around it.
    """
    q = _quantiles(name, y, h, levels)
    if q is not None and np.all(np.isfinite(q)):
        return q, ""
    spare = _quantiles(FALLBACK, y, h, levels)
    mid = int(np.flatnonzero(levels == 0.5)[0])
    if q is None or not np.all(np.isfinite(q[mid])):
        return spare, "all"
    return q[mid] + (spare - spare[mid]), "intervals"


def peer_records(vintage: str) -> tuple[pd.DataFrame, dict]:
    """Scored records of every peer and their mean on the backtest's forecasts, and the number
    of forecasts on which each peer borrowed from FALLBACK ({peer: {"all": n, "intervals": n}})."""
    from dgm.engine import backtest

    recs = []
    borrowed = {name: {"all": 0, "intervals": 0} for name in PEERS}
    for w in backtest.windows(vintage=vintage):
        y = consecutive(w["train"])
        last = int(w["train"].index.max())
        h = int(w["outcomes"].index.max()) - last
        fitted = {}
        for name in PEERS:
            fitted[name], what = peer_forecast(name, y, h, backtest.LEVELS)
            if what:
                borrowed[name][what] += len(w["outcomes"])
        fitted[MEAN] = np.mean([fitted[n] for n in MEAN_OF], axis=0)
        for year, actual in w["outcomes"].items():
            step = int(year) - last
            for name, q in fitted.items():
                recs.append(
                    backtest.forecast_record(
                        w["indicator"],
                        name,
                        w["origin"],
                        int(year),
                        step,
                        actual,
                        q[:, step - 1],
                        w["mase_scale"],
                        w["kind"],
                        True,
                    )
                )
    return pd.DataFrame(recs), borrowed


def compare(recs: pd.DataFrame, seed: int = 0) -> dict:
    """Per method: pooled and long-series ratio to naive drift, coverage, CRPS; dgm / best peer."""
    from dgm.engine import backtest

    keys = ["indicator", "origin", "target_year"]
    drift = recs[recs["method"] == "naive_drift"].set_index(keys)
    counts = drift.groupby(level="indicator").size()
    long = sorted(counts[counts >= backtest.LONG_MIN_FORECASTS].index)
    rows = {}
    for method in (*DGM, *PEERS, MEAN):
        m = recs[recs["method"] == method].set_index(keys).loc[drift.index]
        is_long = m.index.get_level_values("indicator").isin(long)
        rows[method] = {
            "ratio": float(m["ase"].sum() / drift["ase"].sum()),
            "long_ratio": float(m.loc[is_long, "ase"].sum() / drift.loc[is_long, "ase"].sum()),
            "coverage80": float(m["in80"].mean()),
            "coverage95": float(m["in95"].mean()),
            "long_coverage80": float(m.loc[is_long, "in80"].mean()),
            "long_coverage95": float(m.loc[is_long, "in95"].mean()),
            "crps": float(m["crps"].mean()),
        }
    best = min((*PEERS, MEAN), key=lambda k: rows[k]["ratio"])
    # dgm / best peer, 90 % range from the cluster bootstrap over indicators of dgm.engine.backtest
    ens = recs[recs["method"] == "ensemble"].set_index(keys).loc[drift.index]
    peer = recs[recs["method"] == best].set_index(keys).loc[drift.index]
    sums = pd.DataFrame({"e": ens["ase"], "p": peer["ase"]}).groupby(level="indicator").sum()
    rng = np.random.default_rng(seed)
    table = sums.to_numpy()
    boot = []
    for _ in range(backtest.BOOTSTRAP):
        e, p = table[rng.integers(0, len(table), size=len(table))].sum(axis=0)
        boot.append(e / p)
    lo, hi = np.percentile(boot, [5, 95])
    return {
        "n_forecasts": len(drift),
        "n_indicators": int(len(counts)),
        "long_series": long,
        "methods": rows,
        "best_peer": best,
        "dgm_over_best_peer": float(sums["e"].sum() / sums["p"].sum()),
        "dgm_over_best_peer_90": [float(lo), float(hi)],
    }


def run() -> dict:
    """Both vintages, real-time first: {vintage: comparison, what peers borrowed, drift check}."""
    import statsforecast

    from dgm.engine import backtest

    out = {"statsforecast": statsforecast.__version__, "vintages": {}}
    for vintage in backtest.VINTAGES:
        ours = backtest.backtest_records(vintage=vintage)
        ours = ours[ours["method"].isin(DGM)].drop(columns=["quantiles"])
        theirs, borrowed = peer_records(vintage)
        recs = pd.concat([ours, theirs.drop(columns=["quantiles"])], ignore_index=True)
        keys = ["indicator", "origin", "target_year"]
        d = ours[ours["method"] == "naive_drift"].set_index(keys)["forecast"]
        r = theirs[theirs["method"] == "RandomWalkWithDrift"].set_index(keys)["forecast"]
        gap = float(((r.loc[d.index] - d).abs() / d.abs()).max())
        out["vintages"][vintage] = compare(recs) | {
            "borrowed": borrowed,
            "rwd_vs_dgm_drift_max_rel_diff": gap,
        }
    return out


def markdown(result: dict) -> str:
    """The comparison as the block written into docs/method.md."""
    lines = [
        PEERS_BEGIN,
        "",
        f"`make peers` (statsforecast {result['statsforecast']}; one run of "
        "`benchmarks/peers.py`, both vintages):",
        "",
    ]
    for vintage, v in result["vintages"].items():
        fb = "; ".join(
            f"{k} {n['all']} replaced, {n['intervals']} with borrowed intervals"
            for k, n in v["borrowed"].items()
            if n["all"] or n["intervals"]
        )
        lines += [
            f"**{vintage}** ({v['n_forecasts']} forecasts of {v['n_indicators']} indicators; "
            f"long series: {', '.join(v['long_series'])})",
            "",
            "| method | ratio to drift | long series | cov. 80 / 95 % | long cov. 80 / 95 % | CRPS |",
            "| --- | --- | --- | --- | --- | --- |",
        ]
        for name, m in v["methods"].items():
            label = f"dgm {name}" if name in DGM else name
            lines.append(
                f"| {label} | {m['ratio']:.3f} | {m['long_ratio']:.3f} | "
                f"{m['coverage80']:.1%} / {m['coverage95']:.1%} | "
                f"{m['long_coverage80']:.1%} / {m['long_coverage95']:.1%} | {m['crps']:.3f} |"
            )
        lo, hi = v["dgm_over_best_peer_90"]
        lines += [
            "",
            f"dgm ensemble ÷ the best peer ({v['best_peer']}): {v['dgm_over_best_peer']:.3f} "
            f"(90 % range {lo:.2f}–{hi:.2f}, bootstrap over indicators). Forecasts a peer "
            f"could not make whole (RandomWalkWithDrift's used): {fb or 'none'}. "
            "RandomWalkWithDrift's points differ "
            f"from dgm's naive drift by at most {v['rwd_vs_dgm_drift_max_rel_diff']:.1e} "
            "(relative).",
            "",
        ]
    return "\n".join([*lines, PEERS_END])


def write_block(path: Path, block: str) -> None:
    """Replace the PEERS_BEGIN ... PEERS_END block of `path` with `block`."""
    text = path.read_text(encoding="utf-8")
    start, end = text.find(PEERS_BEGIN), text.find(PEERS_END)
    if start < 0 or end < start:
        sys.exit(f"peers: {path} has no {PEERS_BEGIN!r} ... {PEERS_END!r} block to replace")
    path.write_text(text[:start] + block + text[end + len(PEERS_END) :], encoding="utf-8")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the comparison as JSON")
    parser.add_argument("--write", type=Path, help="replace the peers block of this Markdown file")
    args = parser.parse_args(argv)
    try:
        import statsforecast  # noqa: F401
    except ImportError:
        sys.exit(
            "peers: statsforecast is not installed here; run `make peers` (its own .venv-peers)"
        )
    start = time.perf_counter()
    result = run()
    result["seconds"] = round(time.perf_counter() - start, 1)
    block = markdown(result)
    print(json.dumps(result, indent=1) if args.json else block)
    if args.write:
        write_block(args.write, block)
    return (
        0 if all(math.isfinite(v["dgm_over_best_peer"]) for v in result["vintages"].values()) else 1
    )


if __name__ == "__main__":
    raise SystemExit(main())
