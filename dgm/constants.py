"""The project's shared constants, one home each: defaults of a run, horizons, kinds, statuses.

Paths live in dgm.paths; the language picker in dgm.lang. Import is light (no pandas, no numpy).
"""

N_PATHS = 10_000  # simulated paths of a forecast (dgm assess/report --paths)
SEED = 2015  # random seed of every simulation (the policy's year, for memory's sake)
HORIZON = 2035  # the one forecast horizon: paths, fan charts and the workbook run to this year
TO_YEAR = (
    2030  # default last year of a bare simulation (dgm.simulate) and a scenario (dgm.scenario)
)

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
STATUS_LABELS = {  # status → (zh, en)
    "met": ("已达成", "met"),
    "not_met": ("未达成", "not met"),
    "on_track": ("按计划推进", "on track"),
    "acceleration_needed": ("需要加速", "acceleration needed"),
    "limited_progress": ("进展有限", "limited progress"),
    "deterioration": ("倒退", "deterioration"),
    "insufficient_data": ("数据不足", "insufficient data"),
}
YES_NO = {True: ("是", "yes"), False: ("否", "no")}  # a yes/no answer in words → (zh, en)
# Names of dgm.scenario's preset scenarios → (zh, en), for charts and tables.
PRESET_LABELS = {
    "observed": ("按实际年均增速", "observed yearly rate"),
    "half_observed": ("实际增速减半", "half the observed rate"),
    "required": ("达标所需增速", "rate the goal requires"),
    "policy_baseline": ("政策基期隐含增速", "rate implied from the policy's baseline"),
    "user": ("自选情景", "your scenario"),
}

