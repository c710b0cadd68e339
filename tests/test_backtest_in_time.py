"""The backtest on the shipped data holds in time: no forecast made at t moves when a figure for a
later year does; horizons count from the origin in both vintages; the records reproduce the
headline numbers."""

import argparse
import json

import numpy as np
import pandas as pd
import pytest

import dgm.data.loaders
from dgm.cli import backtest as backtest_command
from dgm.engine import backtest, ensemble
from dgm.engine.ensemble import MIN_FORECAST_POINTS
from dgm.engine.models import observed

KEY = ["indicator", "method", "origin", "target_year"]
PERTURBED_YEARS = range(2016, 2024)
FACTOR = 1.3  # the case: GDP 2020 raised by 30 %


@pytest.fixture(scope="module")
def records():
    """Both vintages' records on the shipped data, computed once for this file."""
    return {v: backtest.backtest_records(vintage=v) for v in backtest.VINTAGES}


def _perturbed(monkeypatch, year: int, indicators=None):
    """Every published figure (points and bounds, every vintage) of `indicators` (None: all)
    for `year` multiplied by FACTOR; returns the set the indicators changed are added to."""
    real = dgm.data.loaders.series_frames
    changed = set()

    def frames(ids, as_of=None, data_to=None):
        out = real(ids, as_of, data_to)
        for ind, frame in out.items():
            if (indicators is None or ind in indicators) and year in frame.index:
                frame = frame.copy()
                frame.loc[year, "value"] = frame.loc[year, "value"] * FACTOR
                out[ind] = frame
                changed.add(ind)
        return out

    monkeypatch.setattr(dgm.data.loaders, "series_frames", frames)
    return changed


def _split(recs: pd.DataFrame, year: int):
    """(keys, quantiles) of the forecasts made before `year` and of those made from it on."""
    out = []
    for before in (True, False):
        r = recs[(recs["origin"] < year) == before].sort_values(KEY).reset_index(drop=True)
        q = np.stack(r["quantiles"].to_numpy()) if len(r) else np.empty((0, 0))
        out.append((r[KEY], q, r))
    return out


def _assert_blind_to(year: int, vintage: str, base: pd.DataFrame, bumped: pd.DataFrame, changed):
    """Every forecast made at an origin before `year` is bit-identical (point and every quantile,
    the calibrated ones included); the perturbation reached the data it was meant to."""
    (k0, q0, r0), (k0_late, q0_late, r0_late) = _split(base, year)
    (k1, q1, r1), (k1_late, q1_late, r1_late) = _split(bumped, year)
    assert k0.equals(k1), f"{vintage} {year}: the set of earlier forecasts changed"
    np.testing.assert_array_equal(
        q0, q1, err_msg=f"{vintage}: a figure for {year} moved a forecast"
    )
    np.testing.assert_array_equal(r0["forecast"].to_numpy(), r1["forecast"].to_numpy())
    # not vacuous: the outcomes of `year` changed for a scored indicator the perturbation hit
    hit = base["indicator"].isin(changed) & (base["target_year"] == year)
    if hit.any():
        a = base[hit].sort_values(KEY)["actual"].to_numpy()
        b = bumped[bumped["indicator"].isin(changed) & (bumped["target_year"] == year)]
        assert not np.array_equal(a, b.sort_values(KEY)["actual"].to_numpy())


def test_a_figure_for_a_later_year_moves_no_earlier_forecast_gdp_2020(records, monkeypatch):
    """The issue's case: GDP 2020 raised by 30 % moves no forecast made before 2020, in either
    vintage, the calibrated bands of GDP and of every other indicator included; forecasts made
    after 2020 do move (GDP's own, and every calibrated one whose pool holds GDP's errors)."""
    changed = _perturbed(monkeypatch, 2020, {"gdp"})
    for vintage in backtest.VINTAGES:
        bumped = backtest.backtest_records(vintage=vintage)
        assert changed == {"gdp"}
        _assert_blind_to(2020, vintage, records[vintage], bumped, changed)
        late0, late1 = _split(records[vintage], 2020)[1], _split(bumped, 2020)[1]
        moved = np.any(late0[1] != late1[1], axis=1)
        ens = (late0[0]["method"] == "ensemble").to_numpy()
        other = (late0[0]["indicator"] != "gdp").to_numpy()
        assert moved[ens & other].any(), vintage  # GDP's errors reach the others' pools


