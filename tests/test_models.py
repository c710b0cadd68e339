"""dgm.engine.transforms and dgm.engine.models: scales, chained indices, model laws checked on statsmodels."""

import math
import warnings

import numpy as np
import pandas as pd
import pytest

from dgm.engine import models
from dgm.engine.transforms import (
    CannotTransform,
    Scale,
    chain_index,
    chain_index_with_cumulative,
    scale_for,
)


def _series(n=12, start=2010, level=3000.0, growth=0.07, noise=0.03, seed=1):
    rng = np.random.default_rng(seed)
    z = np.log(level) + growth * np.arange(n) + np.cumsum(rng.normal(0, noise, n))
    return pd.Series(z, index=range(start, start + n))


# ---------------------------------------------------------------- transforms


@pytest.mark.parametrize("name", ["log", "log1p", "logit", "growth", "identity"])
def test_scales_round_trip(name):
    y = np.array([1.0, 5.0, 37.5, 60.0, 99.0])
    s = Scale(name)
    assert s.inverse(s.forward(y)) == pytest.approx(y)


def test_log_bias_adjustment_is_lognormal_mean():
    rng = np.random.default_rng(0)
    z = rng.normal(1.0, 0.5, 400_000)
    assert Scale("log").inverse_mean(1.0, 0.25) == pytest.approx(np.exp(z).mean(), rel=5e-3)


def test_logit_bias_adjustment_close_to_simulated_mean():
    rng = np.random.default_rng(0)
    z = rng.normal(1.5, 0.3, 400_000)
    sim = (100 / (1 + np.exp(-z))).mean()
    assert Scale("logit").inverse_mean(1.5, 0.09) == pytest.approx(sim, rel=2e-3)


def test_values_that_cannot_be_logged():
    with pytest.raises(CannotTransform):
        Scale("log").forward(np.array([5.0, 0.0, 3.0]))
    with pytest.raises(CannotTransform):
        Scale("logit").forward(np.array([50.0, 101.0]))
    assert scale_for("level", [5.0, -1.0]).name == "identity"
    assert scale_for("count", [0.0, 2.0, 3.0]).name == "log1p"  # zero clusters is fine
    assert scale_for("share", [0.0, 100.0]).name == "logit"  # clipped, finite
    assert np.isfinite(Scale("logit").forward(np.array([0.0, 100.0]))).all()


def test_chain_index_thirty_percent_cut():
    # ten yearly falls of 3.504 % take the index from 100 to 70
    r = 100 * (0.7**0.1 - 1)
    idx = chain_index(pd.Series([r] * 10, index=range(2015, 2025)), 2014)
    assert idx.loc[2014] == 100 and idx.loc[2024] == pytest.approx(70.0)


def test_chain_index_stops_at_a_gap_and_cumulative_bridges_it():
    ch = pd.Series({2015: -5.0, 2016: -4.0, 2018: -3.0})
    idx = chain_index(ch, 2014)
    assert list(idx.index) == [2014, 2015, 2016]
    cum = pd.Series({2020: -20.0})  # 2016-2020 period, recorded at 2020
    ch2 = pd.Series({2015: -5.0, 2021: -2.0})
    idx2 = chain_index_with_cumulative(ch2, 2014, cum)
    assert idx2.loc[2020] == pytest.approx(95 * 0.8) and idx2.loc[2021] == pytest.approx(76 * 0.98)
    assert 2017 not in idx2.index


# ---------------------------------------------------------------- models


def test_naive_drift_is_the_textbook_formula():
    y = pd.Series([100.0, 110, 125, 130], index=[2011, 2012, 2013, 2014])
    f = models.naive_drift(np.log(y), 3, Scale("log"))
    drift = (130 - 100) / 3
    assert f.mean == pytest.approx([130 + drift, 130 + 2 * drift, 130 + 3 * drift])


def test_constant_growth_extrapolates_the_compound_rate():
    y = pd.Series([100.0, 121.0], index=[2010, 2012])
    f = models.constant_growth(np.log(y), 2, Scale("log"))
    assert np.exp(f.mean) == pytest.approx([133.1, 146.41])


