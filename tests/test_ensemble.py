"""dgm.engine.ensemble: scale chosen by cross-validation, the pooled growth prior, conformal quantiles."""

import math

import numpy as np
import pandas as pd
import pytest

from dgm.engine import ensemble, simulate
from dgm.engine.transforms import Scale


def _years(values, start=2010):
    return pd.Series(np.asarray(values, dtype=float), index=range(start, start + len(values)))


def test_scale_follows_the_shape_of_growth():
    expo = _years(100 * 1.15 ** np.arange(10))
    line = _years(100 + 15 * np.arange(10))
    assert ensemble.choose_scale("level", expo)[0].name == "log"
    scale, note = ensemble.choose_scale("level", line)
    assert scale.name == "identity" and "natural scale" in note
    # too short for one inner forecast: the kind's scale
    assert ensemble.choose_scale("level", _years([1.0, 2.0]))[0].name == "log"


def test_scale_for_values_that_cannot_be_logged_says_so():
    scale, note = ensemble.choose_scale("level", _years([-1.0, 2.0, 3.0, 5.0]))
    assert scale.name == "identity" and "cannot be put on the log scale" in note


def test_growth_prior_pools_other_money_levels_up_to_the_origin():
    h = {
        "a": (_years(100 * 1.05 ** np.arange(10)), "level"),
        "b": (_years(100 * 1.10 ** np.arange(10)), "level"),
        "c": (_years(100 * 1.20 ** np.arange(10)), "level"),
        "n": (_years(100 * 2.0 ** np.arange(10)), "count"),  # counts do not make the prior
        "s": (_years(np.linspace(10, 60, 10)), "share"),
    }
    g0, tau = ensemble.growth_prior(h, 2015)
    assert g0 == pytest.approx(math.log(1.10))
    assert tau >= ensemble.TAU_FLOOR
    g0_without_b, _ = ensemble.growth_prior(h, 2015, exclude="b")
    assert g0_without_b == pytest.approx((math.log(1.05) + math.log(1.20)) / 2)
    # only data up to the origin: a later break in every series does not move the prior
    later = {k: (y.where(y.index <= 2015, y * 10), kind) for k, (y, kind) in h.items()}
    assert ensemble.growth_prior(later, 2015) == (g0, tau)
    assert ensemble.growth_prior({"a": h["a"]}, 2015) is None  # one series is not a pool


def test_growth_prior_ignores_growth_over_a_short_span():
    # two new series, two figures a year apart, grow 30 % a year: they do not make the prior
    h = {
        "a": (_years(100 * 1.05 ** np.arange(10)), "level"),
        "b": (_years(100 * 1.10 ** np.arange(10)), "level"),
        "new1": (_years([100.0, 130.0], start=2014), "level"),
        "new2": (_years([100.0, 130.0], start=2014), "level"),
    }
    g0, _ = ensemble.growth_prior(h, 2015)
    assert g0 == pytest.approx((math.log(1.05) + math.log(1.10)) / 2)


def test_mean_reversion_is_a_member_for_growth_rates_only():
    rate = _years([10.3, 8.0, 6.1, 9.8, 7.8, 8.0, 8.1, 8.1, 7.4])
    _, fits, _, _ = ensemble.fit_members(rate, "growth_rate", 3)
    assert "mean_reversion" in fits
    _, fits, _, _ = ensemble.fit_members(100 * 1.1 ** np.arange(9) + rate, "level", 3)
    assert "mean_reversion" not in fits


def test_prior_on_the_forecasting_scale():
    assert ensemble.prior_on_scale((0.1, 0.02), Scale("log"), "count", 50.0) == (0.1, 0.02)
    assert ensemble.prior_on_scale((0.1, 0.02), Scale("identity"), "level", 50.0) == (5.0, 1.0)
    assert ensemble.prior_on_scale((0.1, 0.02), Scale("logit"), "share", 50.0) == (0.0, math.inf)
    rate = ensemble.prior_on_scale(None, Scale("growth"), "growth_rate", 8.0)
    assert rate == (0.0, ensemble.TAU_FLOOR)  # a rate's trend shrinks toward none
    assert ensemble.prior_on_scale(None, Scale("log"), "level", 50.0) is None


