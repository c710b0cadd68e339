"""Every word dgm writes in both Chinese and English, one table per topic: code or key → (zh, en).

The one home of the project's vocabulary (issue 26): statuses and the words of a verdict, chart
furniture, units and methods, table and workbook headers, the report pages, the scenario
explorer, the departments of the policy text. Code that writes text reads it from here, through
dgm.lang.pick or dgm.labels.t; tests/test_words.py fails on a zh/en table anywhere else.
Sentences built around numbers in logic (f-strings) stay beside their logic. Names of goals,
indicators, programmes and sources are data: the registry and catalogue (data/raw) hold them.

A "goal" here is one row of the goal registry (data/raw/targets.csv, `dgm targets`): the
public names keep "target" (load_targets, target_id, target_value), every word a reader sees
says goal (docs/data-model.md, "Terms").
At the root and import-free: every layer may use it (tests/test_layers.py).
"""

# -- Verdicts: a goal's status, what it rests on, and the words of its `reading` ---------------
# (dgm.engine.evidence, docs/method.md section 2; the codes are dgm.constants.STATUSES and
# EVIDENCE_TIERS)

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
EVIDENCE_LABELS = {  # evidence tier → (zh, en)
    "series": ("数据序列", "series"),
    "snapshot": ("一两个数据", "snapshot"),
    "bound": ("公布的界限", "bound"),
    "proxy": ("代理指标", "proxy"),
    "none": ("无数据", "no figure"),
}
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

# -- Charts: furniture, kinds of figure and of goal, scenario notes (read with dgm.labels.t) ---