def test_log_linear_recovers_an_exact_trend():
    z = pd.Series(np.log(50) + 0.1 * np.arange(8), index=range(2000, 2008))
    f = models.log_linear(z + np.tile([1e-4, -1e-4], 4), 2, Scale("log"))
    assert f.mean == pytest.approx(np.log(50) + 0.1 * np.array([8, 9]), abs=1e-3)


def test_escap_weights_stated():
    w = models.escap_weights([2010, 2015, 2020], half_life=5)
    assert w == pytest.approx([0.25, 0.5, 1.0])
    assert models.escap_weights([2010, 2020], math.inf) == pytest.approx([1, 1])


def test_arima_matches_statsmodels():
    from statsmodels.tsa.arima.model import ARIMA

    y = _series(14, noise=0.04, seed=7).to_numpy()
    mine = models.fit_arima_drift(y)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        r0 = ARIMA(y, order=(0, 1, 0), trend="t").fit()
        r1 = ARIMA(y, order=(1, 1, 0), trend="t").fit()
    assert mine["aicc_by_order"]["(0, 1, 0)"] == pytest.approx(r0.aicc, abs=1e-4)
    assert mine["aicc_by_order"]["(1, 1, 0)"] == pytest.approx(r1.aicc, abs=1e-3)
    best = r0 if r0.aicc <= r1.aicc else r1
    assert mine["mu"] == pytest.approx(best.params[0], abs=1e-3)
    assert mine["sigma2"] == pytest.approx(best.params[-1], rel=1e-3)


def test_theta_matches_statsmodels_forecast():
    from statsmodels.tsa.forecasting.theta import ThetaModel

    for seed in (3, 5):
        z = _series(14, noise=0.05, seed=seed)
        f = models.theta(z, 5, Scale("log"))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            r = ThetaModel(z.to_numpy(), period=1, deseasonalize=False).fit()
        assert f.mean == pytest.approx(np.asarray(r.forecast(5)), abs=1e-4)
        assert (np.diff(np.diag(f.cov)) > 0).all()  # uncertainty grows with the horizon


@pytest.mark.parametrize("name", ["naive_drift", "arima_drift", "damped_growth"])
def test_members_start_from_the_last_observation(name):
    # a series far above its trend line at the end: anchored members start near it anyway
    z = _series(12, seed=2)
    z.iloc[-1] += 0.5
    f = models.fit_all(z, 3, Scale("log"), names=(name,))[0][name]
    step = f.scale.inverse(f.mean[0]) / np.exp(z.iloc[-1]) - 1
    assert abs(step) < 0.25  # one year of trend growth, not the jump back to the line
    ll = models.log_linear(z, 3, Scale("log"))
    assert np.exp(ll.mean[0]) / np.exp(z.iloc[-1]) - 1 < -0.2  # the trend line jumps back


def test_damped_growth_shrinks_a_surge_toward_the_prior_and_damps_it():
    # a campaign surge: the count doubles yearly (unevenly), the pooled prior says 8 % a year
    z = pd.Series(np.log([300, 750, 1100, 2900, 4800.0]), index=range(2013, 2018))
    own = models.damped_growth(z, 6, Scale("log"), prior=None)
    tamed = models.damped_growth(z, 6, Scale("log"), prior=(0.08, 0.05))
    assert own.mean[-1] - z.iloc[-1] == pytest.approx(6 * np.log(16) / 4)  # no prior: own growth
    g_own = tamed.info["g_own"]
    assert 0.08 < tamed.info["g_shrunk"] < 0.5 * (g_own + 0.08)  # pulled most of the way
    growth = np.diff(np.concatenate([[z.iloc[-1]], tamed.mean]))
    assert (np.diff(growth) < 0).all() and growth[-1] > 0.08  # damped, approaching the prior
    flat = models.damped_growth(z, 30, Scale("log"), prior=(0.0, np.inf))
    assert np.diff(flat.mean)[-1] == pytest.approx(0, abs=1e-3)  # no prior drift: levels off


def test_regular_segment_fills_isolated_gaps_and_cuts_at_long_ones():
    z = pd.Series(
        {2010: 1.0, 2011: 2.0, 2013: 4.0, 2014: 5.0, 2016: 7.0, 2017: 8.0, 2020: 9.0, 2021: 10.0}
    )
    seg = models.regular_segment(z)
    assert list(seg.index) == [2020, 2021]
    seg2 = models.regular_segment(z.drop([2020, 2021]))
    assert list(seg2.index) == list(range(2010, 2018)) and seg2.loc[2012] == 3.0