def test_every_indicator_s_2017_figures_at_once_move_no_earlier_forecast(records, monkeypatch):
    changed = _perturbed(monkeypatch, 2017)
    bumped = backtest.backtest_records(vintage="final")
    assert len(changed) >= 10
    _assert_blind_to(2017, "final", records["final"], bumped, changed)


@pytest.mark.slow
@pytest.mark.parametrize("vintage", backtest.VINTAGES)
@pytest.mark.parametrize("year", PERTURBED_YEARS)
def test_each_indicator_s_figure_for_each_year_moves_no_earlier_forecast(
    records, monkeypatch, vintage, year
):
    """The exhaustive walk, for `year` in 2016-2023: each indicator with a figure (or bound) for
    it that can enter a forecast (a backtested series or a source of the growth prior) one at a
    time; every other indicator with a figure for it in one run, all perturbed at once."""
    base = records[vintage]
    histories, bounds = backtest.published()
    dated = {
        i
        for i, (y, _) in histories.items()
        if year in y.index or (i in bounds and year in bounds[i].index)
    }
    entering = {
        i
        for i, (y, kind) in histories.items()
        if len(observed(y)) > MIN_FORECAST_POINTS or kind in ensemble.PRIOR_KINDS
    }
    runs = [{i} for i in sorted(dated & entering)] + [dated - entering]
    for group in filter(None, runs):
        with monkeypatch.context() as m:
            changed = _perturbed(m, year, group)
            bumped = backtest.backtest_records(vintage=vintage)
            assert changed == group
            _assert_blind_to(year, vintage, base, bumped, changed)
    assert len(dated & entering) >= 5


def test_target_year_is_origin_plus_horizon_in_both_vintages(records):
    for vintage, recs in records.items():
        rows = backtest.forecast_rows(recs)
        assert (rows["target_year"] == rows["origin"] + rows["horizon"]).all(), vintage
        assert rows["horizon"].between(1, backtest.HORIZON).all()
        assert (rows["vintage"] == vintage).all()
    # in the real-time vintage the training data mostly end a year before the origin (figures
    # appear the year after): the forecast's step from the last figure is then horizon + 1
    rt = records["real-time"]
    assert ((rt["step"] - rt["h"]) == 1).mean() > 0.8 and (rt["step"] >= rt["h"]).all()
    assert (records["final"]["step"] == records["final"]["h"]).all()


def _headline_from_rows(rows: pd.DataFrame, scales: pd.DataFrame) -> dict:
    """The headline recomputed from the printed records alone (rows and their MASE scales)."""
    rows = rows.merge(scales, on=["indicator", "origin", "vintage"], validate="many_to_one")
    rows["ase"] = (rows["outcome"] - rows["point"]).abs() / rows["mase_scale"]
    keys = ["indicator", "origin", "target_year"]
    ens = rows[rows["method"] == "ensemble"].set_index(keys)
    drift = rows[rows["method"] == "naive_drift"].set_index(keys)
    common = ens.index.intersection(drift.index)
    ens, drift = ens.loc[common], drift.loc[common]
    by_ind = pd.DataFrame({"e": ens["ase"], "d": drift["ase"]}).groupby(level="indicator").sum()
    counts = ens.groupby(level="indicator").size()
    long = counts[counts >= backtest.LONG_MIN_FORECASTS].index
    in80 = (ens["q10"] <= ens["outcome"]) & (ens["outcome"] <= ens["q90"])
    in95 = (ens["q025"] <= ens["outcome"]) & (ens["outcome"] <= ens["q975"])
    is_long = ens.index.get_level_values("indicator").isin(long)
    some = len(long) > 0
    return {
        "mase_ratio": by_ind["e"].sum() / by_ind["d"].sum(),
        "long_mase_ratio": by_ind.loc[long, "e"].sum() / by_ind.loc[long, "d"].sum()
        if some
        else None,
        "coverage80": in80.mean(),
        "coverage95": in95.mean(),
        "long_coverage80": in80[is_long].mean() if some else None,
        "long_coverage95": in95[is_long].mean() if some else None,
        "n_forecasts": len(ens),
        "long_series": sorted(long),
        "ratio_by_indicator": (by_ind["e"] / by_ind["d"]).to_dict(),
    }