TEXT = {  # key → (zh, en); {fields} filled in by dgm.labels.t
    "observed": ("观测值", "Observed"),
    "exact": ("公布值", "Published"),
    "estimate": ("初步/估计数", "Preliminary or estimate"),
    "approx": ("约数", "Approximate"),
    "derived": ("推算值", "Derived"),
    "lower_bound": ("下限（“突破”“超过”）", "Lower bound (at least)"),
    "upper_bound": ("上限", "Upper bound (at most)"),
    "plan_target": ("年度计划目标", "Annual plan figure"),
    "median": ("预测中位数", "Projection, median"),
    "band": ("{lo:g}%–{hi:g}% 概率区间", "{lo:g}–{hi:g}% probability band"),
    "fan_note": (
        "预测为模型模拟，非官方数据",
        "Projections are model simulations, not official data",
    ),
    "goal": ("目标", "Goal"),
    "baseline": ("{year}年基期（文件所述）", "{year} baseline, as the text states"),
    "implied_path": ("目标隐含路径（年均{rate}）", "Path the goal implied ({rate} a year)"),
    "year": ("年份", "Year"),
    "sources": ("资料来源：", "Sources: "),
    "goal_source": (
        "目标：《东莞市制造业2025》（東府〔2015〕1號）",
        "Goal: Dongguan Manufacturing 2025 (東府〔2015〕1號)",
    ),
    "more": ("等{n}份文件", "and {n} more"),
    "projection": ("预测", "projection"),
    "required_rate": ("所需年均变化", "Required yearly change"),
    "observed_rate": ("实际年均变化", "Observed yearly change"),
    "per_year": ("%/年", "% per year"),
    "rate_title": (
        "实现目标所需与实际年均变化率",
        "Required versus observed yearly rate of change",
    ),
    "scorecard_title": ("目标进展评分表", "Scorecard: progress towards each goal"),
    "coverage_title": (
        "数据覆盖：各指标各年份的数据类型",
        "Data coverage: kind of figure by indicator and year",
    ),
    "scenario_title": ("情景比较", "Scenario comparison"),
    "backtest_title": ("回测误差（按模型）", "Backtest errors by model"),
    "error_title": (
        "回测预测误差的分布：按预测期与方法",
        "How far backtest forecasts missed, by years ahead and method",
    ),
    "horizon": ("预测期（起点后第几年）", "Years after the origin (horizon)"),
    "scaled_error": ("标度误差（年均变动的倍数）", "Scaled error (in mean yearly changes)"),
    "error_note": (
        "回测，{vintage}，与该年份今天的数字比较；{k}个指标共{n}个预测。标度误差 = （实际值 − "
        "预测中位数）÷ 预测所依据数据的年均绝对变动：大于0表示实际值高于预测，±1相当于一年的典型"
        "变动。箱体为中间一半的误差，横线为中位数，须线延伸至1.5倍箱长，圆点为其外的误差。",
        "Backtest, {vintage}, compared with today's figure for its year; {n} forecasts of {k} "
        "indicators. Scaled error = (outcome − median forecast) ÷ the mean absolute yearly change "
        "of the figures the forecast was made from: above 0 the outcome came out higher, ±1 is "
        "one typical year's change. Boxes hold the middle half of the errors, the line is the "
        "median, whiskers reach 1.5 box lengths, dots are the errors beyond.",
    ),
    "vintage_real-time": (
        "实时数据版本（每个预测只用其起点时已公布的数字）",
        "real-time vintage (each forecast made from the figures published by its origin)",
    ),
    "vintage_final": (
        "最终数据版本（准实时：用今天的数字中起点及以前年份的部分）",
        "final vintage (pseudo-real-time: made from today's figures for the years up to its "
        "origin)",
    ),
    "measures_title": (
        "各专项行动的措施数量（按牵头部门）",
        "Measures by programme and lead department",
    ),
    "measures_count": ("措施数（项）", "Number of measures"),
    "mase": ("平均绝对标度误差（MASE）", "Mean absolute scaled error (MASE)"),
    "coverage80": ("80%区间实际覆盖率", "Empirical coverage of 80% intervals"),
    "nominal": ("名义覆盖率", "Nominal coverage"),
    "naive": ("朴素预测 = 1", "naive = 1"),
    "not_assessable": ("数据不足", "insufficient data"),
    "prob": ("达成概率", "P(goal met)"),
    "latest": ("最新值", "Latest"),
    "target": ("目标值", "Goal"),
    "status": ("评估", "Status"),
    "ratio": ("所需/实际", "Required ÷ observed"),
    "crossing": ("预计达成年份", "Median crossing year"),
    "indicator": ("指标", "Indicator"),
    "bound": ("公布的上/下限", "published bound"),
    "higher_is_better": ("越高越好", "higher is better"),
    "lower_is_better": ("越低越好", "lower is better"),
    "yes": ("是", "yes"),
    "no": ("否", "no"),
    # goal kinds of the registry (targets.csv `kind`)
    "level": ("总量", "level"),
    "count": ("数量", "count"),
    "share": ("比重", "share"),
    "index": ("指数", "index"),
    "growth_rate": ("年均增速", "yearly growth"),
    "reduction_vs_baseline": ("较基期降低", "cut from the baseline"),
    # notes of dgm.engine.scenario (scenario.Note keys)
    "note_no_figure": ("没有已公布的数据", "no published figure"),
    "note_no_figure_by": (
        "{year}年及以前没有已公布的数据",
        "no published figure in or before {year}",
    ),
    "note_goal_year_reached": (
        "最新数据已在目标年份（{year}年）或之后，没有所需路径",
        "the latest figure is in or after the goal's year ({year}): there is no required path",
    ),
    "note_not_positive": (
        "数值须为正数才能计算复合增速",
        "compound growth needs positive values",
    ),
    "note_lower_bound_start": (
        "起点是下限（“突破”“超过”），情景路径也只是下限",
        "starts from a lower bound: the path is a bound too",
    ),
    "note_upper_bound_start": (
        "起点是上限，情景路径也只是上限",
        "starts from an upper bound: the path is a bound too",
    ),
    "note_target_before_start": (
        "目标年份早于起始年份：结论依据实际数据",
        "the goal's year is before the start year: the verdict uses the data",
    ),
    "note_growth_required": (
        "评分表没有实际年均变化，滑块从达标所需的 {growth} %/年开始",
        "the scorecard measures no observed yearly change: the slider starts at the rate the goal "
        "requires, {growth} %/yr",
    ),
    "note_growth_met": (
        "已达到目标，评分表没有实际年均变化：滑块从 0 开始（保持最新值）",
        "the latest figure is already at the goal and the scorecard measures no observed yearly "
        "change: the slider starts at 0, the latest figure held",
    ),
    "note_growth_none": (
        "评分表没有实际年均变化，也没有所需路径：滑块从 0 开始（保持最新值）",
        "the scorecard measures no observed yearly change and there is no required path: the "
        "slider starts at 0, the latest figure held",
    ),
    "note_growth_outside": (
        "年均变化 {rate} %/年超出滑块范围，滑块从最接近的 {growth} %/年开始",
        "the yearly change of {rate} %/yr lies outside the slider: it starts at the nearest value, "
        "{growth} %/yr",
    ),
    # titles, axes, legends and footnotes of single charts (dgm.present.charts)
    "backtest_note": (
        "回测：按各年已公布的数据（as-of）滚动预测，与其后公布的数值比较。"
        "MASE 以朴素预测误差为 1；覆盖率为实际值落入预测区间的比例。",
        "Backtest: rolling forecasts from the figures published by each year (as of), compared "
        "with the figures published later. MASE scales errors so that the naive forecast = 1; "
        "coverage is the share of outcomes inside the interval.",
    ),
    "interval_coverage": ("区间覆盖率（%）", "Interval coverage (%)"),
    "interval80": ("80%区间", "80% interval"),
    "interval95": ("95%区间", "95% interval"),
    "coverage_note": (
        "每格为构建规则所选的数据类型：确数优先于约数和初步数；仅有上/下限或计划目标的年份"
        "另行标出。",
        "Each cell: the kind of figure the build rule chose (exact before "
        "approximate before estimate); years with only a bound or a plan figure are "
        "marked.",
    ),
    "title_path_projection": ("：实际走势与预测", ": observed path and projection"),
    "title_path": ("：实际走势", ": observed path"),
    "other_departments": ("其他", "other"),
    "lead_department": ("牵头部门", "Lead department"),
    "measures_by_programme": ("各专项行动的措施", "Measures in each programme"),
    "measures_involved": ("参与的措施数（项）", "Number of measures it takes part in"),
    "derived_arrow": ("（虚线箭头为推算）", " (dashed arrow: derived)"),
    "rate_note": (
        "年均变化为复合年率：所需 = 由基期值至目标值；实际 = 基期以来的已公布数据。",
        "Compound yearly rates: required = from the baseline to the goal; observed = published "
        "figures since the baseline.",
    ),
    "goal_value": ("目标值", "Goal value"),
    "required_short": ("所需年率", "Required"),
    "observed_short": ("实际年率", "Observed"),
    "p_met": ("达成概率", "P(met)"),
    "scorecard_note": (
        "最新值：≥ 为公布下限，~ 为约数，e 为初步/估计数。所需/实际年率为复合年均变化率；"
        "达成概率来自模型模拟路径。〔〕内为结论的证据：数据序列（至少3个数据），一两个数据"
        "（只说现状，不判断趋势），公布的界限，代理指标（另计），无数据。† 脆弱：换基期"
        "（2014、2015、首个数据）、ESCAP半衰期（2、5、10年）或去掉最新数据结论即变，"
        "决定结论的数据在取整误差之内，或依据代理指标。",
        "Latest: ≥ a published lower bound, ~ approximate, e preliminary or estimate. Required "
        "and observed rates are compound yearly changes; P(met) is read from simulated model "
        "paths. [ ] what the verdict rests on: series (3 or more figures), snapshot (one or "
        "two figures: where it stands, no trend word), bound, proxy (counted apart), no "
        "figure. † fragile: the verdict changes with the baseline (2014, 2015, first "
        "figure), ESCAP's half-life (2, 5, 10 years) or without the latest figure, a deciding "
        "figure is at the threshold within rounding, or it rests on a proxy.",
    ),
    "view_now": ("现在", "now"),
}
UNIT_EN = {  # catalogue unit → English
    "亿元": "100 million yuan",
    "%": "%",
    "百分点": "percentage points",
    "件": "items",
    "家": "enterprises",
    "个": "number",
    "index": "index",
    "吨标准煤/万元": "tce per 10,000 yuan",
}
UNIT_ZH = {"index": "指数", "%": "%"}  # catalogue unit written in Latin letters → Chinese
METHODS = {  # forecasting method → (zh, en)
    "naive_drift": ("朴素漂移", "Naive with drift"),
    "constant_growth": ("固定增长率", "Constant growth"),
    "log_linear": ("对数线性趋势", "Log-linear trend"),
    "escap_wls": ("ESCAP 加权趋势", "ESCAP weighted trend"),
    "arima_drift": ("ARIMA（含漂移）", "ARIMA with drift"),
    "theta": ("Theta 法", "Theta"),
    "damped_growth": ("阻尼增长（向合并增长先验收缩）", "Damped growth (pooled prior)"),
    "mean_reversion": ("均值回归（增长率）", "Mean reversion (growth rates)"),
    "ensemble_uncalibrated": ("组合预测（未校准）", "Ensemble, uncalibrated"),
    "ensemble": ("组合预测", "Ensemble"),
}
COVERAGE_LABELS = {  # cell code of the coverage grid (dgm.data.coverage) → (zh, en)
    "exact": ("确数", "exact"),
    "approx": ("约数", "approximate"),
    "estimate": ("初步/估计", "estimate"),
    "derived": ("推算", "derived"),
    "bound": ("上/下限", "bound"),
    "plan": ("仅计划目标", "plan only"),
    "missing": ("缺失", "missing"),
}