def test_an_empty_pool_gives_the_prior_law():
    from scipy import stats

    pool = ensemble.ErrorPool(pd.DataFrame({"h": [], "e": []}))
    assert pool.size() == 0
    for p in (0.9, 0.975, 0.6):
        t = stats.t.ppf(p, ensemble.TAIL_DF)  # Student t with TAIL_DF degrees of freedom
        assert pool.quantile(p, 1) == pytest.approx(t, rel=1e-9)
        assert pool.quantile(p, 4) == pytest.approx(t, rel=1e-9)
        assert pool.quantile(1 - p, 1) == pytest.approx(-t, rel=1e-9)
    assert pool.quantile(0.5, 1) == 0.0


def test_the_pool_and_the_prior_mix_as_a_dirichlet_process_predictive():
    from scipy import stats

    # 70 errors all of size 2 and the prior worth 30: G(x) = (70 [x >= 2] + 30 F0(x)) / 100
    pool = ensemble.ErrorPool(pd.DataFrame({"h": 1, "e": np.full(70, 2.0)}), df=3.0, weight=30)
    f0 = lambda x: 2 * stats.t.cdf(x, 3.0) - 1  # noqa: E731  |t3|
    # the central 80 %: below 2, G <= 0.3 F0(2) = 0.26; at 2 it jumps to 0.7 + 0.3 F0(2) = 0.96
    assert pool.quantile(0.9, 1) == pytest.approx(2.0, abs=1e-9)
    # the central 99 %: beyond the jump, 0.7 + 0.3 F0(x) = 0.99, i.e. F0(x) = 0.29 / 0.3
    x = stats.t.ppf(0.5 + 0.5 * 0.29 / 0.3, 3.0)
    assert pool.quantile(0.995, 1) == pytest.approx(x, rel=1e-9)
    assert 0.7 + 0.3 * f0(x) == pytest.approx(0.99)
    # a larger pool of the same errors moves the quantile toward the errors' own
    big = ensemble.ErrorPool(pd.DataFrame({"h": 1, "e": np.full(7000, 2.0)}), df=3.0, weight=30)
    assert 2.0 < big.quantile(0.995, 1) < x


def test_isotonic_rows_is_the_weighted_monotone_fit():
    values = np.array([[3.0, 1.0], [1.0, 2.0], [2.0, 3.0]])
    fit = ensemble.isotonic_rows(values, np.array([1.0, 1.0, 2.0]))
    # column 0: 3 > 1 violates; pooling rows 0-1 gives 2, which row 2 (2) does not violate
    assert fit[:, 0] == pytest.approx([2.0, 2.0, 2.0])
    assert fit[:, 1] == pytest.approx([1.0, 2.0, 3.0])  # already increasing: unchanged
    weighted = ensemble.isotonic_rows(np.array([[4.0], [1.0]]), np.array([1.0, 3.0]))
    assert weighted[:, 0] == pytest.approx([1.75, 1.75])


def test_calibrated_bands_never_narrow_with_the_horizon():
    # large errors at horizon 1, small ones at 2: per level the magnitudes are pooled, so the
    # horizon-2 band is not narrower than the horizon-1 band
    e = np.r_[np.linspace(0.1, 4.0, 40), np.linspace(0.1, 1.0, 40)]
    frame = pd.DataFrame({"indicator": "o", "h": [1] * 40 + [2] * 40, "e": e})
    pool = ensemble.ErrorPool(frame)
    for p in (0.9, 0.975, 0.6):
        q1, q2 = pool.quantile(p, 1), pool.quantile(p, 2)
        assert q2 >= q1 - 1e-12
        assert pool.quantile(1 - p, 2) == pytest.approx(-q2)
    raw = [pool.magnitudes(h, [0.8])[0] for h in (1, 2)]
    assert raw[0] > raw[1]  # the pool's own quantiles narrow from horizon 1 to 2 ...
    assert pool.quantile(0.9, 1) == pytest.approx(np.mean(raw), rel=2e-3)  # ... equal weights


def test_real_fans_widen_with_the_horizon():
    fc = simulate.forecast("gdp")
    q = fc.quantiles  # on the forecasting scale, where the bands are symmetric:
    z = pd.DataFrame(Scale(fc.scale).forward(q.to_numpy()), index=q.index, columns=q.columns)
    for lo, hi in ((0.1, 0.9), (0.025, 0.975)):
        width = (z[hi] - z[lo]).to_numpy()
        assert (np.diff(width) >= -1e-9).all(), width


