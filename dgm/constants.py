"""The project's shared constants, one home each: defaults of a run, horizons, kinds, statuses.

Paths live in dgm.paths; the language picker in dgm.lang. Import is light (no pandas, no numpy).
"""

N_PATHS = 10_000  # simulated paths of a forecast (dgm assess/report --paths)
SEED = 2015  # random seed of every simulation (the policy's year, for memory's sake)
HORIZON = 2035  # the one forecast horizon: paths, fan charts and the workbook run to this year
TO_YEAR = 2030  # default last year of a bare simulation (dgm.engine.simulate) and a scenario (dgm.engine.scenario)

# How indicator ids name their companions (the build's identities and the goals read them alike):
CUMULATIVE_SUFFIX = "_5y"  # energy_intensity_industry_change -> ..._change_5y (five-year change)
CUMULATIVE_SPAN = 5
GROWTH_SUFFIX = "_growth"  # technical_renovation_investment_growth -> ..._investment (its level)

POINT_KINDS = ("exact", "approx", "estimate")  # figures drawn as published points
BOUND_KINDS = ("lower_bound", "upper_bound")  # figures that state only a bound ("突破", "不超过")

STATUSES = (
    "met",
    "not_met",
    "on_track",
    "acceleration_needed",
    "limited_progress",
    "deterioration",
    "insufficient_data",
)

# What a verdict rests on (dgm.engine.evidence, docs/method.md §2 "Evidence"): the `evidence` field.
EVIDENCE_TIERS = ("series", "snapshot", "bound", "proxy", "none")
COMPARISON_SIGNS = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "~": "≈"}  # a goal's comparison