# -- Scenarios and the scenario explorer (dgm.engine.scenario, dgm.present.explorer) -----------

PRESET_LABELS = {  # preset scenario → (zh, en), for charts and tables
    "observed": ("按实际年均增速", "observed yearly rate"),
    "half_observed": ("实际增速减半", "half the observed rate"),
    "required": ("达标所需增速", "rate the goal requires"),
    "policy_baseline": ("政策基期隐含增速", "rate implied from the policy's baseline"),
    "user": ("自选情景", "your scenario"),
}
EXPLORER = {  # widget and caption words of the explorer
    "goal": ("目标", "goal"),
    "growth": ("年增速 %", "growth %/yr"),
    "start": ("起始年份", "start year"),
    "as_of": ("数据截至", "data as of"),
    "scenario": ("情景（预测）", "scenario (projection)"),
    "required": ("所需路径", "required path"),
    "cannot": ("无法绘制", "Cannot draw this"),
    "kept": (
        "图表和滑块仍显示上一次可绘制的状态。",
        "The chart and sliders still show the last state that could be drawn.",
    ),
    "as_of_note": ("数据截至{y}年底", "figures published by the end of {y}"),
    "at_goal": ("已达到目标（{year}年 {value}）", "already at the goal ({value} in {year})"),
    "observed": ("评分表实际年均变化 {rate}", "observed yearly change (scorecard) {rate}"),
    "no_observed": ("评分表无实际年均变化", "no observed yearly change in the scorecard"),
    "app_title": (  # the heading of `dgm explore`'s page
        "# 东莞制造2025 · 情景模拟\n选择目标，拖动滑块：图表显示情景路径、目标和达标所需的年均变化。",
        "# Dongguan Manufacturing 2025 · scenario explorer\n"
        "Pick a goal and move the sliders: the chart shows the scenario path, the goal and the "
        "yearly change the goal requires.",
    ),
}

