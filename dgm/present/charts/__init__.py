"""Standard dgm charts: pandas objects (series, fans, registry rows, assessments) → matplotlib Figure.

Every chart function is pure (no I/O, no pyplot state): it takes the frames other dgm modules
return, draws in the house style (dgm.present.style) and returns a Figure whose title says what it shows,
whose axis carries the unit and whose footnote names the documents behind the plotted figures.
Text comes from the registry/catalogue rows passed in, in `lang` = "zh", "en" or "both".

One module per chart family, and the pieces they share:

- fan: `path_to_goal` (observed path, projection fan, goal line)
- verdicts: `rate_chart`, `scorecard_chart` (assessment records)
- coverage_grid: `coverage_chart`; scenarios: `scenario_chart`; backtests: `backtest_chart`;
  errors: `error_chart` (seaborn); measures: `measures_chart`
- figure: the house Figure (footnote strip, title, legend, axes); observations: observed figures
  and bounds; goal_line: the labelled goal line; label_placement: goal labels off the lines

The words (zh/en tables) are dgm.words; units, values as text and source footnotes dgm.labels, both at
the root because the engine's notes for the reader (dgm.engine.scenario.Note) are read through them too.
"""

from dgm.data.policy import departments
from dgm.labels import fmt_value, source_note
from dgm.present.charts.backtests import backtest_chart
from dgm.present.charts.coverage_grid import COVERAGE, coverage_chart
from dgm.present.charts.errors import error_chart
from dgm.present.charts.fan import (
    BANDS,
    FAN_CAP_NOTE,
    FAN_CAP_QUANTILE,
    FAN_CAP_RATIO,
    path_to_goal,
)
from dgm.present.charts.label_placement import GOAL_LABEL, label_collisions
from dgm.present.charts.measures import measures_chart
from dgm.present.charts.scenarios import scenario_chart
from dgm.present.charts.verdicts import STATUS, rate_chart, scorecard_chart
from dgm.words import DEPARTMENTS_EN, METHODS

CHARTS = {
    "path_to_goal": path_to_goal,
    "rate_chart": rate_chart,
    "scorecard_chart": scorecard_chart,
    "coverage_chart": coverage_chart,
    "scenario_chart": scenario_chart,
    "backtest_chart": backtest_chart,
    "error_chart": error_chart,
    "measures_chart": measures_chart,
}

__all__ = [
    "BANDS",
    "CHARTS",
    "COVERAGE",
    "DEPARTMENTS_EN",
    "FAN_CAP_NOTE",
    "FAN_CAP_QUANTILE",
    "FAN_CAP_RATIO",
    "GOAL_LABEL",
    "METHODS",
    "STATUS",
    "backtest_chart",
    "coverage_chart",
    "departments",
    "error_chart",
    "fmt_value",
    "label_collisions",
    "measures_chart",
    "path_to_goal",
    "rate_chart",
    "scenario_chart",
    "scorecard_chart",
    "source_note",
]
