"""dgm.backtest: scores on series with known behaviour, the summary shape, and the CLI."""

import argparse
import json

import numpy as np
import pandas as pd
import pytest

from dgm import backtest


def _records(series, kind="level"):
    return pd.DataFrame(backtest.forecast_records(series, kind, "x"))


def test_exact_exponential_trend_is_forecast_almost_perfectly_by_log_linear():
    y = pd.Series(100 * 1.08 ** np.arange(12), index=range(2010, 2022))
    y = y * (1 + 1e-6 * np.tile([1, -1], 6))
    recs = _records(y)
    ll = recs[recs["method"] == "log_linear"]
    assert ll["ase"].max() < 1e-3
    # naive drift is linear in levels: it falls behind an exponential
    assert recs[recs["method"] == "naive_drift"]["ase"].mean() > ll["ase"].mean()


def test_horizons_and_origins():
    y = pd.Series(np.linspace(10, 20, 10), index=range(2010, 2020)) + np.tile([0.1, -0.1], 5)
    recs = _records(y)
    assert recs["h"].between(1, backtest.HORIZON).all()
    assert recs["origin"].min() == 2013  # four points up to the first origin
    assert {"naive_drift", "constant_growth", "ensemble"} <= set(recs["method"])


def test_summary_columns_and_ranges():
    rng = np.random.default_rng(0)
    y = pd.Series(
        np.exp(5 + 0.05 * np.arange(12) + rng.normal(0, 0.05, 12)), index=range(2010, 2022)
    )
    table = backtest.summarise(_records(y))
    assert list(table.columns) == backtest.COLUMNS
    assert table["coverage80"].between(0, 1).all() and table["coverage95"].between(0, 1).all()
    assert (table["coverage95"] >= table["coverage80"]).all()
    assert backtest.POOLED in set(table["indicator"])
    head = backtest.headline(_records(y))
    assert head["mase_ratio"] > 0 and head["n_forecasts"] > 0


def test_gaps_count_per_year_in_the_scale():
    assert backtest._naive_scale(pd.Series([10.0, 14.0], index=[2010, 2012])) == pytest.approx(2)


def test_backtest_cli_json_on_the_shipped_data(capsys):
    assert backtest.main_backtest(argparse.Namespace(json=True, as_of=None)) == 0
    payload = json.loads(capsys.readouterr().out)
    assert "results" in payload
    for row in payload["results"]:
        assert set(backtest.COLUMNS) <= set(row)
    if payload["results"]:
        assert {"naive_drift", "ensemble"} <= {r["method"] for r in payload["results"]}


def test_backtest_all_returns_the_contract_columns():
    table = backtest.backtest_all(as_of=2016)  # few figures published by then: quick
    assert list(table.columns) == backtest.COLUMNS


def test_derived_figures_are_neither_fitted_nor_scored(monkeypatch):
    import dgm.assess

    years = range(2010, 2022)
    frame = pd.DataFrame(
        {
            "value": np.linspace(100.0, 210.0, 12) + np.tile([1.0, -1.0], 6),
            "kind": ["exact"] * 12,
            "derived": [False] * 12,
        },
        index=pd.Index(years, name="year"),
    )
    frame.loc[2021, ["kind", "derived"]] = ["derived", True]
    frame.loc[2021, "value"] = 1e6  # a derived outlier would dominate the scores if it were used
    monkeypatch.setattr(dgm.assess, "series_frames", lambda ids, as_of=None: {"gdp": frame})
    recs = backtest.backtest_records()
    assert recs["origin"].max() < 2020 and 2021 not in set(recs["origin"] + recs["h"])
    assert recs["actual"].max() < 300