# -- Tables: column headers of every table (dgm.present.tables.header) ------------------------

HEADERS = {  # column → (zh, en)
    "id": ("编号", "ID"),
    "target_id": ("目标", "Goal"),
    "goal": ("目标", "Goal"),
    "indicator": ("指标", "Indicator"),
    "year": ("年份", "Year"),
    "value": ("数值", "Value"),
    "unit": ("单位", "Unit"),
    "kind": ("类型", "Kind"),
    "reliability": ("可靠性", "Reliability"),
    "source_id": ("来源", "Source"),
    "proxy": ("代理指标", "Proxy"),
    "scenario": ("情景", "Scenario"),
    "start_year": ("起始年份", "Start year"),
    "start_value": ("起始值", "Start value"),
    "goal_value": ("目标值", "Goal value"),
    "value_at_target_year": ("目标年份的值", "Value in the goal year"),
    "meets_goal": ("达成目标", "Meets goal"),
    "crossing_year": ("达成年份", "Crossing year"),
    "required_rate_pct": ("所需年增长 %", "Required %/yr"),
    "bridged": ("五年累计衔接", "Five-year bridge"),
    "fragile": ("结论不稳健", "Fragile"),
    "basis_year": ("依据年份", "Basis year"),
    "min_reliability": ("最低可靠性", "Lowest reliability"),
    "indicators": ("指标数", "Indicators"),
    "programme": ("专项", "Programme"),
    # the workbook's columns (dgm.present.export)
    "label_zh": ("目标（中文）", "Goal in Chinese"),
    "label_en": ("目标（英文）", "Goal in English"),
    "as_written": ("原文写法", "As written"),
    "scope": ("统计范围", "Scope"),
    "price_basis": ("价格口径", "Prices"),
    "vintage": ("发布日期（版本）", "Vintage"),
    "quote": ("原文引文", "Quote"),
    "quote_check": ("引文核对", "Quote check"),
    "note": ("说明", "Note"),
    "period": ("时期", "Period"),
    "source_title": ("来源标题", "Source title"),
    "source_publisher": ("发布者", "Publisher"),
    "source_url": ("来源网址", "Source URL"),
    "title": ("标题", "Title"),
    "publisher": ("发布者", "Publisher"),
    "published": ("发布日期", "Published"),
    "url": ("网址", "URL"),
    "accessed": ("访问日期", "Read on"),
    "baseline_value": ("基期值", "Baseline value"),
    "series": ("序列", "Series"),
    "required_rate": ("所需年均变化", "Required yearly change"),
    "observed_rate": ("实际年均变化", "Observed yearly change"),
    "direction": ("方向", "Direction"),
    "baseline_rule": ("基期规则", "Baseline rule"),
    "n_points": ("数字个数", "Figures used"),
    "bridged_years": ("衔接年份", "Bridged years"),
    "notes": ("说明", "Notes"),
    "models": ("模型", "Models"),
    "rate_method": ("增长率算法", "Rate method"),
    "as_of": ("数据截至（发布）", "Published by"),
    "data_to": ("数据截至（年份）", "Data to"),
    "pseudo_real_time": ("准实时", "Pseudo-real-time"),
    "crps": ("CRPS", "CRPS"),
    "reasons": ("不稳健的原因", "Why fragile"),
    "label": ("目标", "Goal"),
    "indicator_label": ("指标", "Indicator"),
    "bounds": ("上下限", "Bounds"),
    "plan_only": ("仅有计划值", "Plan only"),
    "missing": ("缺失", "Missing"),
    "figures": ("数字个数", "Figures"),
    "last year": ("末年", "Last year"),
    "not_yet_published": ("当时尚未公布", "Not yet published"),
    "status": ("结论", "Status"),
    "basis": ("依据", "Basis"),
    "evidence": ("证据", "Evidence"),
    "drop_latest": ("去掉最新数据后", "Without the latest figure"),
    "latest_year": ("最新年份", "Latest year"),
    "latest_value": ("最新值", "Latest figure"),
    "latest": ("最新值", "Latest figure"),
    "latest_kind": ("最新值类型", "Latest kind"),
    "required_%/yr": ("所需年均变化 %", "Required %/yr"),
    "observed_%/yr": ("实际年均变化 %", "Observed %/yr"),
    "rate_ratio": ("实际/所需", "Observed / required"),
    "escap_gap": ("ESCAP 差距", "ESCAP gap"),
    "unsd_q": ("UNSD Q", "UNSD Q"),
    "p_attain": ("达成概率", "P(goal met)"),
    "if_low_to_high": ("数据由低到高时的结论", "Status, low → high value"),
    "p_low_mid_high": ("达成概率（低/中/高）", "P(goal met), low / mid / high"),
    "where": ("通常发布于", "Usually published in"),
    "crossing_year_median": ("中位达成年份", "Median crossing year"),
    "eurostat_category": ("Eurostat 评级", "Eurostat"),
    "escap_category": ("ESCAP 评级", "ESCAP"),
    "unsd_category": ("UNSD 评级", "UNSD"),
    "ex_post": ("事后判定", "Ex post"),
    "reading": ("解读", "Reading"),
    "clause": ("条款", "Clause"),
    "comparison": ("比较", "Comparison"),
    "target_value": ("目标值", "Goal value"),
    "target_year": ("目标年份", "Goal year"),
    "baseline_year": ("基期年份", "Baseline year"),
    "points": ("数据点", "Figures"),
    "first_year": ("首年", "First year"),
    "last_year": ("末年", "Last year"),
    "measures": ("措施", "Measures"),
    "departments": ("部门", "Department"),
    "plan": ("计划值", "Plan"),
    "outcome": ("实际值", "Outcome"),
    "outcome_minus_plan": ("实际 − 计划", "Outcome − plan"),
    "method": ("方法", "Method"),
    "mase": ("MASE", "MASE"),
    "smape": ("sMAPE %", "sMAPE %"),
    "coverage80": ("80% 区间覆盖率", "80 % coverage"),
    "coverage95": ("95% 区间覆盖率", "95 % coverage"),
    "n_forecasts": ("预测次数", "Forecasts"),
    "index": ("指数", "Index"),
    "programme_zh": ("专项", "Programme"),
    "programme_en": ("Programme", "Programme"),
    "growth_pct": ("年增长 %", "Growth %/yr"),
}

