"""The pool that calibrates today's forecasts: the ensemble's rolling-origin backtest errors
(dgm.engine.backtest) → an ErrorPool (dgm.engine.ensemble), once per state of data/raw.

The calibrated law itself is dgm.engine.ensemble's (ErrorPool, calibrate_paths), shared with the
backtest, which calibrates each origin on the errors known then; this module builds the pool a
forecast of today (dgm.engine.simulate) reads. It sits above the backtest so that the ensemble,
which the backtest runs, never imports it.
"""

from __future__ import annotations

import functools

from dgm.data.loaders import raw_state, supposing
from dgm.engine import backtest
from dgm.engine.ensemble import ErrorPool
from dgm.engine.models import observed


def shipped_context(as_of=None, data_to: int | None = None):
    """(ErrorPool, latest year, histories) from the shipped data, once a process per state of
    data/raw (dgm.data.loaders.raw_state: after `dgm import` the next call recomputes).

    The pool is the ensemble's rolling-origin errors on every catalogue indicator
    (dgm.engine.backtest, final-vintage figures published by `as_of`, for years up to `data_to`):
    every outcome in it is a figure of that view, so a view of the past is calibrated only on what
    it could see; always on data/raw alone, never on figures supposed in a what-if
    (dgm.data.loaders.supposing).
    """
    return _shipped_context(as_of, data_to, raw_state())


@functools.lru_cache(maxsize=4)
def _shipped_context(as_of, data_to: int | None, state: str):
    """shipped_context() for one state of data/raw."""
    with supposing(()):
        histories, bounds = backtest.published(as_of, data_to)
    recs = backtest.ensemble_records(histories, bounds)
    pool = ErrorPool(recs)
    latest = max((int(observed(y).index.max()) for y, _ in histories.values()), default=0)
    return pool, latest, histories
