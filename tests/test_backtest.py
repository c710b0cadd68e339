"""dgm.engine.backtest: scores on series with known behaviour, calibration without leakage, CRPS, CLI."""

import argparse
import json

import numpy as np
import pandas as pd
import pytest

from dgm.cli import backtest as backtest_command
from dgm.engine import backtest
from dgm.engine.transforms import Scale


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
    assert {"naive_drift", "constant_growth", "ensemble_uncalibrated"} <= set(recs["method"])


def _panel(seed=0, n=14):
    """Three synthetic indicators: two levels and a growth rate, noisy, 2008 onward."""
    rng = np.random.default_rng(seed)
    yrs = range(2008, 2008 + n)
    a = np.exp(5 + 0.08 * np.arange(n) + np.cumsum(rng.normal(0, 0.04, n)))
    b = np.exp(7 + 0.05 * np.arange(n) + np.cumsum(rng.normal(0, 0.03, n)))
    c = 8 + rng.normal(0, 1.5, n)
    return {
        "x": (pd.Series(a, index=yrs), "level"),
        "y": (pd.Series(b, index=yrs), "level"),
        "x_growth": (pd.Series(c, index=yrs), "growth_rate"),
    }


def test_summary_columns_and_ranges():
    recs = backtest.calibrate_records(backtest.panel_records(_panel()))
    table = backtest.summarise(recs)
    assert list(table.columns) == backtest.COLUMNS
    assert table["coverage80"].between(0, 1).all() and table["coverage95"].between(0, 1).all()
    assert (table["coverage95"] >= table["coverage80"]).all()
    assert backtest.POOLED in set(table["indicator"])
    assert (table["crps"] > 0).all()
    by_h = table.set_index(["indicator", "method"]).loc[("x", "ensemble"), "coverage80_by_h"]
    assert set(by_h) == {str(h) for h in range(1, backtest.HORIZON + 1)}
    # sMAPE is meaningless for growth rates: null there, present for levels
    assert table[table["indicator"] == "x_growth"]["smape"].isna().all()
    assert table[table["indicator"] == "x"]["smape"].notna().all()
    head = backtest.headline(recs)
    assert head["mase_ratio"] > 0 and head["n_forecasts"] > 0
    lo, hi = head["coverage80_90"]
    assert lo <= head["coverage80"] <= hi


def test_a_later_figure_moves_no_forecast_made_before_it():
    """Perturb x's 2015 figure (not its last): every forecast made at an origin up to 2014, of
    every indicator and method, keeps its point and every quantile bit for bit; later ones move,
    y's calibrated ones too (x's errors enter y's pool once their outcomes are known)."""
    panel = _panel(seed=1)
    recs0 = backtest.calibrate_records(backtest.panel_records(panel))
    bumped = dict(panel)
    x = panel["x"][0].copy()
    x.loc[2015] *= 1.3
    bumped["x"] = (x, "level")
    recs1 = backtest.calibrate_records(backtest.panel_records(bumped))
    key = ["indicator", "method", "origin", "target_year"]

    def part(recs, before):
        r = recs[(recs["origin"] < 2015) == before].sort_values(key).reset_index(drop=True)
        return r[key], np.stack(r["quantiles"].to_numpy())

    (k0, q0), (k1, q1) = part(recs0, True), part(recs1, True)
    assert len(k0) > 100 and k0.equals(k1) and set(k0["method"]) >= {"ensemble", "theta"}
    np.testing.assert_array_equal(q0, q1)
    (k0, q0), (k1, q1) = part(recs0, False), part(recs1, False)
    assert k0.equals(k1)
    moved = np.any(q0 != q1, axis=1)
    assert moved[(k0["indicator"] == "x").to_numpy()].all()
    y_ens = ((k0["indicator"] == "y") & (k0["method"] == "ensemble")).to_numpy()
    assert moved[y_ens].any() and not moved[(k0["indicator"] == "y").to_numpy() & ~y_ens].any()


def test_calibration_is_sequential_the_first_origin_takes_the_prior_alone():
    from scipy import stats

    recs = backtest.calibrate_records(backtest.panel_records(_panel(seed=3)))
    raw = recs[recs["method"] == "ensemble_uncalibrated"]
    first = int(raw["origin"].min())
    assert (raw.loc[raw["origin"] == first, "target_year"] > first).all()  # nothing known yet
    cal = recs[(recs["method"] == "ensemble") & (recs["origin"] == first)]
    raw = raw.drop(columns=["method", "hi80"])
    both = cal[["indicator", "origin", "target_year", "hi80"]].merge(raw)
    assert len(both) == len(cal) > 0 and both["scale"].nunique() == 3  # log, natural, growth
    z = [
        Scale(sc).forward(np.asarray(v)) for sc, v in zip(both["scale"], both["hi80"], strict=True)
    ]
    t90 = stats.t.ppf(0.9, backtest.ensemble.TAIL_DF)  # the prior's 90 % quantile
    np.testing.assert_allclose(z, both["z50"] + both["s"] * t90, rtol=1e-9)
    # a later origin's pool holds the errors whose outcomes are known by then, no more
    known = backtest.known_errors(raw, first + 2)
    assert len(known) == int((raw["target_year"] <= first + 2).sum()) > 0