# -- Report pages: the furniture of every page and of the landing page (dgm.present.pages) ----

PAGE = {  # key → (zh, en)
    "title": ("东莞制造2025：目标评估报告", "Dongguan Manufacturing 2025: goal assessment"),
    "subtitle": (
        "东莞市政府《东莞制造2025》（东府〔2015〕1号）各项目标的数据、预测与评估",
        "Data, projections and verdicts for each goal of the city's plan (东府〔2015〕1号)",
    ),
    "scorecard": ("目标评估总表", "Scorecard"),
    "findings": ("各目标结论", "Finding per goal"),
    "goal": ("目标", "Goal"),
    "status": ("结论", "Status"),
    "basis": ("依据", "Basis"),
    "evidence": ("证据", "Evidence"),
    "latest": ("最新值", "Latest figure"),
    "p_attain": ("达成概率", "P(goal met)"),
    "page": ("分析页", "Page"),
    "figures": ("图表", "Figures"),
    "pages": ("分析页面", "Notebook pages"),
    "reader": ("阅读版", "reader edition"),
    "reviewer": ("审阅版（含代码）", "reviewer edition (with code)"),
    "workbook": ("Excel 工作簿", "Excel workbook"),
    "record": ("运行记录", "Run record"),
    "run_date": ("运行时间", "Date of run"),
    "commit": ("代码版本", "Commit"),
    "checksum": ("数据校验和", "Data checksum"),
    "checksum_note": ("data/raw/*.csv 的 SHA-256", "SHA-256 of data/raw/*.csv"),
    "vintage": ("数据最新发布日期", "Latest vintage in the data"),
    "versions": ("软件版本", "Versions"),
    "no_scorecard": (
        "本次报告未运行评估总表（05_scorecard）。",
        "The scorecard notebook (05_scorecard) was not part of this report.",
    ),
    "none": ("—", "—"),
    "home": ("报告首页", "Report home"),
    "fig_path": ("走势与预测", "path and projection"),
    "fig_scenarios": ("情景", "scenarios"),
    "projection_note": (
        "达成概率来自模型模拟路径，属预测，非官方数据。",
        "P(goal met) comes from simulated model paths: a projection, not an official figure.",
    ),
    "gaps": ("哪些数据能给出结论", "The figures that would settle the open goals"),
    "gaps_note": (
        "对尚无结论或结论不稳的目标，假设缺少的数据取低、中、高三个值，重新评估后的结论（dgm gaps）。",
        "For each goal without a verdict, or with a fragile one: the verdict if the missing figure"
        " were low, middle or high, from the assessment run again (dgm gaps).",
    ),
    "gap_figure": ("缺少的数据", "Missing figure"),
    "gap_if": ("由低到高时的结论", "Status, low → high value"),
    "gap_where": ("通常发布于", "Usually published in"),
}

