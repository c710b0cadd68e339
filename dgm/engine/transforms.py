"""Scales per goal kind: natural values -> modelling scale -> natural values (bias-adjusted means).

Levels and indices are modelled in logs, counts in log(1 + y) (so a count of zero stays finite),
shares bounded by 0 and 100 % in logits, yearly growth rates in log(1 + r/100). Reductions against
a baseline are first chained from yearly % changes into an index (baseline year = 100) and then
modelled in logs. Every transform is strictly increasing, so a quantile on the modelling scale maps
to the same quantile on the natural scale; only means need the bias adjustment.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

# Shares are clipped to [SHARE_EPS, 100 - SHARE_EPS] percent before the logit, so 0 % and 100 %
# (e.g. "an incubator in every town") stay finite. Half a percentage point is the rounding of a
# published whole-number share.
SHARE_EPS = 0.5
# goal kind -> scale name
SCALE_FOR_KIND = {
    "level": "log",
    "index": "log",
    "count": "log1p",
    "share": "logit",
    "growth_rate": "growth",
    "reduction_vs_baseline": "log",  # applied to the chained index, not to the yearly changes
}


class CannotTransform(ValueError):
    """Raised when values fall outside the domain of a scale (e.g. log of a negative level)."""


@dataclass(frozen=True)
class Scale:
    """A strictly increasing transform with its inverse and derivatives (for the delta method)."""

    name: str

    def forward(self, y):
        """Natural values -> modelling scale (float array or Series). Raises CannotTransform."""
        y = np.asarray(y, dtype=float) if not isinstance(y, pd.Series) else y.astype(float)
        v = np.asarray(y, dtype=float)
        finite = v[np.isfinite(v)]
        if self.name == "log":
            if (finite <= 0).any():
                raise CannotTransform(f"log scale needs positive values, got min {finite.min():g}")
            out = np.log(v)
        elif self.name == "log1p":
            if (finite <= -1).any():
                raise CannotTransform(f"log(1+y) needs values > -1, got min {finite.min():g}")
            out = np.log1p(v)
        elif self.name == "logit":
            if ((finite < 0) | (finite > 100)).any():
                raise CannotTransform("logit scale needs shares within [0, 100] %")
            p = np.clip(v, SHARE_EPS, 100 - SHARE_EPS) / 100
            out = np.log(p / (1 - p))
        elif self.name == "growth":
            if (finite <= -100).any():
                raise CannotTransform("a growth rate of -100 % or less cannot be logged")
            out = np.log1p(v / 100)
        elif self.name == "identity":
            out = v.copy()
        else:
            raise ValueError(f"unknown scale {self.name!r}")
        if isinstance(y, pd.Series):
            return pd.Series(out, index=y.index, name=y.name)
        return out

    def forward_clipped(self, y):
        """forward() after clipping y into the scale's domain (for CDFs evaluated anywhere)."""
        v = np.asarray(y, dtype=float)
        tiny = 1e-300
        if self.name == "log":
            v = np.maximum(v, tiny)
        elif self.name == "log1p":
            v = np.maximum(v, -1 + 1e-12)
        elif self.name == "logit":
            v = np.clip(v, 0.0, 100.0)
        elif self.name == "growth":
            v = np.maximum(v, -100 + 1e-10)
        return self.forward(v)

    def inverse(self, z):
        """Modelling scale -> natural values (the median when z is a mean of a symmetric law)."""
        z = np.asarray(z, dtype=float)
        if self.name == "log":
            return np.exp(z)
        if self.name == "log1p":
            return np.expm1(z)
        if self.name == "logit":
            return 100 / (1 + np.exp(-z))
        if self.name == "growth":
            return 100 * np.expm1(z)
        return z.copy()

    def inverse_mean(self, mean, var):
        """Bias-adjusted back-transform: E[f^-1(Z)] for Z ~ N(mean, var), natural units.

        Exact for the log-based scales (lognormal mean); for the logit, a second-order Taylor
        correction f^-1(m) + f^-1''(m) var / 2 (Hyndman & Athanasopoulos, FPP3 §5.6).
        """
        m = np.asarray(mean, dtype=float)
        v = np.maximum(np.asarray(var, dtype=float), 0.0)
        if self.name == "log":
            return np.exp(m + v / 2)
        if self.name == "log1p":
            return np.exp(m + v / 2) - 1
        if self.name == "growth":
            return 100 * (np.exp(m + v / 2) - 1)
        if self.name == "logit":
            p = 1 / (1 + np.exp(-m))
            return 100 * (p + p * (1 - p) * (1 - 2 * p) * v / 2)
        return m.copy()

    def can_transform(self, y) -> bool:
        """True when every finite value lies in the scale's domain."""
        try:
            self.forward(y)
        except CannotTransform:
            return False
        return True


def scale_for(kind: str, values=None) -> Scale:
    """The scale for a goal kind; falls back to identity when the values cannot be transformed.

    `kind` is a goal kind (level, share, count, index, growth_rate, reduction_vs_baseline).
    """
    name = SCALE_FOR_KIND.get(kind, "identity")
    scale = Scale(name)
    if values is not None and not scale.can_transform(values):
        return Scale("identity")
    return scale


def chain_index(changes: pd.Series, baseline_year: int, base: float = 100.0) -> pd.Series:
    """Yearly % changes (year t on t-1, negative = fall) -> index with baseline year = base.

    The index covers the baseline year and every later year reached by an unbroken run of yearly
    changes; a missing year breaks the chain and later years are left out (never guessed).
    Changes for years at or before the baseline are ignored.
    """
    return chain_index_with_cumulative(changes, baseline_year, None, base=base)


def chain_index_with_cumulative(
    changes: pd.Series,
    baseline_year: int,
    cumulative: pd.Series | None = None,
    span: int = 5,
    base: float = 100.0,
) -> pd.Series:
    """Like chain_index, but bridges a broken chain with `span`-year cumulative % changes.

    `cumulative` holds the change over the `span` years ending in its index year (e.g. a
    five-year plan period 2016-2020 recorded at 2020). Where the index is known at year y - span
    and the yearly chain cannot reach y, index(y) = index(y - span) * (1 + cumulative(y)/100);
    the yearly chain then resumes from y. Years inside the bridged span stay absent (never
    interpolated).
    """
    ch = changes.dropna()
    cum = cumulative.dropna() if cumulative is not None else pd.Series(dtype=float)
    out = {int(baseline_year): float(base)}
    last_year = max([int(baseline_year)] + [int(i) for i in ch.index] + [int(i) for i in cum.index])
    for y in range(int(baseline_year) + 1, last_year + 1):
        if (y - 1) in out and y in ch.index:
            out[y] = out[y - 1] * (1 + float(ch.loc[y]) / 100)
        elif (y - span) in out and y in cum.index:
            out[y] = out[y - span] * (1 + float(cum.loc[y]) / 100)
    return pd.Series(out, dtype=float).rename_axis("year").sort_index()