def test_real_time_horizons_count_from_the_origin_not_from_the_last_figure(monkeypatch):
    """An exactly linear series published with a year's lag: aligned, naive drift is exact."""
    y = pd.Series(10.0 + 2.0 * np.arange(12), index=range(2008, 2020))

    def vintages(as_of=None):
        cut = y if as_of is None else y[y.index <= as_of - 1]  # year t appears in t + 1
        return {"x": (cut, "level")}, {}

    monkeypatch.setattr(backtest, "published", vintages)
    rt = backtest.backtest_records(vintage="real-time")
    fin = backtest.backtest_records(vintage="final")
    for recs, lag in ((rt, 1), (fin, 0)):
        assert (recs["target_year"] == recs["origin"] + recs["h"]).all()
        assert (recs["step"] == recs["h"] + lag).all()
    drift = rt[rt["method"] == "naive_drift"]
    assert len(drift) > 20 and drift["ase"].max() < 1e-9


def test_crps_of_a_normal_matches_the_closed_form():
    from scipy import stats

    mu, sd = 3.0, 2.0
    q = stats.norm.ppf(np.asarray(backtest.GRID), mu, sd)
    for y in (3.0, 0.5, 9.0):
        z = (y - mu) / sd
        exact = sd * (z * (2 * stats.norm.cdf(z) - 1) + 2 * stats.norm.pdf(z) - 1 / np.sqrt(np.pi))
        assert backtest.crps_from_quantiles(q, y) == pytest.approx(exact, rel=0.02)
    # a point mass scores the absolute error
    assert backtest.crps_from_quantiles(np.full(len(backtest.GRID), 2.0), 5.0) == pytest.approx(3)


def test_real_time_vintage_trains_on_what_was_published_then(monkeypatch):
    final = _panel(seed=2)

    def vintages(as_of=None):
        if as_of is None:
            return final, {}
        # figures published by as_of: the last year was first published 10 % lower
        out = {}
        for ind, (y, kind) in final.items():
            s = y[y.index <= as_of].copy()
            if ind == "x" and len(s):
                s.iloc[-1] *= 0.9
            out[ind] = (s, kind)
        return out, {}

    monkeypatch.setattr(backtest, "published", vintages)
    fin = backtest.backtest_records(vintage="final")
    rt = backtest.backtest_records(vintage="real-time")
    key = ["indicator", "method", "origin", "h"]
    a = fin[fin["indicator"] == "x"].set_index(key)["forecast"]
    b = rt[rt["indicator"] == "x"].set_index(key)["forecast"]
    common = a.index.intersection(b.index)
    assert len(common) > 0 and (b.loc[common] < a.loc[common]).mean() > 0.9
    assert np.array_equal(  # outcomes are today's figures in both
        fin.set_index(key)["actual"].loc[common], rt.set_index(key)["actual"].loc[common]
    )
    with pytest.raises(ValueError, match="vintage must be one of"):
        backtest.backtest_records(vintage="first")


def test_gaps_count_per_year_in_the_scale():
    assert backtest._naive_scale(pd.Series([10.0, 14.0], index=[2010, 2012])) == pytest.approx(2)


def test_backtest_cli_json_on_the_shipped_data(capsys):
    args = argparse.Namespace(json=True, as_of=None, vintage="final")
    assert backtest_command.run(args) == 0
    payload = json.loads(capsys.readouterr().out)
    assert "results" in payload and payload["headline"]["vintage"] == "final"
    for row in payload["results"]:
        assert set(backtest.COLUMNS) <= set(row)
    assert {"naive_drift", "ensemble"} <= {r["method"] for r in payload["results"]}
    head = payload["headline"]
    # honest margins on the shipped data (other helpers' data changes move these numbers):
    # calibrated bands hold roughly what they claim, and the ensemble is not worse than drift
    assert 0.65 <= head["coverage80"] <= 0.92 and 0.85 <= head["coverage95"] <= 0.995
    assert head["mase_ratio"] < 1.1 and head["n_forecasts"] >= 150


def test_backtest_all_returns_the_contract_columns():
    table = backtest.backtest_all(as_of=2016)  # few figures published by then: quick
    assert list(table.columns) == backtest.COLUMNS


def test_derived_figures_are_neither_fitted_nor_scored(monkeypatch):
    import dgm.data.loaders

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
    monkeypatch.setattr(
        dgm.data.loaders, "series_frames", lambda ids, as_of=None, data_to=None: {"gdp": frame}
    )
    recs = backtest.backtest_records()
    assert recs["origin"].max() < 2020 and 2021 not in set(recs["origin"] + recs["h"])
    assert recs["actual"].max() < 300


def test_a_history_bound_enters_only_the_forecasts_from_origins_after_it():
    # 2013 is missing and published as "above 200" (the linear fill would be about 170): the
    # forecasts made from origins after 2013 fit it, those made before cannot see it
    y = pd.Series(100 * 1.12 ** np.arange(12), index=range(2008, 2020)) * (
        1 + 0.02 * np.tile([1, -1], 6)
    )
    y = y.drop(2013)
    bound = pd.DataFrame({"value": [200.0], "kind": ["lower_bound"]}, index=[2013])
    plain = pd.DataFrame(backtest.forecast_records(y, "level", "x"))
    with_bound = pd.DataFrame(backtest.forecast_records(y, "level", "x", bounds=bound))
    cols = ["forecast", "lo80", "hi80"]
    before, after = plain["origin"] < 2014, plain["origin"] > 2014
    np.testing.assert_array_equal(
        plain.loc[before, cols].to_numpy(), with_bound.loc[before, cols].to_numpy()
    )
    arima = (plain["method"] == "arima_drift") & after
    assert arima.any()
    assert not np.allclose(
        plain.loc[arima, cols].to_numpy(), with_bound.loc[arima, cols].to_numpy()
    )


def test_backtest_text_without_long_series_says_so(capsys):
    # by 2019 no indicator has 20 scored forecasts: the summary says so instead of failing
    args = argparse.Namespace(json=False, as_of=2019, vintage="final")
    assert backtest_command.run(args) == 0
    assert "no long series (none has 20 scored forecasts)" in capsys.readouterr().out