# -- Workbook (dgm.present.export): id headers, robustness conditions, marks, the README sheet --

FLATTENED_FLAG = (  # the quote_check cell of a flattened table row
    "flattened table row: the numbers ran together when the source table was copied; "
    "read the figure in the source / 表格行被压平，数字粘连：请核对原文"
)
# the `series` cell of every forecast row
PROJECTION = "projection (model simulation, not an official figure) / 预测（模型模拟，非官方数据）"
ID_HEADERS = {  # the id columns (join keys) → their header, zh and en
    "target_id": ("目标编号", "Goal id"),
    "indicator": ("指标编号", "Indicator id"),
    "source_id": ("来源编号", "Source id"),
    "id": ("目标编号", "Goal id"),
}
ROBUSTNESS = {  # dgm.engine.assess robustness keys → the condition in words, zh and en ({k}: its value)
    "baseline": ("基期为{k}", "baseline {k}"),
    "escap_half_life": ("ESCAP半衰期{k}年", "ESCAP half-life {k} years"),
    "drop_latest": ("去掉最新数字", "without the latest figure"),
    "first": ("第一个数字", "first figure"),
}
README_ROWS = [  # the README sheet: (sheet, what it holds), English then Chinese
    ("dgm: Dongguan Manufacturing 2025 (东府〔2015〕1号) — goals, sourced data, projections", ""),
    ("东莞制造2025：目标、有出处的数据、预测与评估", ""),
    ("", ""),
    ("Sheet / 工作表", "What it holds / 内容"),
    (
        "scorecard",
        "One row per goal: status, latest figure, required vs observed compound yearly rate, "
        "P(goal met) from simulated paths, median crossing year, ex-post verdict, basis, whether "
        "the verdict is fragile, and a reading. 每个目标一行：评估结论、最新值、所需与实际年均变化率、"
        "达成概率、事后判定、依据、结论是否稳健及解读。",
    ),
    (
        "scorecard_details",
        "Every field of each goal's assessment (dgm assess --json): baselines, figures used, the "
        "Eurostat, ESCAP and UNSD measures and categories, notes, and the robustness check as "
        "columns (the status under each other baseline and ESCAP half-life). 每个目标评估的全部字段，"
        "包括稳健性检验（其他基期和半衰期下的结论）。",
    ),
    (
        "goals",
        "The goal registry: each goal with its policy clause and the verbatim quote of the "
        "policy text. 目标登记表：条款与政策原文引文。",
    ),
    (
        "observations",
        "Every published figure, one per row: kind, reliability (A official, B official reposted, "
        "C news, D secondary), vintage, verbatim quote and source (title linked to its URL). "
        "The quote check flags (and shades) quotes that are flattened table rows, whose numbers "
        "ran together when copied: read those figures in the source. 每个已公布数字一行：类型、"
        "可靠性、原文引文及出处（标题链接到网址）；“引文核对”标出数字粘连的引文，请核对原文。",
    ),
    ("sources", "The documents behind the observations, linked. 资料来源文件（含链接）。"),
    (
        "forecasts",
        "PROJECTIONS, not data: quantiles of the simulated ensemble by goal and year; "
        "every row and every quantile header says projection. 预测（非官方数据）：按目标和年份的"
        "模拟分位数。",
    ),
    (
        "backtests",
        "Out-of-sample accuracy of each forecasting method per indicator: MASE (naive = 1), "
        "sMAPE (%), share of outcomes inside the 80 % and 95 % intervals, number of forecasts. "
        "回测：各方法的预测误差与区间覆盖率。",
    ),
    ("", ""),
    (
        "Reading / 阅读",
        "Headers and codes (statuses, kinds, methods) in Chinese and English; ids are the keys "
        "that join the sheets. Money in 亿元 (100 million yuan); percentages in percent "
        "(3.54 = 3.54 %); yearly rates as % a year. No formulas: every cell is a value. "
        "表头和代码均为中英文；编号用于关联各表。金额单位亿元；本工作簿不含公式。",
    ),
    (
        "Printing / 打印",
        "A4 landscape, the header row on every page; wide sheets print their first columns "
        "(the reader's), the others stay in the file. 横向A4打印；较宽的表只打印前面几列。",
    ),
]