def _bound(year, value, kind="lower_bound"):
    return pd.DataFrame({"value": [float(value)], "kind": [kind]}, index=[year])


def test_a_bound_on_a_missing_year_enters_as_a_censored_observation():
    # log levels 2010-2015 with 2012 missing; 2012 is published only as "above 140", while the
    # linear fill of its neighbours (sqrt(110 * 150) = 128.5) would sit below the bound
    from scipy import stats

    from dgm.engine.transforms import Scale

    y = pd.Series({2010: 100.0, 2011: 110.0, 2013: 150.0, 2014: 160.0, 2015: 180.0})
    log = Scale("log")
    z, notes = ensemble.censored_fill(log.forward(y), _bound(2012, 140), log)
    m = (math.log(110) + math.log(150)) / 2
    sd = math.sqrt(ensemble.step_variance(log.forward(y)) / 2)
    want = stats.truncnorm.mean((math.log(140) - m) / sd, np.inf, loc=m, scale=sd)
    assert z[2012] == pytest.approx(want, rel=1e-9) and math.exp(z[2012]) > 140
    assert "2012 ≥ 140 enters the fits as a censored observation" in notes[0]
    assert list(z.drop(2012)) == pytest.approx(list(log.forward(y)))  # the points are kept
    # an upper bound below the linear fill pulls the year down, mirror-wise
    z_up, _ = ensemble.censored_fill(log.forward(y), _bound(2012, 120, "upper_bound"), log)
    want_up = stats.truncnorm.mean(-np.inf, (math.log(120) - m) / sd, loc=m, scale=sd)
    assert z_up[2012] == pytest.approx(want_up, rel=1e-9) and math.exp(z_up[2012]) < 120
    # a bound far below the bridge hardly moves it: the fill stays near the midpoint
    z_lo, _ = ensemble.censored_fill(log.forward(y), _bound(2012, 50), log)
    assert z_lo[2012] == pytest.approx(m, abs=1e-6)


def test_history_bounds_that_cannot_enter_are_named_never_dropped_silently():
    y = _years([100.0, 110.0, 120.0, 130.0]).drop([2011, 2012])  # 2010, 2013: a two-year gap
    y[2014], y[2015] = 140.0, 150.0
    from dgm.engine.transforms import Scale

    z, notes = ensemble.censored_fill(y, _bound(2011, 105), Scale("identity"))
    assert 2011 not in z.index
    assert notes == [
        "published bound(s) inside the history 2011 (≥ 105) do not enter the fits "
        "(not on a single missing year between two point figures)"
    ]
    # bounds after the last point are for the paths, not the fits
    after, notes = ensemble.censored_fill(y, _bound(2020, 500), Scale("identity"))
    assert after.equals(y.sort_index()) and notes == []


def test_fit_members_fits_the_censored_year():
    y = pd.Series({2010: 100.0, 2011: 110.0, 2013: 150.0, 2014: 160.0, 2015: 180.0, 2016: 190.0})
    _, fits, _, notes = ensemble.fit_members(y, "level", 3, bounds=_bound(2012, 140))
    _, plain, _, _ = ensemble.fit_members(y, "level", 3)
    assert any("censored" in n for n in notes)
    # the ARIMA pair uses the regular run: the censored year, not the linear fill, enters it
    assert fits["arima_drift"].info["sigma2"] != plain["arima_drift"].info["sigma2"]


def test_the_quantiles_of_many_paths_agree_with_the_exact_ones():
    rng = np.random.default_rng(4)
    frame = pd.DataFrame({"h": rng.integers(1, 4, 120), "e": rng.standard_t(3, 120) * 1.7})
    pool = ensemble.ErrorPool(frame)
    u = (np.arange(10_000) + 0.5) / 10_000  # one level per path: interpolated on LEVEL_GRID
    for h in (1, 3, 5):
        many = pool.quantile(u, h)
        exact = np.concatenate([pool.quantile(c, h) for c in np.split(u, 20)])  # 500 at a time
        # the interpolation between grid levels is off by a few millionths of the ensemble's
        # sd for most paths, and by under 1 % where the errors' empirical law jumps in the tails
        gap = np.abs(many - exact)
        assert np.median(gap) < 1e-5 and np.quantile(gap, 0.99) < 5e-3
        np.testing.assert_allclose(many, exact, rtol=1e-2, atol=1e-3)
        assert np.abs(many - exact).max() > 0  # the two ways really differ
