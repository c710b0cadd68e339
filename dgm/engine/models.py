"""Forecasters: an annual series on a forecasting scale -> joint predictive law of the next H years.

Every model returns a `ModelFit`: the predictive mean over horizons 1..H and the full H x H
covariance on its scale (so paths, fan charts, P(goal met) and first-crossing years all come from
one law), plus degrees of freedom (inf = Gaussian; finite = Student t, for the regressions whose
exact predictive law under a flat prior is t). Simulation (dgm.engine.simulate) is then one vectorised
draw per model, and the backtest reads quantiles off the same law without simulating.

Input everywhere: `z`, a pandas Series of floats on the forecasting scale indexed by int year,
possibly with missing years (absent or NaN). Models that need equally spaced data (ARIMA, Theta)
use the last run of consecutive years after filling isolated one-year gaps linearly; the others
use the years as they are.

Anchoring: the ensemble's members (ENSEMBLE) start from the last observation: naive drift, ARIMA
with drift, the damped-growth model and (growth rates only, RATE_ONLY) the AR(1) mean reversion
by construction; Theta starts from its smoothed level
(SES), the method's deliberate hedge against a noisy last figure. The trend regressions
(log_linear, escap_wls) are trend-stationary, so their median jumps to the fitted line at the
origin; they are scored in the backtest for comparison and are not members. The trend members
(PRIOR_MODELS: ARIMA's drift, Theta's slope, damped growth) shrink their growth toward the pooled
prior that dgm.engine.ensemble passes in. Damped ETS and the
local-linear-trend state-space model were dropped: on 6-16 yearly points their likelihoods are
flat and the fits came out degenerate (ETS alpha ~ 1e-4, beta = 0, phi at its 0.8 floor; UC with
zero level variance), i.e. deterministic trends whose bands do not grow with the horizon.

Parameter uncertainty: with an `rng`, ARIMA (phi and drift), Theta (alpha and slope) and mean
reversion (phi and mean) add the covariance of BOOTSTRAP_REFITS refits on residual-bootstrap
series (BOOTSTRAPPED); the drift and damped-growth laws carry their trend's variance in closed
form.

Benchmarks: naive_drift (y_T + h (y_T - y_1) / (T - 1), on the natural scale as the issue defines
it) and constant_growth (the same on the forecasting scale: constant compound growth for logged
levels). The ensemble is the equal-weight mixture of the members that could be fitted, mixed on
the natural scale (naive_drift's law is on the natural scale, the others' on the forecasting
scale). statsmodels is imported inside the functions that use it.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from dgm.engine.transforms import Scale

BENCHMARKS = ("naive_drift", "constant_growth")
ENSEMBLE = ("naive_drift", "arima_drift", "theta", "damped_growth", "mean_reversion")
RATE_ONLY = ("mean_reversion",)  # members fitted for growth-rate series only (dgm.engine.ensemble)
# fewest observed years each model needs (below: the model is skipped, never guessed)
MIN_POINTS = {
    "naive_drift": 2,
    "constant_growth": 2,
    "log_linear": 4,
    "escap_wls": 4,
    "arima_drift": 6,
    "theta": 5,
    "damped_growth": 3,
    "mean_reversion": 5,
}
# damped growth: the trend's excess over the growth prior decays by DAMPING a year. A principled
# default, not tuned on the backtest: 0.8 is the lower end of the damping range of Gardner &
# McKenzie's damped trend (ETS software bounds phi to [0.8, 0.98]); the low end because the pooled
# prior, not the series' own recent trend, is meant to carry the long run.
DAMPING = 0.8
# ESCAP-style time weights: weight of year t = 0.5 ** ((t_last - t) / half-life), newest year = 1
ESCAP_HALF_LIFE = 5.0
ESCAP_HALF_LIVES = (2.0, 5.0, 10.0, math.inf)  # sensitivity table; inf = ordinary least squares
JITTER = 1e-12
# parameter uncertainty of ARIMA and Theta: refits on residual-bootstrap series (with an rng)
BOOTSTRAP_REFITS = 100  # Monte Carlo error of the refits' covariance about sqrt(2/100) = 14 %
PHI_GRID = np.round(np.arange(-0.98, 0.981, 0.01), 2)  # AR(1) refits: profile likelihood grid
ALPHA_GRID = np.round(np.arange(0.01, 1.001, 0.01), 2)  # Theta refits: SES smoothing grid


class InsufficientData(ValueError):
    """Too few observations to fit: names the indicator and says how many points it has."""

    def __init__(self, indicator: str, n_points: int, needed: int, what: str = "a forecast"):
        self.indicator, self.n_points, self.needed = indicator, n_points, needed
        super().__init__(
            f"{indicator}: {n_points} observed point{'s' if n_points != 1 else ''}; "
            f"{what} needs at least {needed}"
        )


@dataclass
class ModelFit:
    """Joint predictive law of horizons 1..H on a modelling scale."""

    name: str
    scale: Scale
    last_year: int
    mean: np.ndarray  # (H,)
    cov: np.ndarray  # (H, H)
    df: float = math.inf
    info: dict = field(default_factory=dict)

    @property
    def horizon(self) -> int:
        """Number of years ahead covered."""
        return len(self.mean)

    @property
    def years(self) -> np.ndarray:
        """Calendar years of the horizons."""
        return np.arange(self.last_year + 1, self.last_year + 1 + self.horizon)

    @property
    def var(self) -> np.ndarray:
        """Predictive variance per horizon (for t laws: scale**2 * df/(df-2))."""
        d = np.diag(self.cov).copy()
        if math.isfinite(self.df) and self.df > 2:
            d *= self.df / (self.df - 2)
        return d

    def point(self) -> np.ndarray:
        """Bias-adjusted mean on the natural scale (Gaussian approximation for t laws)."""
        return self.scale.inverse_mean(self.mean, self.var)

    def quantiles(self, probs) -> np.ndarray:
        """Marginal quantiles on the natural scale, shape (len(probs), H)."""
        from scipy import special

        probs = np.asarray(probs, dtype=float)
        sd = np.sqrt(np.maximum(np.diag(self.cov), 0))
        q = special.stdtrit(self.df, probs) if math.isfinite(self.df) else special.ndtri(probs)
        return self.scale.inverse(self.mean[None, :] + q[:, None] * sd[None, :])

    def cdf(self, x) -> np.ndarray:
        """Marginal CDF at natural-scale values x, shape (..., H) broadcast against horizons."""
        return self.cdf_on_scale()(self.scale.forward_clipped(x))

    def cdf_on_scale(self):
        """The marginal CDF as a function of modelling-scale values, its spread worked out once
        (for repeated evaluation, as in mixture_quantiles' bisection)."""
        from scipy import special

        sd = np.sqrt(np.maximum(np.diag(self.cov), 1e-300))
        mean, df = self.mean, self.df
        if math.isfinite(df):
            return lambda z: special.stdtr(df, (z - mean) / sd)
        return lambda z: special.ndtr((z - mean) / sd)

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """n joint paths on the modelling scale, shape (n, H)."""
        h = self.horizon
        c = 0.5 * (self.cov + self.cov.T) + JITTER * np.eye(h)
        try:
            chol = np.linalg.cholesky(c)
        except np.linalg.LinAlgError:
            w, v = np.linalg.eigh(c)
            chol = v * np.sqrt(np.clip(w, 0, None))
        z = rng.standard_normal((n, h)) @ chol.T
        if math.isfinite(self.df):
            z *= np.sqrt(self.df / rng.chisquare(self.df, size=(n, 1)))
        return self.mean[None, :] + z


# ---------------------------------------------------------------- helpers


def observed(z: pd.Series) -> pd.Series:
    """Finite values sorted by int year. (numpy, not dropna/sort_index: the engine calls this
    thousands of times per backtest, and pandas' per-call overhead was most of its cost.)"""
    s = z if isinstance(z, pd.Series) and z.dtype == np.float64 else pd.Series(z, dtype=float)
    v = s.to_numpy()
    keep = ~np.isnan(v)
    years = s.index.to_numpy()[keep].astype(int)
    order = np.argsort(years, kind="stable")
    return pd.Series(v[keep][order], index=pd.Index(years[order]), name=s.name)


def regular_segment(z: pd.Series) -> pd.Series:
    """Last run of consecutive years, isolated one-year gaps filled linearly (modelling scale)."""
    s = observed(z)
    if s.empty:
        return s
    years = s.index.to_numpy()
    full = np.full(int(years[-1] - years[0]) + 1, np.nan)
    full[years - years[0]] = s.to_numpy()
    prev, nxt = np.roll(full, 1), np.roll(full, -1)
    prev[0] = nxt[-1] = np.nan
    isolated = np.isnan(full) & ~np.isnan(prev) & ~np.isnan(nxt)
    full[isolated] = ((prev + nxt) / 2)[isolated]
    gaps = np.flatnonzero(np.isnan(full))
    start = gaps[-1] + 1 if gaps.size else 0
    index = pd.RangeIndex(int(years[0]) + start, int(years[-1]) + 1)
    return pd.Series(full[start:], index=index, name=s.name)


def _rw_cov(h: int, sigma2: float, drift_var: float) -> np.ndarray:
    """Covariance of a random walk with an uncertain drift over horizons 1..h."""
    k = np.arange(1, h + 1, dtype=float)
    return sigma2 * np.minimum.outer(k, k) + drift_var * np.outer(k, k)


def step_variance(s: pd.Series) -> float:
    """Variance of the yearly steps around the drift (first to last point); a step over a gap of
    g years counts as g steps. 0 with fewer than three points."""
    yrs, v = s.index.to_numpy(dtype=float), s.to_numpy(dtype=float)
    if len(v) < 3:
        return 0.0
    g = np.diff(yrs)
    e = (np.diff(v) - g * (v[-1] - v[0]) / (yrs[-1] - yrs[0])) / np.sqrt(g)
    return float(np.sum(e**2) / (len(e) - 1))


def _drift_fit(s: pd.Series, h: int):
    """Mean and covariance of a random walk with drift fitted to the first and last points.

    Drift = (y_T - y_1) / (t_T - t_1) (year span, so gaps are fine); the innovation variance comes
    from the yearly steps around the drift, a step over a gap of g years counting as g steps.
    """
    yrs = s.index.to_numpy(dtype=float)
    v = s.to_numpy(dtype=float)
    span = yrs[-1] - yrs[0]
    drift = (v[-1] - v[0]) / span
    sigma2 = step_variance(s)
    mean = v[-1] + drift * np.arange(1, h + 1)
    return mean, _rw_cov(h, sigma2, sigma2 / span), {"drift": drift, "sigma2": sigma2}


def shrink(g: float | np.ndarray, v: float, prior) -> tuple[Any, Any]:
    """Normal-normal shrinkage of a growth estimate g (variance v) toward a prior (g0, tau).

    Returns the posterior (mean, variance); no prior or tau = inf leaves (g, v) unchanged.
    Works elementwise on arrays of estimates (the bootstrap refits): floats in, floats out;
    an array in, arrays out.
    """
    if prior is None or not math.isfinite(prior[1]):
        return g, v
    g0, tau = prior
    v = np.maximum(v, 1e-12)
    w = (1 / v) / (1 / v + 1 / tau**2)
    return w * g + (1 - w) * g0, 1 / (1 / v + 1 / tau**2)


# ---------------------------------------------------------------- benchmarks


def naive_drift(z: pd.Series, h: int, scale: Scale) -> ModelFit:
    """Naive with drift on the natural scale: y_T + h (y_T - y_1) / (T - 1)."""
    s = observed(pd.Series(scale.inverse(observed(z).to_numpy()), index=observed(z).index))
    mean, cov, info = _drift_fit(s, h)
    return ModelFit("naive_drift", Scale("identity"), int(s.index[-1]), mean, cov, info=info)


def constant_growth(z: pd.Series, h: int, scale: Scale) -> ModelFit:
    """Constant observed rate: the drift benchmark on the modelling scale (log: compound growth)."""
    s = observed(z)
    mean, cov, info = _drift_fit(s, h)
    return ModelFit("constant_growth", scale, int(s.index[-1]), mean, cov, info=info)


# ---------------------------------------------------------------- regressions on time


def wls_line(s: pd.Series, weights) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The weighted least-squares line value = b0 + b1·(year − newest year) through s (indexed by
    year): (beta = [b0, b1], (XᵀWX)⁻¹, design matrix X). Needs two distinct years."""
    yrs = s.index.to_numpy(dtype=float)
    x = np.column_stack([np.ones_like(yrs), yrs - yrs[-1]])
    xtw = x.T * np.asarray(weights, dtype=float)
    xtwx_inv = np.linalg.inv(xtw @ x)
    return xtwx_inv @ (xtw @ s.to_numpy()), xtwx_inv, x


def _wls_trend(s: pd.Series, h: int, weights: np.ndarray, name: str, scale: Scale) -> ModelFit:
    """Weighted linear trend with its exact Student-t predictive law (flat prior).

    A future year gets weight 1 (the newest year's weight), i.e. the noise of a new year is the
    residual variance at full weight.
    """
    t0 = float(s.index[-1])
    w = np.asarray(weights, dtype=float)
    beta, xtwx_inv, x = wls_line(s, w)
    resid = s.to_numpy() - x @ beta
    dof = len(s) - 2
    s2 = float(np.sum(w * resid**2) / dof)
    x0 = np.column_stack([np.ones(h), np.arange(1, h + 1, dtype=float)])
    mean = x0 @ beta
    cov = s2 * (x0 @ xtwx_inv @ x0.T + np.eye(h))
    info = {"intercept": beta[0], "slope": beta[1], "sigma2": s2}
    return ModelFit(name, scale, int(t0), mean, cov, df=float(dof), info=info)


def log_linear(z: pd.Series, h: int, scale: Scale) -> ModelFit:
    """Linear trend on the modelling scale (log-linear for levels), ordinary least squares."""
    s = observed(z)
    return _wls_trend(s, h, np.ones(len(s)), "log_linear", scale)


def escap_weights(years, half_life: float = ESCAP_HALF_LIFE) -> np.ndarray:
    """Time weights 0.5 ** ((newest - year) / half_life); all ones when half_life is inf."""
    yrs = np.asarray(years, dtype=float)
    if not math.isfinite(half_life):
        return np.ones_like(yrs)
    return 0.5 ** ((yrs.max() - yrs) / half_life)


def escap_wls(z: pd.Series, h: int, scale: Scale, half_life: float = ESCAP_HALF_LIFE) -> ModelFit:
    """ESCAP-style time-weighted linear trend on the modelling scale (recent years weigh more)."""
    s = observed(z)
    fit = _wls_trend(s, h, escap_weights(s.index, half_life), "escap_wls", scale)
    fit.info["half_life"] = half_life
    return fit


# ---------------------------------------------------------------- ARIMA with drift


def _ar1_profile(d: np.ndarray, phi: float):
    """Exact Gaussian AR(1)-with-mean likelihood of d, mean and variance profiled out."""
    n = len(d)
    a = 1 - phi**2
    e = d[1:] - phi * d[:-1]
    mu = (a * d[0] + (1 - phi) * e.sum()) / (a + (n - 1) * (1 - phi) ** 2)
    ssr = a * (d[0] - mu) ** 2 + np.sum((e - (1 - phi) * mu) ** 2)
    sigma2 = ssr / n
    llf = -0.5 * n * (math.log(2 * math.pi * sigma2) + 1) + 0.5 * math.log(a)
    return llf, mu, sigma2


def _aicc(llf: float, k: int, n: int) -> float:
    """Corrected Akaike criterion (inf when n - k - 1 <= 0)."""
    return -2 * llf + 2 * k + (2 * k * (k + 1) / (n - k - 1) if n - k - 1 > 0 else math.inf)


def fit_arima_drift(y: np.ndarray) -> dict:
    """ARIMA(0,1,0)+drift and ARIMA(1,1,0)+drift by exact Gaussian MLE; keep the lower AICc.

    Equivalent to statsmodels `ARIMA(y, order=(p,1,0), trend="t")` (checked in the tests), done in
    numpy so that every indicator can be fitted inside the one-second budget. Returns a dict with
    order, mu (drift), phi, sigma2, llf, aicc (both candidates' AICc in `aicc_by_order`) and
    mu_se (standard error of the drift).
    """
    from scipy.optimize import minimize_scalar

    d = np.diff(np.asarray(y, dtype=float))
    n = len(d)
    mu0 = float(d.mean())
    s0 = float(np.mean((d - mu0) ** 2))
    llf0 = -0.5 * n * (math.log(2 * math.pi * max(s0, 1e-300)) + 1)
    cands: dict[tuple[int, int, int], dict[str, Any]] = {
        (0, 1, 0): {"mu": mu0, "phi": 0.0, "sigma2": s0, "llf": llf0, "k": 2}
    }
    if n >= 5 and s0 > 0:
        res = minimize_scalar(
            lambda p: -_ar1_profile(d, p)[0],
            bounds=(-0.98, 0.98),
            method="bounded",
            options={"xatol": 1e-6},
        )
        llf1, mu1, s1 = _ar1_profile(d, float(res.x))
        cands[(1, 1, 0)] = {"mu": mu1, "phi": float(res.x), "sigma2": s1, "llf": llf1, "k": 3}
    for c in cands.values():
        c["aicc"] = _aicc(c["llf"], c["k"], n)
    order = min(cands, key=lambda o: (cands[o]["aicc"], o))
    best = dict(cands[order])
    phi = best["phi"]
    # long-run variance of the mean of an AR(1): sigma2 / (1 - phi)^2 / n
    best["mu_se"] = math.sqrt(best["sigma2"] / max((1 - phi) ** 2, 1e-6) / n)
    best["order"] = order
    best["aicc_by_order"] = {str(o): c["aicc"] for o, c in cands.items()}
    return best


def _arima_mean(y_last: float, d_last: float, mu, phi, h: int) -> np.ndarray:
    """Mean levels over horizons 1..h: differences revert from d_last to mu at rate phi.

    mu and phi may be arrays of B refits (result (B, h)) or scalars (result (h,)).
    """
    j = np.arange(1, h + 1)
    mu, phi = np.asarray(mu, dtype=float)[..., None], np.asarray(phi, dtype=float)[..., None]
    return y_last + np.cumsum(mu + phi**j * (d_last - mu), axis=-1)


def _ar1_refits(d, mu, phi, rng: np.random.Generator, b: int, ar=True, grid=PHI_GRID):
    """(mu, phi, sigma2) of b refits of an AR(1) with mean (`ar=False`: iid around the mean).

    The series d (ARIMA: the differences; mean reversion: the rates) is rebuilt from the fit with
    its centred residuals drawn with replacement; phi is refitted by exact profile likelihood on
    `grid` (vectorised), the mean and sigma2 profiled out.
    """
    n = len(d)
    e = (d[1:] - mu) - phi * (d[:-1] - mu) if ar else d - mu
    e = e - e.mean()
    if not ar:
        dd = mu + rng.choice(e, size=(b, n), replace=True)
        m = dd.mean(axis=1)
        return m, np.zeros(b), np.mean((dd - m[:, None]) ** 2, axis=1)
    draws = rng.choice(e, size=(b, n - 1), replace=True)
    dd = np.empty((b, n))
    dd[:, 0] = d[0]
    for t in range(1, n):
        dd[:, t] = mu + phi * (dd[:, t - 1] - mu) + draws[:, t - 1]
    k_grid = np.asarray(grid)
    grid = k_grid[None, :, None]
    a = 1 - grid**2
    resid = dd[:, None, 1:] - grid * dd[:, None, :-1]
    m = (a[..., 0] * dd[:, :1] + (1 - grid[..., 0]) * resid.sum(-1)) / (
        a[..., 0] + (n - 1) * (1 - grid[..., 0]) ** 2
    )
    ssr = a[..., 0] * (dd[:, :1] - m) ** 2 + np.sum((resid - (1 - grid) * m[..., None]) ** 2, -1)
    llf = -0.5 * n * np.log(ssr / n) + 0.5 * np.log(a[..., 0])
    k = np.argmax(llf, axis=1)
    rows = np.arange(b)
    return m[rows, k], k_grid[k], ssr[rows, k] / n


def arima_drift(
    z: pd.Series, h: int, scale: Scale, prior=None, rng: np.random.Generator | None = None
) -> ModelFit:
    """ARIMA(p,1,0) with drift, p in {0, 1} by AICc, on the last regular run of years.

    With a growth prior (g0, tau) the drift is shrunk toward it (`shrink`, its standard error as
    the own variance), as the damped-growth member's trend is. Parameter uncertainty: with `rng`,
    BOOTSTRAP_REFITS refits on residual-bootstrap series (phi and the drift, each refit's drift
    shrunk the same way), anchored at the real last figures; the covariance of their mean paths
    is added to the innovations'. Without `rng`: the drift's standard error only (phi fixed).
    """
    s = regular_segment(z)
    p = fit_arima_drift(s.to_numpy())
    mu_post, var_post = shrink(p["mu"], p["mu_se"] ** 2, prior)
    p["mu_own"], p["mu"], p["mu_se"] = p["mu"], float(mu_post), math.sqrt(var_post)
    phi, mu, sigma2 = p["phi"], p["mu"], p["sigma2"]
    y_last, d_last = float(s.iloc[-1]), float(s.iloc[-1] - s.iloc[-2])
    j = np.arange(1, h + 1)
    mean = _arima_mean(y_last, d_last, mu, phi, h)
    # psi[h, i] = sum_{k=i..h} phi^(k-i): effect of the shock in year i on the level in year h
    hh, ii = np.meshgrid(j, j, indexing="ij")
    psi = np.where(ii <= hh, (1 - phi ** np.clip(hh - ii + 1, 0, None)) / (1 - phi), 0.0)
    cov = sigma2 * psi @ psi.T
    if rng is None:
        c = np.cumsum(1 - phi**j)  # loading of the drift on the level
        cov = cov + p["mu_se"] ** 2 * np.outer(c, c)
    else:
        d = np.diff(s.to_numpy(dtype=float))
        ar = p["order"][0] == 1
        m, ph, s2 = _ar1_refits(d, p["mu_own"], phi, rng, BOOTSTRAP_REFITS, ar)
        m, _ = shrink(m, s2 / np.maximum((1 - ph) ** 2, 1e-6) / len(d), prior)
        cov = cov + np.cov(_arima_mean(y_last, d_last, m, ph, h), rowvar=False).reshape(h, h)
        p["bootstrap_refits"] = BOOTSTRAP_REFITS
    return ModelFit("arima_drift", scale, int(s.index[-1]), mean, cov, info=p)


# ---------------------------------------------------------------- statsmodels-based


def _ses_sse(y: np.ndarray, alpha: float) -> tuple[float, float, np.ndarray]:
    """SES from the known initial level y[0]: (sum of squared one-step errors, last level, errors)."""
    level, err = y[0], np.empty(len(y) - 1)
    for t in range(1, len(y)):
        err[t - 1] = y[t] - level
        level += alpha * err[t - 1]
    return float(err @ err), float(level), err


def _ses_levels(y: np.ndarray, alpha) -> np.ndarray:
    """Last SES level of series y (..., n) from the known initial level, for smoothing `alpha`
    (broadcast against y's leading axes)."""
    level = y[..., 0] * np.ones_like(alpha)
    for t in range(1, y.shape[-1]):
        level = level + alpha * (y[..., t] - level)
    return level


def _theta_refits(y, alpha, b0, err, rng, b):
    """(alpha, b0, last level on the REAL series) of b Theta refits on residual-bootstrap series.

    Series are rebuilt by the fitted recursion (SES level plus the drift term, one-step errors
    drawn with replacement); b0 is refitted by OLS and alpha on a 0.01 grid by the SES squared
    one-step errors (vectorised), and each refit's level is that of the real series.
    """
    n = len(y)
    e = np.asarray(err) - np.mean(err)
    draws = rng.choice(e, size=(b, n - 1), replace=True)
    yy = np.empty((b, n))
    yy[:, 0] = lv = y[0]
    for k in range(1, n):
        yy[:, k] = lv + 0.5 * b0 * (1 / alpha - (1 - alpha) ** k / alpha) + draws[:, k - 1]
        lv = alpha * yy[:, k] + (1 - alpha) * lv
    t = np.arange(n, dtype=float) - (n - 1) / 2
    slopes = yy @ t / float(t @ t)
    a = ALPHA_GRID[None, :]
    level, sse = yy[:, :1] * np.ones_like(a), np.zeros((b, len(ALPHA_GRID)))
    for k in range(1, n):
        step = yy[:, k : k + 1] - level
        sse += step**2
        level = level + a * step
    alphas = ALPHA_GRID[np.argmin(sse, axis=1)]
    return alphas, slopes, _ses_levels(y, alphas)


def theta(
    z: pd.Series, h: int, scale: Scale, prior=None, rng: np.random.Generator | None = None
) -> ModelFit:
    """Theta method (theta = 2, Hyndman & Billah 2003): SES plus half the OLS trend.

    As statsmodels' ThetaModel (checked in the tests), in numpy for speed: b0 = OLS slope on
    time, alpha minimises the SES one-step squared errors from the known initial level y_1;
    forecast l_T + b0/2 (h - 1 + 1/alpha - (1 - alpha)^T / alpha). It starts from the smoothed
    level l_T, not y_T (the method's hedge against a noisy last figure). sigma2 is the mean
    squared one-step error of the theta forecast itself (SES level plus its drift term), and the
    law that of SES as an IMA(1,1), plus parameter uncertainty: with `rng`, the covariance of the
    mean paths of BOOTSTRAP_REFITS refits (alpha and b0, on residual-bootstrap series, each
    forecast from the real series), else the OLS slope's variance loaded by half the trend term.
    With a growth prior (g0, tau) the slope b0 (and each refit's) is shrunk toward it (`shrink`)
    before forecasting.
    """
    from scipy.optimize import minimize_scalar

    s = regular_segment(z)
    y = s.to_numpy(dtype=float)
    n = len(y)
    t = np.arange(n, dtype=float)
    b0 = float(np.polyfit(t, y, 1)[0])
    res = minimize_scalar(
        lambda a: _ses_sse(y, a)[0], bounds=(1e-4, 1.0), method="bounded", options={"xatol": 1e-6}
    )
    alpha = float(res.x)
    _, level, _ = _ses_sse(y, alpha)
    j = np.arange(1, h + 1, dtype=float)
    load = 0.5 * (j - 1 + 1 / alpha - (1 - alpha) ** n / alpha)
    lv, err = y[0], []
    for k in range(1, n):
        err.append(y[k] - (lv + 0.5 * b0 * (1 / alpha - (1 - alpha) ** k / alpha)))
        lv = alpha * y[k] + (1 - alpha) * lv
    sigma2 = float(np.sum(np.square(err)) / max(len(err) - 1, 1))
    hh, ii = np.meshgrid(j, j, indexing="ij")
    psi = np.where(ii < hh, alpha, 0.0) + np.eye(h)
    b0_var = sigma2 / float(np.sum((t - t.mean()) ** 2))
    b0_own = b0
    b0, b0_var = shrink(b0, b0_var, prior)
    b0 = float(b0)
    mean = level + b0 * load
    cov = sigma2 * psi @ psi.T
    info = {"alpha": alpha, "b0": b0, "b0_own": b0_own, "sigma2": sigma2}
    if rng is None:
        cov = cov + b0_var * np.outer(load, load)
    else:
        al, sl, lvs = _theta_refits(y, alpha, b0_own, err, rng, BOOTSTRAP_REFITS)
        sl, _ = shrink(sl, sigma2 / float(np.sum((t - t.mean()) ** 2)), prior)
        ld = 0.5 * (j[None, :] - 1 + (1 - (1 - al[:, None]) ** n) / al[:, None])
        cov = cov + np.cov(lvs[:, None] + sl[:, None] * ld, rowvar=False).reshape(h, h)
        info["bootstrap_refits"] = BOOTSTRAP_REFITS
    return ModelFit("theta", scale, int(s.index[-1]), mean, cov, info=info)


# ---------------------------------------------------------------- damped growth toward a prior


def damped_growth(
    z: pd.Series, h: int, scale: Scale, prior: tuple[float, float] | None = None
) -> ModelFit:
    """Random walk whose drift starts at a shrunken own trend and decays toward a pooled prior.

    Own trend g_r = (z_T - z_1) / span with variance sigma2 / span (the drift fit). With a prior
    (g0, tau) on the forecasting scale, g* = precision-weighted mean of g_r and g0 (normal-normal
    shrinkage); `prior=None` means no pooled information (g0 = g* = g_r: constant growth) and
    `prior=(0, inf)` damps the own trend toward no change (shares, rates). Growth in year T + j:
    g0 + DAMPING^j (g* - g0). Law: random-walk noise sigma2 per year plus the posterior
    uncertainty of g*, loaded by the damped cumulative sum.
    """
    s = observed(z)
    _, _, info = _drift_fit(s, 1)
    span = float(s.index[-1] - s.index[0])
    g_r, sigma2 = info["drift"], info["sigma2"]
    v_r = max(sigma2 / span, 1e-12)
    if prior is None:
        g0, g_star, v_star = g_r, g_r, v_r
    else:
        g0, tau = prior
        w = 1 / v_r / (1 / v_r + 1 / tau**2)
        g_star, v_star = w * g_r + (1 - w) * g0, 1 / (1 / v_r + 1 / tau**2)
    j = np.arange(1, h + 1)
    c = np.cumsum(DAMPING**j)
    mean = float(s.iloc[-1]) + g0 * j + (g_star - g0) * c
    cov = _rw_cov(h, sigma2, 0.0) + v_star * np.outer(c, c)
    info = {"g_own": g_r, "g_prior": g0, "g_shrunk": g_star, "sigma2": sigma2, "damping": DAMPING}
    return ModelFit("damped_growth", scale, int(s.index[-1]), mean, cov, info=info)


# ---------------------------------------------------------------- mean reversion (rates)


def mean_reversion(
    z: pd.Series, h: int, scale: Scale, rng: np.random.Generator | None = None
) -> ModelFit:
    """AR(1) toward the training mean: mu + phi^j (z_T - mu), for growth rates.

    The standard benchmark for a rate that reverts to its mean: it starts from the last figure
    and forgets it at rate phi. Exact Gaussian AR(1) MLE on the last regular run of years
    (phi in [0, 0.98]: a negative phi would make a yearly rate oscillate), sigma2 with n - 2
    degrees of freedom. Parameter uncertainty: with `rng`, the covariance of the mean paths of
    BOOTSTRAP_REFITS refits (phi on the same [0, 0.98] grid, and the mean) on residual-bootstrap
    series; without, the mean's long-run variance / n loaded by 1 - phi^j (phi fixed).
    """
    from scipy.optimize import minimize_scalar

    s = regular_segment(z)
    d = s.to_numpy(dtype=float)
    n = len(d)
    res = minimize_scalar(
        lambda p: -_ar1_profile(d, p)[0],
        bounds=(0.0, 0.98),
        method="bounded",
        options={"xatol": 1e-6},
    )
    phi = float(res.x)
    _, mu, sigma2 = _ar1_profile(d, phi)
    sigma2 *= n / max(n - 2, 1)
    j = np.arange(1, h + 1)
    mean = mu + phi**j * (d[-1] - mu)
    hh, ii = np.meshgrid(j, j, indexing="ij")
    psi = np.where(ii <= hh, phi ** np.clip(hh - ii, 0, None), 0.0)
    cov = sigma2 * psi @ psi.T
    info = {"phi": phi, "mu": mu, "sigma2": sigma2}
    if rng is None:
        load = 1 - phi**j
        cov = cov + sigma2 / max((1 - phi) ** 2, 1e-6) / n * np.outer(load, load)
    else:
        m, ph, _ = _ar1_refits(d, mu, phi, rng, BOOTSTRAP_REFITS, grid=PHI_GRID[PHI_GRID >= 0])
        paths = m[:, None] + ph[:, None] ** j * (d[-1] - m[:, None])
        cov = cov + np.cov(paths, rowvar=False).reshape(h, h)
        info["bootstrap_refits"] = BOOTSTRAP_REFITS
    return ModelFit("mean_reversion", scale, int(s.index[-1]), mean, cov, info=info)


# ---------------------------------------------------------------- registry and fitting

MODELS: dict[str, Callable[[pd.Series, int, Scale], ModelFit]] = {
    "naive_drift": naive_drift,
    "constant_growth": constant_growth,
    "log_linear": log_linear,
    "arima_drift": arima_drift,
    "theta": theta,
    "damped_growth": damped_growth,
    "escap_wls": escap_wls,
    "mean_reversion": mean_reversion,
}
REGULAR = ("arima_drift", "theta", "mean_reversion")
# parameter uncertainty by bootstrap refits (rng=): the AR terms and Theta's smoothing
BOOTSTRAPPED = ("arima_drift", "theta", "mean_reversion")
PRIOR_MODELS = (
    "arima_drift",
    "theta",
    "damped_growth",
)  # take the pooled growth prior  # need consecutive years


def usable_points(name: str, z: pd.Series) -> int:
    """How many observations model `name` would use (regular run for ARIMA/ETS/Theta)."""
    return len(regular_segment(z)) if name in REGULAR else len(observed(z))


def fit_all(
    z: pd.Series,
    h: int,
    scale: Scale,
    names=None,
    indicator: str = "series",
    prior: tuple[float, float] | None = None,
    rng: np.random.Generator | None = None,
):
    """Fit every model that has enough points; returns ({name: ModelFit}, {name: reason skipped}).

    `z` is on the forecasting scale `scale`; `prior` (g0, tau), on that scale, is the trend
    members' growth prior; `rng` seeds the bootstrap refits of BOOTSTRAPPED (None: analytic
    parameter uncertainty only). Raises InsufficientData when not even the benchmarks can be fitted
    (fewer than 2 points). A model whose fit fails numerically is skipped with the error as its
    reason.
    """
    names = tuple(names or MODELS)
    n = len(observed(z))
    if n < MIN_POINTS["naive_drift"]:
        raise InsufficientData(indicator, n, MIN_POINTS["naive_drift"])
    fits, skipped = {}, {}
    for name in names:
        k = usable_points(name, z)
        if k < MIN_POINTS[name]:
            skipped[name] = f"{k} usable points, needs {MIN_POINTS[name]}"
            continue
        try:
            kw: dict[str, Any] = {"prior": prior} if name in PRIOR_MODELS else {}
            if name in BOOTSTRAPPED:
                kw["rng"] = rng
            fit = MODELS[name](z, h, scale, **kw)
        except (np.linalg.LinAlgError, ValueError, FloatingPointError) as err:
            skipped[name] = f"fit failed: {err}"
            continue
        if not (np.all(np.isfinite(fit.mean)) and np.all(np.isfinite(fit.cov))):
            skipped[name] = "fit gave non-finite forecasts"
            continue
        fits[name] = fit
    return fits, skipped


def ensemble_members(fits: dict) -> list[str]:
    """Names of the fitted ENSEMBLE members (the equal-weight mixture)."""
    return [n for n in ENSEMBLE if n in fits]


def mixture_quantiles(fits: list[ModelFit], probs) -> np.ndarray:
    """Quantiles of the equal-weight mixture of the fits' marginals, natural scale (P, H).

    The fits may sit on different scales (naive drift on the natural one). The mixture CDF, the
    mean of the members' CDFs at a natural value, is inverted per horizon by bisection on the
    scale of the last fit (monotone transforms: quantiles carry over to natural units).
    """
    probs = np.asarray(probs, dtype=float)
    ref = fits[-1].scale
    with np.errstate(over="ignore", divide="ignore"):
        ends = np.stack([ref.forward_clipped(f.quantiles([1e-9, 1 - 1e-9])) for f in fits])
    ends = np.nan_to_num(ends.reshape(-1, ends.shape[-1]), posinf=700.0, neginf=-700.0)
    lo = np.broadcast_to(ends.min(0), (len(probs), ends.shape[1])).copy()
    hi = np.broadcast_to(ends.max(0), (len(probs), ends.shape[1])).copy()
    target = probs[:, None]
    cdfs = [(f.scale, f.cdf_on_scale()) for f in fits]
    scales = {f.scale for f in fits}
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        x = ref.inverse(mid)
        z = {scale: scale.forward_clipped(x) for scale in scales}
        below = np.mean([cdf(z[scale]) for scale, cdf in cdfs], axis=0) < target
        lo = np.where(below, mid, lo)
        hi = np.where(below, hi, mid)
    return ref.inverse(0.5 * (lo + hi))