# -- Policy text: the departments its measures name (dgm.data.policy) -------------------------

DEPARTMENTS_EN = {  # department → English (a key drops a leading 市: 市經信局 is 經信局)
    "經信局": "Economic & IT Bureau",
    "商務局": "Commerce Bureau",
    "科技局": "Science & Technology Bureau",
    "園區": "Industrial parks",
    "財政局": "Finance Bureau",
    "有關職能部門": "Other departments concerned",
    "發改局": "Development & Reform Bureau",
    "金融局": "Financial Affairs Bureau",
    "各鎮街": "Towns and subdistricts",
    "質監局": "Quality Supervision Bureau",
    "文廣新局": "Culture, Radio, TV & Press Bureau",
    "工商局": "Industry & Commerce Bureau",
    "環保局": "Environmental Protection Bureau",
    "水務局": "Water Affairs Bureau",
    "教育局": "Education Bureau",
    "跨境辦": "Cross-border E-commerce Office",
    "城建局": "Urban Construction Bureau",
    "松山湖管委會": "Songshan Lake Committee",
    "房管局": "Housing Bureau",
    "東莞檢驗檢疫局": "Inspection & Quarantine Bureau",
    "國資委": "State Assets Commission",
    "規劃局": "Planning Bureau",
    "國土局": "Land Resources Bureau",
    "編辦": "Staffing Office",
    "電子政務辦": "E-government Office",
    "行政服務管理辦": "Administrative Services Office",
    "人力資源局": "Human Resources Bureau",
    "交通局": "Transport Bureau",
    "供電局": "Power Supply Bureau",
    "城管局": "Urban Management Bureau",
    "衛生計生局": "Health & Family Planning Bureau",
    "民政局": "Civil Affairs Bureau",
    "市府辦": "Municipal Government Office",
    "市政府督查室": "Government Inspection Office",
    "市政府新聞辦": "Government Information Office",
}
