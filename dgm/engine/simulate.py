"""Simulated futures: an indicator's history -> paths, fan quantiles, P(goal met), crossing years.

The ensemble is an equal-weight mixture: n_paths are split evenly among the fitted members
(dgm.engine.models.ENSEMBLE), each drawing joint paths from its own predictive law on its scale, back-
transformed to natural units. The mixture is then calibrated (dgm.engine.ensemble): each year's marginal
is replaced by the ensemble median and spread times the calibrated law of the pooled
rolling-origin errors of every indicator (dgm.engine.calibration; mixed with a heavy-tailed
prior), keeping every path's
rank, so fans, P(goal met) and crossing years read the calibrated law. The forecasting scale (the goal kind's or the natural level) is chosen by cross-validation on
the history (dgm.engine.ensemble.choose_scale). Seeding goes through one
numpy.random.Generator per indicator (dgm.engine.ensemble.rng_for) (seed and indicator name), so a goal's numbers do not depend on
which other goals are assessed. Published bounds in forecast years constrain the paths: paths that
violate a bound (a "突破2.5万亿" lower bound, say) are dropped before probabilities are read.
Bounds inside the history (before the last point figure) enter the fits as censored observations
where they fall on a single missing year (dgm.engine.ensemble.censored_fill); the note names any other.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from dgm.constants import N_PATHS, SEED, TO_YEAR
from dgm.data.loaders import load_targets, series
from dgm.engine import calibration, ensemble, rates
from dgm.engine.ensemble import MIN_FORECAST_POINTS, kind_for_indicator, rng_for
from dgm.engine.goals import split_series
from dgm.engine.models import InsufficientData, ensemble_members, observed

# quantile levels: 5-95 % in 10 % bands (every 5 %), plus 2.5/97.5 (95 % band) and 10/90 (80 %)
QUANTILES = tuple(sorted({0.025, 0.975, 0.1, 0.9} | {round(0.05 * k, 2) for k in range(1, 20)}))
MIN_KEPT_SHARE = 0.01  # bounds that leave fewer paths than this share are reported, not applied


@dataclass
class Forecast:
    """Ensemble forecast of one indicator on its natural scale (a projection, labelled as such)."""

    indicator: str
    unit: str
    years: np.ndarray  # forecast years (after the last observed point)
    paths: np.ndarray  # (n_paths, n_years), natural scale, after bound constraints
    quantiles: pd.DataFrame  # index year, float columns = probability levels
    point: pd.Series  # ensemble median by year
    models: dict  # name -> point Series (bias-adjusted mean) for every fitted model
    history: pd.Series  # observed points used (natural scale; chained index for reductions)
    kind: str = "level"
    scale: str = "log"
    members: list = field(default_factory=list)
    skipped: dict = field(default_factory=dict)
    bounds: pd.DataFrame | None = None
    notes: list = field(default_factory=list)
    fits: dict = field(default_factory=dict, repr=False)
    calibration_n: int = 0  # backtest errors the bands are calibrated on (beside the prior)

    def prob(self, comparison: str, target: float, year: int, sign: int | None = None) -> float:
        """P(goal met in `year`): from the data when observed, else from the paths."""
        sign = sign if sign is not None else rates.direction(comparison)
        if year in self.history.index:
            return float(rates.meets(self.history.loc[year], comparison, target, sign))
        if year not in set(self.years.tolist()):
            return float("nan")
        j = int(np.flatnonzero(self.years == year)[0])
        return float(np.mean(rates.meets(self.paths[:, j], comparison, target, sign)))

    def crossing(self, comparison: str, target: float, sign: int | None = None) -> pd.Series:
        """Distribution of the first year the goal is met (index year, plus "never" by the horizon).

        A goal already met in the history has all its mass on the first observed year it was met.
        """
        sign = sign if sign is not None else rates.direction(comparison)
        return crossing_distribution(self.history, self.years, self.paths, comparison, target, sign)


# ---------------------------------------------------------------- pure helpers


def mixture_paths(fits: dict, members: list, n_paths: int, rng: np.random.Generator) -> np.ndarray:
    """Equal-weight mixture: n_paths split evenly among members, shuffled; natural scale."""
    k = len(members)
    counts = [n_paths // k + (1 if i < n_paths % k else 0) for i in range(k)]
    parts = [
        fits[m].scale.inverse(fits[m].sample(rng, c))
        for m, c in zip(members, counts, strict=True)
        if c > 0
    ]
    z = np.concatenate(parts, axis=0)
    return z[rng.permutation(len(z))]


def bounds_mask(paths: np.ndarray, years: np.ndarray, bounds: pd.DataFrame) -> np.ndarray:
    """Boolean (n_paths,) mask of paths consistent with every bound in the forecast years."""
    keep = np.ones(paths.shape[0], dtype=bool)
    if bounds is None or len(bounds) == 0:
        return keep
    pos = {int(y): j for j, y in enumerate(years)}
    for year, row in bounds.iterrows():
        j = pos.get(int(year))
        if j is None:
            continue
        if row["kind"] == "lower_bound":
            keep &= paths[:, j] >= row["value"]
        elif row["kind"] == "upper_bound":
            keep &= paths[:, j] <= row["value"]
    return keep


def crossing_distribution(history, years, paths, comparison, target, sign) -> pd.Series:
    """P(first year the goal is met = y) for each year, plus "never" (not met by the last year)."""
    hist_met = [int(y) for y, v in history.items() if rates.meets(v, comparison, target, sign)]
    labels = [int(y) for y in years] + ["never"]
    if hist_met:
        out = pd.Series(0.0, index=[min(hist_met)] + labels)
        out.iloc[0] = 1.0
        return out
    if paths.size == 0:
        return pd.Series([1.0], index=["never"])
    met = rates.meets(paths, comparison, target, sign)
    any_met = met.any(axis=1)
    first = np.where(any_met, met.argmax(axis=1), len(years))
    counts = np.bincount(first, minlength=len(years) + 1) / len(first)
    return pd.Series(counts, index=labels)


def median_crossing_year(dist: pd.Series) -> int | None:
    """Median of a crossing distribution; None when "never" holds half or more of the mass."""
    cum = 0.0
    for label, p in dist.items():
        cum += p
        if cum >= 0.5:
            return None if label == "never" else int(label)
    return None


def quantile_frame(paths: np.ndarray, years, probs=QUANTILES) -> pd.DataFrame:
    """Per-year quantiles of natural-scale paths: index year, float columns = probabilities."""
    q = np.quantile(paths, probs, axis=0).T if paths.size else np.empty((0, len(probs)))
    return pd.DataFrame(
        q, index=pd.Index([int(y) for y in years], name="year"), columns=[float(p) for p in probs]
    )


# ---------------------------------------------------------------- the forecast


def forecast_history(
    history: pd.Series,
    kind: str,
    indicator: str = "series",
    unit: str = "",
    to_year: int = TO_YEAR,
    n_paths: int = N_PATHS,
    seed: int = SEED,
    bounds: pd.DataFrame | None = None,
    models: tuple | None = None,
    pool="shipped",
    prior="pooled",
    as_of=None,
    data_to: int | None = None,
) -> Forecast:
    """Forecast from plain pandas: `history` = point values by int year on the natural scale.

    `kind` is the goal kind (level, share, count, index, growth_rate; a reduction's history must
    already be the chained index, kind "index"). Raises InsufficientData below
    MIN_FORECAST_POINTS observed points. `models` restricts the model names fitted (default: all
    of dgm.engine.models.MODELS). `pool`: the ErrorPool calibrating the bands ("shipped": the backtest
    errors of the catalogue indicators on the data published by `as_of`; None: the
    uncalibrated mixture). `prior`: the damped-growth member's (g0, tau) in log growth a year
    ("pooled": from the other catalogue indicators; None: damp toward no change).
    """
    hist = observed(history)
    n = len(hist)
    if n < MIN_FORECAST_POINTS:
        raise InsufficientData(indicator, n, MIN_FORECAST_POINTS)
    last = int(hist.index.max())
    if isinstance(pool, str) or isinstance(prior, str):
        shipped_pool, _, histories = calibration.shipped_context(as_of, data_to)
        pool = shipped_pool if isinstance(pool, str) else pool
        if isinstance(prior, str):
            prior = ensemble.growth_prior(histories, last, exclude=indicator)
    h = max(int(to_year) - last, 1)
    early = None if bounds is None else bounds[[int(y) <= last for y in bounds.index]]
    rng = rng_for(seed, indicator)
    scale, fits, skipped, notes = ensemble.fit_members(
        hist, kind, h, prior, models, indicator, early, rng
    )
    members = ensemble_members(fits)
    if not members:
        raise InsufficientData(indicator, n, MIN_FORECAST_POINTS, "an ensemble")
    years = np.arange(last + 1, last + 1 + h)
    paths = mixture_paths(fits, members, n_paths, rng)
    n_cal = 0
    if pool is not None:
        paths = ensemble.calibrate_paths(paths, scale, pool, years - last)
        n_cal = pool.size()
    keep = bounds_mask(paths, years, bounds)
    if bounds is not None and len(bounds):
        inside = bounds[[int(y) in set(years.tolist()) for y in bounds.index]]
        if len(inside):
            share = keep.mean()
            if share >= MIN_KEPT_SHARE:
                paths = paths[keep]
                notes.append(f"{len(inside)} published bound(s) applied; {share:.1%} of paths kept")
            else:
                notes.append(
                    f"published bounds leave only {share:.2%} of paths; not applied "
                    "(the models disagree with the published bound)"
                )
    qf = quantile_frame(paths, years)
    qf.attrs["calibrated_on"] = n_cal
    point = qf[0.5].rename("ensemble")
    points = {}
    for name, f in fits.items():
        points[name] = pd.Series(f.point(), index=pd.Index(f.years, name="year"), name=name)
    return Forecast(
        indicator=indicator,
        unit=unit,
        years=years,
        paths=paths,
        quantiles=qf,
        point=point,
        models=points,
        history=hist,
        kind=kind,
        scale=scale.name,
        members=members,
        skipped=skipped,
        bounds=bounds,
        notes=notes,
        fits=fits,
        calibration_n=n_cal,
    )


def _goal_row(goal):
    """A goal given as id, dict or registry row (Series) -> dict (None stays None)."""
    if goal is None:
        return None
    if isinstance(goal, str):
        t = load_targets()
        row = t[t["id"] == goal]
        if row.empty:
            raise KeyError(f"unknown target id {goal!r}")
        return row.iloc[0].to_dict()
    return dict(goal)


def forecast(
    indicator: str,
    to_year: int = TO_YEAR,
    as_of: int | None = None,
    n_paths: int = N_PATHS,
    seed: int = SEED,
    goal=None,
) -> Forecast:
    """Ensemble forecast of `indicator` up to `to_year` from dgm.series(indicator, as_of).

    `goal` (id, dict or registry row) fixes the scale from the goal's kind; a reduction or a
    growth-rate goal chains the yearly % changes into an index (baseline year = 100) and forecasts
    that index. Without a goal the kind follows from the indicator's id and unit (a growth series
    is then forecast as yearly rates, on the log(1 + r) scale).
    """
    from dgm.engine import goals

    trow = _goal_row(goal)
    if trow is not None and trow["kind"] in goals.CHAINED:
        j = goals.judged(trow, as_of=as_of)
        return forecast_history(
            j.hist, "index", indicator, j.unit, to_year, n_paths, seed, None, as_of=as_of
        )
    frame = series(indicator, as_of=as_of)
    unit = frame.attrs.get("unit", "")
    kind = trow["kind"] if trow else kind_for_indicator(indicator, unit)
    pts, bounds = split_series(frame)
    return forecast_history(pts, kind, indicator, unit, to_year, n_paths, seed, bounds, as_of=as_of)
