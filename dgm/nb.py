"""What the notebooks call, in one import: `from dgm import nb`, then `nb.record(...)`, `nb.show(...)`.

Notebooks are thin (narrative, parameters, calls into dgm, charts); this namespace names every
call they make, from whichever layer holds it, so a notebook's import cell is `from dgm import nb`
(and `import dgm` for the public loaders: dgm.load_targets, dgm.series, …). Importing it loads
pandas and matplotlib, as any notebook does anyway; `import dgm` alone stays light.

The run defaults are dgm.constants' (N_PATHS, SEED) and dgm.lang's (DEFAULT_LANG): a notebook's
parameters cell repeats them as plain literals (papermill injects values after that cell and
needs literals), and tests/test_notebooks.py keeps the literals equal to these constants.
"""

from dgm.constants import N_PATHS, SEED
from dgm.data.coverage import coverage_matrix, coverage_summary
from dgm.data.policy import departments
from dgm.engine import scenario
from dgm.engine.assess import assess_all
from dgm.engine.backtest import backtest_all, backtest_records, outcome_figures
from dgm.engine.gaps import find_gaps
from dgm.engine.goals import POLICY_YEAR, judged
from dgm.lang import DEFAULT_LANG, label
from dgm.present import charts
from dgm.present.explorer import Explorer
from dgm.present.goal_view import (
    assess_one,
    forecast_or_reason,
    goal_chart,
    goal_names,
    goal_row,
    published,
)
from dgm.present.notebook_figures import show
from dgm.present.notebook_records import record, say
from dgm.present.readings import (
    backtest_table,
    headline,
    schemes_table,
    show_assessment,
    show_gaps,
    view_labels,
    views_side_by_side,
)

__all__ = [
    # run defaults (the parameters cells' literals)
    "DEFAULT_LANG",
    "N_PATHS",
    "POLICY_YEAR",
    "SEED",
    # showing and recording (every notebook)
    "charts",
    "record",
    "say",
    "show",
    # one goal at a time (notebooks 01-04)
    "assess_one",
    "forecast_or_reason",
    "goal_chart",
    "goal_row",
    "judged",
    "published",
    "show_assessment",
    # every goal: the scorecard, the views of the past, the backtests (05, 08)
    "assess_all",
    "backtest_all",
    "backtest_records",
    "backtest_table",
    "headline",
    "outcome_figures",
    "schemes_table",
    "view_labels",
    "views_side_by_side",
    # coverage and the missing figures (00)
    "coverage_matrix",
    "coverage_summary",
    "find_gaps",
    "show_gaps",
    # scenarios and the explorer (06)
    "Explorer",
    "goal_names",
    "scenario",
    # the measures (07)
    "departments",
    "label",
]
