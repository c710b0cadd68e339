"""dgm.engine.simulate: paths, quantiles, P(goal met), crossing years, bounds, refusals, determinism."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from dgm.engine import simulate
from dgm.engine.models import InsufficientData

FAST = ("naive_drift", "constant_growth", "log_linear", "escap_wls", "arima_drift")


def _history(n=10, start=2012, level=100.0, growth=0.05, noise=0.02, seed=0):
    rng = np.random.default_rng(seed)
    z = np.log(level) + growth * np.arange(n) + rng.normal(0, noise, n)
    return pd.Series(np.exp(z), index=range(start, start + n))


def test_forecast_object_shape_and_quantile_columns():
    fc = simulate.forecast_history(_history(), "level", "x", "亿元", to_year=2026, n_paths=2000)
    assert fc.paths.shape == (2000, 5) and list(fc.years) == [2022, 2023, 2024, 2025, 2026]
    for p in (0.025, 0.05, 0.1, 0.15, 0.25, 0.5, 0.75, 0.9, 0.95, 0.975):
        assert p in fc.quantiles.columns
    assert (np.diff(fc.quantiles.to_numpy(), axis=1) >= 0).all()  # monotone in p
    assert fc.point.equals(fc.quantiles[0.5].rename("ensemble"))
    assert set(fc.members) <= set(fc.models) and "naive_drift" in fc.models
    assert fc.history.index.max() == 2021


def test_same_seed_same_numbers_other_seed_other_numbers():
    a = simulate.forecast_history(_history(), "level", "x", n_paths=500, seed=7, models=FAST)
    b = simulate.forecast_history(_history(), "level", "x", n_paths=500, seed=7, models=FAST)
    c = simulate.forecast_history(_history(), "level", "x", n_paths=500, seed=8, models=FAST)
    assert np.array_equal(a.paths, b.paths)
    assert not np.array_equal(a.paths, c.paths)


def test_refusal_names_indicator_and_count():
    with pytest.raises(InsufficientData, match=r"rd_intensity: 3 observed points; .* at least 4"):
        simulate.forecast_history(_history(3), "share", "rd_intensity")


def test_lower_bound_constrains_paths_and_probability():
    # a bound at the unbounded forecast's 2025 median keeps the half of the paths above it
    h = _history(10, level=10000, growth=0.02)
    kw = dict(to_year=2026, n_paths=4000, models=FAST, pool=None)
    free = simulate.forecast_history(h, "level", "out", **kw)
    mid = float(free.quantiles.loc[2025, 0.5])
    bounds = pd.DataFrame({"value": [mid], "kind": ["lower_bound"]}, index=[2025])
    fc = simulate.forecast_history(h, "level", "out", bounds=bounds, **kw)
    j = list(fc.years).index(2025)
    assert (fc.paths[:, j] >= mid).all() and len(fc.paths) == pytest.approx(2000, abs=2)
    assert "1 published bound(s) applied; 50.0% of paths kept" in fc.notes
    assert fc.prob(">=", mid, 2025) == 1.0 and free.prob(">=", mid, 2025) == pytest.approx(0.5)


def test_bounds_the_models_reject_are_reported_not_applied():
    h = _history(10, level=100, growth=0.0, noise=0.001)
    bounds = pd.DataFrame({"value": [1e6], "kind": ["lower_bound"]}, index=[2023])
    fc = simulate.forecast_history(
        h, "level", "out", to_year=2024, n_paths=1000, bounds=bounds, models=FAST
    )
    assert fc.paths.shape[0] == 1000 and "not applied" in " ".join(fc.notes)


def test_crossing_distribution_sums_to_one_and_history_counts():
    fc = simulate.forecast_history(
        _history(growth=0.05), "level", "x", to_year=2030, n_paths=1000, models=FAST
    )
    d = fc.crossing(">=", 200)
    assert d.sum() == pytest.approx(1.0)
    assert simulate.median_crossing_year(d) in range(2022, 2031)
    already = fc.crossing(">=", 50)  # met in the first observed year
    assert already.iloc[0] == 1.0 and already.index[0] == 2012
    never = fc.crossing(">=", 1e9)
    assert never["never"] == 1.0 and simulate.median_crossing_year(never) is None


def test_lower_is_better_probability():
    idx = pd.Series(100 * 0.96 ** np.arange(7), index=range(2014, 2021))  # falling 4 % a year
    fc = simulate.forecast_history(idx, "index", "energy", to_year=2025, n_paths=2000, models=FAST)
    assert fc.prob("<=", 70, 2025) > 0.9
    assert fc.prob("<=", 70, 2016) == 0.0  # observed: 92.2 in 2016


def test_values_that_cannot_be_logged_are_modelled_untransformed():
    h = pd.Series([-3.0, -1.0, 0.5, 2.0, 3.0, 4.5], index=range(2015, 2021))
    fc = simulate.forecast_history(h, "level", "net", to_year=2022, n_paths=500, models=FAST)
    assert fc.scale == "identity" and "untransformed" in " ".join(fc.notes)
    assert np.isfinite(fc.paths).all()


def test_count_with_zero_and_share_at_the_bound_are_fine():
    counts = pd.Series([0.0, 1, 1, 2, 3], index=range(2016, 2021))
    fc = simulate.forecast_history(
        counts, "count", "clusters", to_year=2025, n_paths=500, models=FAST
    )
    assert fc.scale == "log1p" and (fc.paths > -1).all()
    share = pd.Series([60.0, 75, 90, 100, 100], index=range(2016, 2021))
    fc = simulate.forecast_history(share, "share", "towns", to_year=2025, n_paths=500, models=FAST)
    assert ((fc.paths >= 0) & (fc.paths <= 100)).all()


growth = st.floats(min_value=-0.1, max_value=0.15)


@settings(max_examples=25, deadline=None)
@given(g=growth, extra=st.floats(0.0, 0.1), target=st.floats(50, 400), seed=st.integers(0, 99))
def test_more_growth_never_lowers_p_and_p_in_unit_interval(g, extra, target, seed):
    base = _history(8, growth=g, seed=seed)
    steeper = base * np.exp(extra * np.arange(len(base)))
    # uncalibrated: the calibrated law is symmetric around the median with the mixture's spread,
    # so a steeper history with a narrower spread can lower P(above a high target)
    kw = {"to_year": 2025, "n_paths": 400, "seed": 3, "models": FAST, "pool": None}
    a = simulate.forecast_history(base, "level", "x", **kw)
    b = simulate.forecast_history(steeper, "level", "x", **kw)
    assume(a.scale == b.scale)  # a change of forecasting scale (chosen by CV) changes the law
    p0, p1 = a.prob(">=", target, 2025), b.prob(">=", target, 2025)
    assert 0.0 <= p0 <= 1.0 and 0.0 <= p1 <= 1.0
    assert p1 >= p0 - 1e-12


@settings(max_examples=15, deadline=None)
@given(k=st.floats(1e-2, 1e4), seed=st.integers(0, 50))
def test_rescaled_series_gives_rescaled_paths(k, seed):
    h = _history(9, seed=seed)
    kw = {"to_year": 2024, "n_paths": 300, "seed": 1, "models": FAST[1:]}
    a = simulate.forecast_history(h, "level", "x", **kw)
    b = simulate.forecast_history(h * k, "level", "x", **kw)
    assert b.paths == pytest.approx(a.paths * k, rel=1e-6)
    assert b.prob(">=", 150 * k, 2024) == a.prob(">=", 150, 2024)


def _pool(scale_of_errors: float, n: int = 200, seed: int = 0):
    from dgm.engine.ensemble import ErrorPool

    rng = np.random.default_rng(seed)
    e = rng.normal(0, scale_of_errors, n)
    frame = pd.DataFrame({"indicator": ["other"] * n, "h": rng.integers(1, 7, n), "e": e})
    return ErrorPool(frame)


def test_calibration_widens_overconfident_bands_and_keeps_the_median():
    h = _history(12)
    kw = {"to_year": 2026, "n_paths": 4000, "seed": 5, "models": FAST, "prior": None}
    raw = simulate.forecast_history(h, "level", "x", pool=None, **kw)
    wide = simulate.forecast_history(h, "level", "x", pool=_pool(3.0), **kw)
    assert raw.calibration_n == 0 and wide.calibration_n == 200
    assert wide.quantiles.attrs["calibrated_on"] == 200
    z_raw, z_wide = np.log(raw.quantiles), np.log(wide.quantiles)
    assert z_wide[0.5].to_numpy() == pytest.approx(z_raw[0.5].to_numpy(), rel=1e-3)
    # errors three times the ensemble's own 80 % half-width (in sd units): bands about 3x wider
    ratio = (z_wide[0.9] - z_wide[0.1]) / (z_raw[0.9] - z_raw[0.1])
    assert ratio.between(2.4, 3.6).all()
    # paths keep their ranks
    for j in range(raw.paths.shape[1]):
        order = np.argsort(raw.paths[:, j])
        assert (np.diff(wide.paths[order, j]) >= -1e-9).all()


def test_the_bands_are_calibrated_on_every_known_error_the_indicator_s_own_included():
    from dgm.engine.ensemble import ErrorPool

    frame = pd.DataFrame(
        {"indicator": ["x"] * 50 + ["y"] * 50, "h": [1] * 100, "e": [100.0] * 50 + [1.0] * 50}
    )
    pool = ErrorPool(frame)
    assert pool.size() == 100 and pool.errors(1).max() == 100.0
    assert pool.errors(3).size == 100  # horizon 3 borrows the nearest (h = 1) errors
    kw = {"to_year": 2024, "n_paths": 2000, "seed": 5, "models": FAST, "prior": None}
    fc = simulate.forecast_history(_history(12), "level", "x", pool=pool, **kw)
    assert fc.calibration_n == 100


def test_hightech_firms_bounds_enter_the_fit_and_condition_the_paths():
    # the real case: 2020 "超过6400" lies between the 2019 and 2021 figures (a censored year of
    # the fit); 2024 "超过10200" lies after the last figure (2022): every kept path meets it
    fc = simulate.forecast("hightech_enterprises", to_year=2026, n_paths=2000)
    notes = " ".join(fc.notes)
    assert "2020 ≥ 6400 enters the fits as a censored observation" in notes
    assert "1 published bound(s) applied" in notes
    j = list(fc.years).index(2024)
    assert (fc.paths[:, j] >= 10200).all() and len(fc.paths) < 2000