def test_the_records_reproduce_the_headline_numbers(records):
    for vintage, recs in records.items():
        head = backtest.headline(recs)
        again = _headline_from_rows(backtest.forecast_rows(recs), backtest.mase_scales(recs))
        for name, value in again.items():
            if isinstance(value, float):
                assert head[name] == pytest.approx(value, rel=1e-12), (vintage, name)
            elif isinstance(value, dict):
                assert head[name] == pytest.approx(value, rel=1e-12), (vintage, name)
            else:
                assert head[name] == value, (vintage, name)


_EARLY: dict = {}  # (as_of, vintage) -> records, shared by the CLI tests below


@pytest.fixture
def early(monkeypatch):
    """backtest_records computed once per (as_of, vintage) for the CLI tests (as of 2019)."""
    real = backtest.backtest_records

    def once(as_of=None, vintage="final"):
        if (as_of, vintage) not in _EARLY:
            _EARLY[as_of, vintage] = real(as_of, vintage)
        return _EARLY[as_of, vintage].copy()

    monkeypatch.setattr(backtest, "backtest_records", once)


def test_backtest_records_json_prints_exactly_the_contract_fields(capsys, early):
    args = argparse.Namespace(json=True, records=True, as_of=2019, vintage=None)
    assert backtest_command.run(args) == 0
    payload = json.loads(capsys.readouterr().out)
    rows = payload["records"]
    assert rows and all(list(r) == backtest.FORECAST_FIELDS for r in rows)
    assert {r["vintage"] for r in rows} == set(backtest.VINTAGES)
    assert all(r["point"] == r["q50"] for r in rows)
    assert all(r["q025"] <= r["q10"] <= r["q50"] <= r["q90"] <= r["q975"] for r in rows)
    assert all(r["target_year"] == r["origin"] + r["horizon"] for r in rows)
    assert set(payload["headlines"]) == set(backtest.VINTAGES)
    text = argparse.Namespace(json=False, records=True, wide=True, as_of=2019, vintage=None)
    backtest_command.run(text)
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == backtest.FORECAST_FIELDS  # the same rows as a table
    assert len(lines) >= len(rows) + 1
    scales = pd.DataFrame(payload["mase_scales"])
    assert list(scales.columns) == ["indicator", "origin", "vintage", "mase_scale"]
    for vintage in backtest.VINTAGES:
        printed = payload["headlines"][vintage]
        again = _headline_from_rows(
            pd.DataFrame([r for r in rows if r["vintage"] == vintage]), scales
        )
        assert printed["n_forecasts"] == again["n_forecasts"] > 0
        for name in ("mase_ratio", "coverage80", "coverage95"):
            assert printed[name] == pytest.approx(again[name], rel=1e-12), (vintage, name)


def test_backtest_headline_is_the_real_time_vintage_with_the_final_beside_it(capsys, early):
    args = argparse.Namespace(json=True, records=False, as_of=2019, vintage=None)
    assert backtest_command.run(args) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["headline"]["vintage"] == "real-time"
    assert list(payload["headlines"]) == ["real-time", "final"]
    assert payload["headline"] == payload["headlines"]["real-time"]
    args = argparse.Namespace(json=False, records=False, as_of=2019, vintage=None)
    assert backtest_command.run(args) == 0
    text = capsys.readouterr().out
    assert text.index("real-time vintage (") < text.index("final vintage (")
