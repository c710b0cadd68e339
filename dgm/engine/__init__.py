"""The engine: a goal's judged series → models, simulation, calibration → assessments, backtests,
scenarios and the missing figures that would settle a goal (docs/method.md, stage by stage).

May import: the root modules, dgm.data and this layer; never presentation, runs or the CLI.
"""