def test_fit_all_refuses_too_few_points_naming_the_indicator():
    with pytest.raises(models.InsufficientData, match="rd_intensity: 1 observed point;"):
        models.fit_all(pd.Series({2020: 1.0}), 3, Scale("log"), indicator="rd_intensity")


def test_fit_all_skips_models_without_enough_points():
    fits, skipped = models.fit_all(_series(5), 3, Scale("log"))
    assert {"naive_drift", "constant_growth", "log_linear", "escap_wls", "theta"} <= set(fits)
    assert "arima_drift" in skipped and "5 usable points, needs 6" in skipped["arima_drift"]


@pytest.mark.parametrize("name", ["arima_drift", "theta"])
def test_trend_members_shrink_a_surge_toward_the_prior(name):
    # a count quadrupling over ten noisy years: the pooled prior (8 % a year, tau 0.05) pulls the
    # member's growth down; a rate's prior (0, inf) and no prior leave the fit as it was
    rng = np.random.default_rng(3)
    z = pd.Series(np.log(300) + np.cumsum(0.15 + 0.12 * rng.standard_normal(10)), range(2010, 2020))
    own = models.MODELS[name](z, 6, Scale("log1p"))
    tamed = models.MODELS[name](z, 6, Scale("log1p"), (0.08, 0.05))
    flat = models.MODELS[name](z, 6, Scale("log1p"), (0.0, math.inf))
    assert flat.mean == pytest.approx(own.mean)
    g_own = (own.mean[-1] - own.mean[0]) / 5
    g_tamed = (tamed.mean[-1] - tamed.mean[0]) / 5
    assert g_tamed < g_own and g_tamed > 0
    assert models.shrink(0.3, 0.01, (0.08, 0.1)) == pytest.approx((0.19, 0.005))


def test_mean_reversion_is_the_ar1_mle_and_forgets_the_last_figure():
    # a long AR(1) around 8 (phi 0.5): phi and the mean are recovered, the forecast starts from
    # the last figure and decays toward the mean at rate phi, the band levels off
    rng = np.random.default_rng(4)
    x = [8.0]
    for _ in range(399):
        x.append(8 + 0.5 * (x[-1] - 8) + rng.standard_normal())
    z = pd.Series(x, index=range(1600, 2000))
    z.iloc[-1] = 14.0
    f = models.mean_reversion(z, 40, Scale("identity"))
    assert f.info["phi"] == pytest.approx(0.5, abs=0.1)
    assert f.info["mu"] == pytest.approx(8, abs=0.3)
    phi, mu = f.info["phi"], f.info["mu"]
    assert f.mean[0] == pytest.approx(mu + phi * (14 - mu))
    assert f.mean[-1] == pytest.approx(mu, abs=1e-6)
    sd = np.sqrt(np.diag(f.cov))
    assert (np.diff(sd) >= 0).all() and sd[-1] == pytest.approx(sd[-2], rel=1e-3)
    # a trending series gives phi at its 0.98 ceiling, never an explosive root
    trend = pd.Series(np.arange(12.0), index=range(2010, 2022))
    assert models.mean_reversion(trend, 3, Scale("identity")).info["phi"] <= 0.98


@pytest.mark.parametrize("name", sorted(models.MODELS))
def test_sampled_paths_follow_the_stated_law(name):
    z = _series(13, seed=11)
    f = models.MODELS[name](z, 6, Scale("log"))
    assert f.cov.shape == (6, 6) and np.allclose(f.cov, f.cov.T)
    s = f.sample(np.random.default_rng(0), 100_000)
    sd = np.sqrt(np.diag(f.cov))
    assert np.abs(s.mean(0) - f.mean).max() < 0.05 * sd.max() + 1e-9
    assert s.var(0) == pytest.approx(f.var, rel=0.05)


def test_mixture_quantiles_of_one_member_are_its_quantiles():
    f = models.log_linear(_series(10), 4, Scale("log"))
    probs = [0.1, 0.5, 0.9]
    assert models.mixture_quantiles([f], probs) == pytest.approx(f.quantiles(probs), rel=1e-6)


