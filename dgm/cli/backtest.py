"""`dgm backtest [--json] [--wide] [--records] [--as-of YEAR] [--vintage real-time|final]`: the
rolling-origin backtests of the forecasters (dgm.engine.backtest) as scores, records or JSON."""

from dgm.cli.options import add_json, add_wide, year

HELP = "rolling-origin backtests of the forecasters"


def add_arguments(p) -> None:
    """The flags of `dgm backtest`."""
    add_json(p)
    add_wide(p)
    p.add_argument(
        "--as-of",
        type=year,
        dest="as_of",
        help="use only figures published by YEAR-12-31",
    )
    p.add_argument(
        "--vintage",
        choices=["real-time", "final"],
        default=None,
        help="train on the figures published by each origin (real-time) or on today's "
        "(final, pseudo-real-time); default: both, real-time first",
    )
    p.add_argument(
        "--records",
        action="store_true",
        help="one row per forecast (indicator, method, origin, horizon, target_year, point, "
        "q025, q10, q50, q90, q975, outcome, vintage) instead of the scores",
    )


def run(args) -> int:
    """`dgm backtest [--json] [--records] [--as-of YEAR] [--vintage real-time|final]`.

    Without --vintage both vintages run, real-time first (the headline: it is how forecasts are
    used); the table is the first vintage's. `--records` prints one row per forecast instead.
    """
    import json
    import time

    import pandas as pd

    from dgm.engine.backtest import (
        POOLED,
        VINTAGES,
        backtest_records,
        forecast_rows,
        headline,
        mase_scales,
        summarise,
    )
    from dgm.engine.ensemble import MIN_FORECAST_POINTS
    from dgm.engine.models import BENCHMARKS, MODELS
    from dgm.jsonsafe import plain

    t0 = time.perf_counter()
    chosen = getattr(args, "vintage", None)
    vintages = [chosen] if chosen else list(VINTAGES)
    recs = {v: backtest_records(getattr(args, "as_of", None), v) for v in vintages}
    heads = {v: headline(r) | {"vintage": v} for v, r in recs.items()}
    if getattr(args, "records", False):
        every = pd.concat(list(recs.values()), ignore_index=True)
        rows = forecast_rows(every)
        if getattr(args, "json", False):
            payload = {
                "records": plain(rows.to_dict("records")),
                "mase_scales": plain(mase_scales(every).to_dict("records")),
                "headlines": plain(heads),
            }
            print(json.dumps(payload, ensure_ascii=False, indent=1))
            return 0
        from dgm.present.termtable import render_frame

        print(render_frame(rows, wide=getattr(args, "wide", False)))
        return 0
    table = summarise(recs[vintages[0]])
    if getattr(args, "json", False):
        payload = {
            "results": plain(table.to_dict("records")),
            "headline": plain(heads[vintages[0]]),
            "headlines": plain(heads),
        }
        print(json.dumps(payload, ensure_ascii=False, indent=1))
        return 0
    if table.empty:
        print(
            "no indicator has enough points for a rolling-origin backtest "
            f"(needs more than {MIN_FORECAST_POINTS})"
        )
        return 0
    from dgm.present.termtable import render_frame

    print(render_frame(table.drop(columns="coverage80_by_h"), wide=getattr(args, "wide", False)))
    for v in vintages:
        if heads[v]["mase_ratio"] is None:
            print(f"\n{v} vintage: no forecast of the ensemble and naive drift in common")
            continue
        pooled = summarise(recs[v]).set_index(["indicator", "method"])
        print("\n" + _headline_text(heads[v], pooled.at[(POOLED, "ensemble"), "coverage80_by_h"]))
    print(
        f"\nbenchmarks: {', '.join(BENCHMARKS)}; models: {', '.join(MODELS)}; "
        f"{time.perf_counter() - t0:.1f} s"
    )
    return 0


def _headline_text(head: dict, by_h: dict) -> str:
    """The headline of one vintage as a paragraph."""
    from dgm.engine.backtest import LONG_MIN_FORECASTS

    vintage = head["vintage"]
    how = (
        "pseudo-real-time: trained on today's figures up to each origin"
        if vintage == "final"
        else "real-time: trained on the figures published by each origin"
    )
    long = (
        f"long series ({', '.join(head['long_series'])}): {head['long_mase_ratio']:.3f}, "
        f"coverage {head['long_coverage80']:.1%} / {head['long_coverage95']:.1%}"
        if head["long_series"]
        else f"no long series (none has {LONG_MIN_FORECASTS} scored forecasts)"
    )
    return (
        f"{vintage} vintage ({how}); ensemble / naive_drift (sum of absolute scaled errors) = "
        f"{head['mase_ratio']:.3f} [90 %: {head['mase_ratio_90'][0]:.2f}-"
        f"{head['mase_ratio_90'][1]:.2f}] on {head['n_forecasts']} common forecasts of "
        f"{head['n_indicators']} indicators; {long}\n"
        f"sequentially calibrated ensemble coverage: 80 % -> {head['coverage80']:.1%} "
        f"[{head['coverage80_90'][0]:.0%}-{head['coverage80_90'][1]:.0%}], "
        f"95 % -> {head['coverage95']:.1%} "
        f"[{head['coverage95_90'][0]:.0%}-{head['coverage95_90'][1]:.0%}] "
        "(90 % ranges: bootstrap over indicators); 80 % by horizon: "
        + ", ".join(f"h{h} {v:.0%}" for h, v in by_h.items())
        + "\nensemble / drift by indicator: "
        + ", ".join(f"{k} {v:.2f}" for k, v in head["ratio_by_indicator"].items())
    )
