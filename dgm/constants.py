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
STATUS_LABELS = {  # status → (zh, en)
    "met": ("已达成", "met"),
    "not_met": ("未达成", "not met"),
    "on_track": ("按计划推进", "on track"),
    "acceleration_needed": ("需要加速", "acceleration needed"),
    "limited_progress": ("进展有限", "limited progress"),
    "deterioration": ("倒退", "deterioration"),
    "insufficient_data": ("数据不足", "insufficient data"),
}
EX_POST_UNKNOWN = (
    "尚无定论",
    "not yet known",
)  # ex-post verdict `unknown`: the figures do not settle it

# What a verdict rests on (dgm.engine.evidence, docs/method.md §2 "Evidence"): the `evidence` field.
EVIDENCE_TIERS = ("series", "snapshot", "bound", "proxy", "none")
EVIDENCE_LABELS = {  # evidence tier → (zh, en)
    "series": ("数据序列", "series"),
    "snapshot": ("一两个数据", "snapshot"),
    "bound": ("公布的界限", "bound"),
    "proxy": ("代理指标", "proxy"),
    "none": ("无数据", "no figure"),
}
COMPARISON_SIGNS = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "~": "≈"}  # a goal's comparison
PERIOD_LABELS = {  # a figure's period (dgm.data.schemas.PERIODS) → (zh, en) with its year {y}
    "year": ("{y}年", "{y}"),
    "jan-nov": ("{y}年1–11月", "January–November {y}"),
    "stock-end-nov": ("{y}年11月末", "end-November {y}"),
    "jan-oct": ("{y}年1–10月", "January–October {y}"),
    "stock-end-oct": ("{y}年10月末", "end-October {y}"),
    "jan-sep": ("{y}年1–9月", "January–September {y}"),
    "stock-end-sep": ("{y}年9月末", "end-September {y}"),
    "h1": ("{y}年上半年", "first half of {y}"),
    "stock-end-jun": ("{y}年6月末", "end-June {y}"),
    "ytd": ("{y}年（部分月份）", "{y} (part of the year)"),
}
READING = {  # the words of a verdict's `reading` (dgm.engine.evidence) → (zh, en); {fields} filled in
    "one": ("一个数据", "one figure"),
    "two": ("两个数据", "two figures"),
    "many": ("{n}个数据，{first}–{last}年", "{n} figures, {first}–{last}"),
    "many_yearly": ("{n}个年度数据", "{n} yearly figures"),
    "latest": ("最新为{when}：{value}", "latest {when}: {value}"),
    "one_yearly": ("一个年度数据", "one yearly figure"),
    "two_yearly": ("两个年度数据", "two yearly figures"),
    "chain": ("{n}点链式指数（{base}年 = 100）", "a {n}-point chain ({base} = 100)"),
    "none": ("尚无公布的数据", "no published figure"),
    "at": ("{when}：{value}", "{when}: {value}"),
    "and": ("{a}和{b}", "{a} and {b}"),
    "about": ("约{v}", "about {v}"),
    "grade": ("可靠性{g}级", "grade {g}"),
    "points": ("{v}个百分点", "{v} points"),
    "inferred": ("年份系推断", "year inferred"),
    "index": ("指数{v}", "index {v}"),
    "short": ("距目标{goal}差{gap}", "{gap} short of {goal}"),
    "times": ("为目标{goal}的{x}倍", "{x} × the goal ({goal})"),
    "beyond": ("已达到目标{goal}", "at or beyond {goal}"),
    "met_from": ("{v}起即算达标", "met from {v}"),
    "threshold": (
        "取整区间{lo}–{hi}，在目标{goal}的取整误差之内",
        "{lo}–{hi} within rounding: at the threshold of {goal}",
    ),
    "need": ("到{T}年需每年{pace}", "would need {pace} a year to {T}"),
    "needed": ("到{T}年本需每年{pace}", "would have needed {pace} a year to {T}"),
    "from_needs": (
        "自{y}年起每年{pace}即可在{T}年达标",
        "from {y}, {pace} a year reaches the goal by {T}",
    ),
    "shown": ("数据所见最快为每年{pace}", "the fastest the series has shown is {pace} a year"),
    "nothing_shown": ("数据不足以显示速度", "too few figures to show a pace"),
    "stock": (
        "存量指标：到{T}年须每年下降{fall}才会回落到目标",
        "a stock: it would have to fall {fall} a year to {T} to drop back to the goal",
    ),
    "rate": ("实际每年{obs}，所需每年{req}", "observed {obs} a year against {req} required"),
    "bound": (
        "公布的{kind}已可判定：{when} {value}，目标{goal}",
        "a published {kind} decides: {value} in {when} against {goal}",
    ),
    "bound_open": (
        "公布的{kind}（{when} {value}）不能判定",
        "a published {kind} ({value} in {when}) does not decide",
    ),
    "lower_bound": ("下限", "lower bound"),
    "upper_bound": ("上限", "upper bound"),
    "proxy": ("以代理指标判断：{words}", "judged on a proxy: {words}"),
    "deadline": (
        "{T}年期限已过，{T}年数据未公布",
        "the {T} deadline has passed with no {T} figure",
    ),
    "after_deadline": (
        "晚于{T}年期限{n}年，{T}年数据未公布",
        "{n} years after the {T} deadline, whose figure is not published",
    ),
    "decides": ("{T}年的数据将决定结论", "the {T} figure decides"),
    "chain_break": ("链条在{y}年后中断", "the chain breaks after {y}"),
    "latest_yearly": ("最新年度数据 {when}：{value}", "latest yearly figure {when}: {value}"),
    "nothing_after": ("{y}年后没有数据", "no figure after {y}"),
}