def test_mixture_median_lies_between_members():
    z = _series(12)
    a = models.log_linear(z, 3, Scale("log"))
    b = models.constant_growth(z - 0.3, 3, Scale("log"))
    med = models.mixture_quantiles([a, b], [0.5])[0]
    lo = np.minimum(np.exp(a.mean), np.exp(b.mean))
    hi = np.maximum(np.exp(a.mean), np.exp(b.mean))
    assert ((med >= lo - 1e-9) & (med <= hi + 1e-9)).all()


def test_mixture_of_members_on_different_scales():
    z = _series(12)
    a = models.naive_drift(z, 3, Scale("log"))  # natural scale
    b = models.arima_drift(z, 3, Scale("log"))
    probs = [0.1, 0.5, 0.9]
    q = models.mixture_quantiles([a, b], probs)
    # the mixture CDF at its own quantiles is the level asked for
    cdf = np.mean([a.cdf(q), b.cdf(q)], axis=0)
    assert cdf == pytest.approx(np.repeat(np.array(probs)[:, None], 3, axis=1), abs=1e-6)


def _ar1_diff_series(phi=0.7, seed=0, n=15):
    rng = np.random.default_rng(seed)
    d = np.zeros(n)
    for t in range(1, n):
        d[t] = phi * d[t - 1] + 0.03 * rng.standard_normal()
    return pd.Series(np.log(100) + np.cumsum(0.05 + d), index=range(2009, 2009 + n))


@pytest.mark.parametrize("name", ["arima_drift", "theta", "mean_reversion"])
def test_bootstrap_refits_are_seeded_and_keep_the_point_forecast(name):
    z = _ar1_diff_series()
    plain = models.MODELS[name](z, 6, Scale("log"))
    a = models.MODELS[name](z, 6, Scale("log"), rng=np.random.default_rng(1))
    b = models.MODELS[name](z, 6, Scale("log"), rng=np.random.default_rng(1))
    assert a.info["bootstrap_refits"] == models.BOOTSTRAP_REFITS
    assert a.cov == pytest.approx(b.cov) and a.mean == pytest.approx(plain.mean)
    assert (np.diff(np.diag(a.cov)) > 0).all()


def test_arima_bootstrap_of_a_random_walk_recovers_the_drift_standard_error():
    # iid differences (order 0): the refits' drift spread is the drift's standard error,
    # sigma / sqrt(n), up to the bootstrap's (n - 1) / n and Monte Carlo noise
    rng = np.random.default_rng(4)
    z = pd.Series(np.cumsum(0.05 + 0.03 * rng.standard_normal(16)), index=range(2008, 2024))
    plain = models.arima_drift(z, 6, Scale("log"))
    boot = models.arima_drift(z, 6, Scale("log"), None, np.random.default_rng(0))
    assert plain.info["order"] == (0, 1, 0)
    innov = plain.info["sigma2"] * np.minimum.outer(np.arange(1, 7), np.arange(1, 7))
    param = (boot.cov - innov)[-1, -1] / 36  # the drift's variance, loaded by h = 6
    assert param == pytest.approx(plain.info["mu_se"] ** 2, rel=0.3)


def test_arima_bootstrap_carries_the_ar_coefficient_uncertainty():
    # an AR(1) in the differences (phi 0.7): the analytic law fixes phi, the refits do not
    z = _ar1_diff_series(seed=0)
    plain = models.arima_drift(z, 6, Scale("log"))
    boot = models.arima_drift(z, 6, Scale("log"), None, np.random.default_rng(0))
    assert plain.info["order"] == (1, 1, 0) and 0.5 < plain.info["phi"] < 0.9
    assert np.sqrt(boot.cov[-1, -1]) > np.sqrt(plain.cov[-1, -1])
    # the refitted phi spreads about as the asymptotic standard error sqrt((1 - phi^2) / n)
    d = np.diff(models.regular_segment(z).to_numpy())
    fit = models.fit_arima_drift(np.cumsum(np.r_[0.0, d]))
    _, phis, _ = models._ar1_refits(d, fit["mu"], fit["phi"], np.random.default_rng(0), 400)
    assert phis.std() == pytest.approx(np.sqrt((1 - fit["phi"] ** 2) / len(d)), rel=0.4)
