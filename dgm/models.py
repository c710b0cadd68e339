"""Forecasters: an annual series on a modelling scale -> joint predictive law of the next H years.

Every model returns a `ModelFit`: the predictive mean over horizons 1..H and the full H x H
covariance on its scale (so paths, fan charts, P(goal met) and first-crossing years all come from
one law), plus degrees of freedom (inf = Gaussian; finite = Student t, for the regressions whose
exact predictive law under a flat prior is t). Simulation (dgm.simulate) is then one vectorised
draw per model, and the backtest reads quantiles off the same law without simulating.

Input everywhere: `z`, a pandas Series of floats on the modelling scale indexed by int year,
possibly with missing years (absent or NaN). Models that need equally spaced data (ARIMA, ETS,
Theta) use the last run of consecutive years after filling isolated one-year gaps linearly;
the log-linear trend, the ESCAP regression and the local-linear-trend state-space model use the
years as they are.

Benchmarks: naive_drift (y_T + h (y_T - y_1) / (T - 1), on the natural scale as the issue defines
it) and constant_growth (the same on the modelling scale: constant compound growth for logged
levels). The ensemble is the equal-weight mixture of the non-benchmark models that could be fitted.
statsmodels is imported inside the functions that use it.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from dgm.transforms import Scale

BENCHMARKS = ("naive_drift", "constant_growth")
NON_BENCHMARKS = ("log_linear", "ets_damped", "arima_drift", "theta", "uc_llt", "escap_wls")
# fewest observed years each model needs (below: the model is skipped, never guessed)
MIN_POINTS = {
    "naive_drift": 2,
    "constant_growth": 2,
    "log_linear": 4,
    "escap_wls": 4,
    "arima_drift": 6,
    "theta": 5,
    "uc_llt": 6,
    "ets_damped": 8,
}
# ESCAP-style time weights: weight of year t = 0.5 ** ((t_last - t) / half-life), newest year = 1
ESCAP_HALF_LIFE = 5.0
ESCAP_HALF_LIVES = (2.0, 5.0, 10.0, math.inf)  # sensitivity table; inf = ordinary least squares
JITTER = 1e-12


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
        from scipy import stats

        probs = np.asarray(probs, dtype=float)
        sd = np.sqrt(np.maximum(np.diag(self.cov), 0))
        q = stats.t.ppf(probs, self.df) if math.isfinite(self.df) else stats.norm.ppf(probs)
        return self.scale.inverse(self.mean[None, :] + q[:, None] * sd[None, :])

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
    """Finite values sorted by int year."""
    s = pd.Series(z, dtype=float).dropna()
    s.index = s.index.astype(int)
    return s.sort_index()


def regular_segment(z: pd.Series) -> pd.Series:
    """Last run of consecutive years, isolated one-year gaps filled linearly (modelling scale)."""
    s = observed(z)
    if s.empty:
        return s
    full = s.reindex(range(int(s.index.min()), int(s.index.max()) + 1))
    isolated = full.isna() & full.shift(1).notna() & full.shift(-1).notna()
    full[isolated] = ((full.shift(1) + full.shift(-1)) / 2)[isolated]
    gaps = np.flatnonzero(full.isna().to_numpy())
    start = gaps[-1] + 1 if gaps.size else 0
    return full.iloc[start:]


def _rw_cov(h: int, sigma2: float, drift_var: float) -> np.ndarray:
    """Covariance of a random walk with an uncertain drift over horizons 1..h."""
    k = np.arange(1, h + 1, dtype=float)
    return sigma2 * np.minimum.outer(k, k) + drift_var * np.outer(k, k)


def _drift_fit(s: pd.Series, h: int):
    """Mean and covariance of a random walk with drift fitted to the first and last points.

    Drift = (y_T - y_1) / (t_T - t_1) (year span, so gaps are fine); the innovation variance comes
    from the yearly steps around the drift, a step over a gap of g years counting as g steps.
    """
    yrs = s.index.to_numpy(dtype=float)
    v = s.to_numpy(dtype=float)
    span = yrs[-1] - yrs[0]
    drift = (v[-1] - v[0]) / span
    g = np.diff(yrs)
    e = (np.diff(v) - g * drift) / np.sqrt(g)
    sigma2 = float(np.sum(e**2) / max(len(e) - 1, 1)) if len(e) > 1 else 0.0
    mean = v[-1] + drift * np.arange(1, h + 1)
    return mean, _rw_cov(h, sigma2, sigma2 / span), {"drift": drift, "sigma2": sigma2}


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


def _wls_trend(s: pd.Series, h: int, weights: np.ndarray, name: str, scale: Scale) -> ModelFit:
    """Weighted linear trend with its exact Student-t predictive law (flat prior).

    A future year gets weight 1 (the newest year's weight), i.e. the noise of a new year is the
    residual variance at full weight.
    """
    yrs = s.index.to_numpy(dtype=float)
    t0 = yrs[-1]
    x = np.column_stack([np.ones_like(yrs), yrs - t0])
    w = np.asarray(weights, dtype=float)
    xtw = x.T * w
    xtwx_inv = np.linalg.inv(xtw @ x)
    beta = xtwx_inv @ (xtw @ s.to_numpy())
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
    cands = {(0, 1, 0): {"mu": mu0, "phi": 0.0, "sigma2": s0, "llf": llf0, "k": 2}}
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


def arima_drift(z: pd.Series, h: int, scale: Scale) -> ModelFit:
    """ARIMA(p,1,0) with drift, p in {0, 1} by AICc, on the last regular run of years."""
    s = regular_segment(z)
    p = fit_arima_drift(s.to_numpy())
    phi, mu, sigma2 = p["phi"], p["mu"], p["sigma2"]
    d_last = float(s.iloc[-1] - s.iloc[-2])
    j = np.arange(1, h + 1)
    # mean: differences revert from the last one to mu at rate phi
    dmean = mu + phi**j * (d_last - mu)
    mean = float(s.iloc[-1]) + np.cumsum(dmean)
    # psi[h, i] = sum_{k=i..h} phi^(k-i): effect of the shock in year i on the level in year h
    hh, ii = np.meshgrid(j, j, indexing="ij")
    psi = np.where(ii <= hh, (1 - phi ** np.clip(hh - ii + 1, 0, None)) / (1 - phi), 0.0)
    c = np.cumsum(1 - phi**j)  # loading of the drift on the level
    cov = sigma2 * psi @ psi.T + p["mu_se"] ** 2 * np.outer(c, c)
    return ModelFit("arima_drift", scale, int(s.index[-1]), mean, cov, info=p)


# ---------------------------------------------------------------- statsmodels-based


def _quiet():
    """Context silencing statsmodels' convergence chatter (the fits are checked, not trusted)."""
    ctx = warnings.catch_warnings()
    ctx.__enter__()
    warnings.simplefilter("ignore")
    return ctx


def ets_damped(z: pd.Series, h: int, scale: Scale) -> ModelFit:
    """Damped additive-trend exponential smoothing, statsmodels ETSModel (A,Ad,N), by MLE."""
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    s = regular_segment(z)
    ctx = _quiet()
    try:
        res = ETSModel(pd.Series(s.to_numpy()), error="add", trend="add", damped_trend=True).fit(
            disp=False
        )
    finally:
        ctx.__exit__(None, None, None)
    alpha, beta, phi = (float(v) for v in np.asarray(res.params)[:3])
    level, trend = (float(v) for v in np.asarray(res.states)[-1])
    sigma2 = float(res.mse)
    j = np.arange(1, h + 1)
    mean = level + np.cumsum(phi**j) * trend
    # y_{T+h} = mean + e_{T+h} + sum_{i<h} (alpha + beta * sum_{k=1..h-i} phi^k) e_{T+i}
    cphi = np.concatenate([[0.0], np.cumsum(phi**j)])
    hh, ii = np.meshgrid(j, j, indexing="ij")
    psi = np.where(ii < hh, alpha + beta * cphi[np.clip(hh - ii, 0, h)], 0.0) + np.eye(h)
    cov = sigma2 * psi @ psi.T
    info = {
        "alpha": alpha,
        "beta": beta,
        "phi": phi,
        "sigma2": sigma2,
        "level": level,
        "trend": trend,
    }
    return ModelFit("ets_damped", scale, int(s.index[-1]), mean, cov, info=info)


def theta(z: pd.Series, h: int, scale: Scale) -> ModelFit:
    """Theta method (statsmodels ThetaModel, theta = 2, no seasonality): SES plus half the trend.

    Point forecasts are statsmodels'. For sigma2, statsmodels fits a separate SARIMAX(0,1,1) by
    MLE (about 0.4 s); we take the mean squared in-sample one-step error of the theta forecast
    itself (SES level plus the drift term), the same quantity for the IMA(1,1) the method implies.
    """
    from statsmodels.tsa.forecasting.theta import ThetaModel

    s = regular_segment(z)
    y = s.to_numpy()
    ctx = _quiet()
    try:
        res = ThetaModel(y, period=1, deseasonalize=False).fit()
        mean = np.asarray(res.forecast(h), dtype=float)
    finally:
        ctx.__exit__(None, None, None)
    alpha = float(res.params["alpha"])
    b0 = float(res.params["b0"])
    level, err = y[0], []
    for t in range(1, len(y)):
        a = max(alpha, 1e-6)
        drift = 0.5 * b0 * (1 / a - (1 - a) ** t / a)
        err.append(y[t] - (level + drift))
        level = alpha * y[t] + (1 - alpha) * level
    sigma2 = float(np.mean(np.square(err)))
    # SES as an IMA(1,1): y_{T+h} = l_T + e_{T+h} + alpha * sum_{i<h} e_{T+i}
    j = np.arange(1, h + 1)
    hh, ii = np.meshgrid(j, j, indexing="ij")
    psi = np.where(ii < hh, alpha, 0.0) + np.eye(h)
    cov = sigma2 * psi @ psi.T
    info = {"alpha": alpha, "b0": b0, "sigma2": sigma2}
    return ModelFit("theta", scale, int(s.index[-1]), mean, cov, info=info)


def uc_llt(z: pd.Series, h: int, scale: Scale) -> ModelFit:
    """Local linear trend (statsmodels UnobservedComponents); missing years enter as NaN."""
    from statsmodels.tsa.statespace.structural import UnobservedComponents

    s = observed(z)
    full = s.reindex(range(int(s.index.min()), int(s.index.max()) + 1))
    ctx = _quiet()
    try:
        res = UnobservedComponents(full.to_numpy(), level="local linear trend").fit(
            disp=False, method="nm", maxiter=400
        )
    finally:
        ctx.__exit__(None, None, None)
    s_irr, s_lvl, s_trd = (max(float(v), 0.0) for v in np.asarray(res.params)[:3])
    a = np.asarray(res.predicted_state)[:, -1]
    p = np.asarray(res.predicted_state_cov)[:, :, -1]
    tmat = np.array([[1.0, 1.0], [0.0, 1.0]])
    q = np.diag([s_lvl, s_trd])
    # loadings of y_{T+1..T+h} on: initial state deviation (2), state shocks (2 per step), noise (h)
    n_sh = 2 * (h - 1)
    load = np.zeros((h, 2 + n_sh + h))
    mean = np.empty(h)
    m_state, l_state = a.copy(), np.zeros((2, 2 + n_sh + h))
    l_state[:, :2] = np.eye(2)
    for k in range(h):
        mean[k] = m_state[0]
        load[k] = l_state[0]
        load[k, 2 + n_sh + k] = 1.0
        m_state = tmat @ m_state
        l_state = tmat @ l_state
        if k < h - 1:
            l_state[:, 2 + 2 * k : 4 + 2 * k] += np.eye(2)
    blocks = [p] + [q] * (h - 1) + [np.diag(np.full(h, s_irr))]
    from scipy.linalg import block_diag

    cov = load @ block_diag(*blocks) @ load.T
    info = {
        "sigma2_irregular": s_irr,
        "sigma2_level": s_lvl,
        "sigma2_trend": s_trd,
        "llf": float(res.llf),
    }
    return ModelFit("uc_llt", scale, int(s.index[-1]), mean, cov, info=info)


# ---------------------------------------------------------------- registry and fitting

MODELS: dict[str, Callable[[pd.Series, int, Scale], ModelFit]] = {
    "naive_drift": naive_drift,
    "constant_growth": constant_growth,
    "log_linear": log_linear,
    "ets_damped": ets_damped,
    "arima_drift": arima_drift,
    "theta": theta,
    "uc_llt": uc_llt,
    "escap_wls": escap_wls,
}
REGULAR = ("arima_drift", "ets_damped", "theta")  # need consecutive years


def usable_points(name: str, z: pd.Series) -> int:
    """How many observations model `name` would use (regular run for ARIMA/ETS/Theta)."""
    return len(regular_segment(z)) if name in REGULAR else len(observed(z))


def fit_all(z: pd.Series, h: int, scale: Scale, names=None, indicator: str = "series"):
    """Fit every model that has enough points; returns ({name: ModelFit}, {name: reason skipped}).

    Raises InsufficientData when not even the benchmarks can be fitted (fewer than 2 points).
    A model whose fit fails numerically is skipped with the error as its reason.
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
            fit = MODELS[name](z, h, scale)
        except (np.linalg.LinAlgError, ValueError, FloatingPointError) as err:
            skipped[name] = f"fit failed: {err}"
            continue
        if not (np.all(np.isfinite(fit.mean)) and np.all(np.isfinite(fit.cov))):
            skipped[name] = "fit gave non-finite forecasts"
            continue
        fits[name] = fit
    return fits, skipped


def ensemble_members(fits: dict) -> list[str]:
    """Names of the fitted non-benchmark models (the equal-weight ensemble)."""
    return [n for n in NON_BENCHMARKS if n in fits]


def mixture_quantiles(fits: list[ModelFit], probs) -> np.ndarray:
    """Quantiles of the equal-weight mixture of the fits' marginals, natural scale (P, H).

    All fits must share a scale; the mixture CDF is inverted per horizon by bisection on the
    modelling scale (the transform is monotone, so quantiles carry over to natural units).
    """
    from scipy import stats

    probs = np.asarray(probs, dtype=float)
    mu = np.stack([f.mean for f in fits])  # (M, H)
    sd = np.stack([np.sqrt(np.maximum(np.diag(f.cov), 1e-300)) for f in fits])
    dfs = [f.df for f in fits]

    def cdf(x):  # x (P, H) -> (P, H)
        tot = np.zeros_like(x)
        for m, df in enumerate(dfs):
            u = (x - mu[m]) / sd[m]
            tot += stats.t.cdf(u, df) if math.isfinite(df) else stats.norm.cdf(u)
        return tot / len(dfs)

    lo = np.broadcast_to((mu - 60 * sd).min(0), (len(probs), mu.shape[1])).copy()
    hi = np.broadcast_to((mu + 60 * sd).max(0), (len(probs), mu.shape[1])).copy()
    target = probs[:, None]
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        below = cdf(mid) < target
        lo = np.where(below, mid, lo)
        hi = np.where(below, hi, mid)
    return fits[0].scale.inverse(0.5 * (lo + hi))
