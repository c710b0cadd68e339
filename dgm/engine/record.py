"""The assessment record: every JSON field of one goal's verdict (`dgm assess --json`, the
workbook, the notebooks' records), its type and its convention, in one place.

Conventions: years are calendar years (int); rates are fractions a year (0.07177 = 7.177 % a
year); ratios, gaps, Q and probabilities are fractions; values are in the goal's `unit`. Missing
is None (JSON null), never NaN. Keys appear in the order listed; `rate_method` and `models` only
when there is a rate or a forecast, the view fields only on records of
dgm.engine.assess.assessments(). tests/test_record.py checks every record's keys against these.
"""

# Annotations are evaluated (no `from __future__ import annotations`): with them deferred,
# Python 3.11's TypedDict would not see NotRequired and call every key required.
from typing import NotRequired, TypedDict


class Robustness(TypedDict):
    """Whether a verdict survives other choices (dgm.engine.robustness)."""

    baseline: dict[str, str | None]  # status by baseline "2014", "2015", "first"; None: no baseline
    escap_half_life: dict[str, str | None]  # ESCAP category by half-life "2", "5", "10" (years)
    drop_latest: str | None  # status without the latest figure; None: not a measured series
    fragile: bool  # true when any reason below holds
    reasons: list[str]  # English sentences: which choice changes the verdict, and how


class AssessmentRecord(TypedDict):
    """One goal's verdict as JSON fields (dgm.engine.assess.evaluate)."""

    target_id: str  # the goal's id in data/raw/targets.csv
    indicator: str  # the goal's own indicator (the one judged unless `proxy` is set)
    status: str  # one of dgm.constants.STATUSES (docs/method.md §2, "Status rules")
    latest_year: int | None  # year of the latest published figure (point or bound)
    latest_value: float | None  # its value in `unit`; a reduction: cumulative % since baseline
    latest_kind: str | None  # a kind of dgm.data.schemas.KINDS, or derived (reductions)
    required_rate: float | None  # yearly rate the goal needs from its baseline, a fraction
    observed_rate: float | None  # yearly rate observed, a fraction (None on a linear method)
    rate_ratio: float | None  # observed / required rate (Eurostat; 1 = exactly on pace)
    escap_gap: float | None  # ESCAP gap, share of needed progress still missing (0 = reached)
    unsd_q: float | None  # UNSD Q, projected progress / needed progress (1 = reached)
    p_attain: float | None  # P(goal met) in the target year, 0-1 (1 or 0 once decided ex post)
    crossing_year_median: int | None  # median first year the simulated paths meet the goal
    notes: str  # English sentences joined by "; ": why the verdict reads as it does
    kind: str  # level, share, count, index, growth_rate or reduction_vs_baseline
    comparison: str  # >=, >, <=, < or ~ (met within 5 % of the target, dgm.engine.rates)
    target_value: float  # the goal in `unit` (growth_rate: % a year; reduction: % vs baseline)
    target_year: int  # year the goal is set for
    unit: str  # the indicator's unit as published (亿元, %, 家, index, …)
    direction: str  # higher_is_better or lower_is_better
    baseline_year: int | None  # year progress is measured from
    baseline_value: float | None  # the indicator's value then, in `unit`
    baseline_rule: str  # how the baseline was chosen (registry, nearest to 2014, first figure, …)
    proxy: str | None  # the proxy indicator judged instead of the goal's own; None: its own
    ex_post: str  # met, not_met (the target year's figure or bound decides) or unknown
    rate_method: NotRequired[str]  # compound or linear (average yearly change); only with a rate
    eurostat_category: str | None  # Eurostat category of rate_ratio; only on a measured trend
    escap_category: str | None  # ESCAP category of escap_gap
    unsd_category: str | None  # UNSD category of unsd_q
    models: NotRequired[list[str]]  # the ensemble's members; only with a forecast
    evidence: str  # evidence tier, one of dgm.constants.EVIDENCE_TIERS
    reading: str  # the figures in words, English
    reading_zh: str  # the same in Chinese
    basis: str  # observed, bound or projected: what the status rests on
    basis_year: int | None  # year of the figure it rests on, when not the target year
    n_points: int  # point figures the verdict rests on (a chain's index points)
    first_year: int | None  # first year of the figures used (bounds included)
    last_year: int | None  # last year of the figures used (bounds included)
    min_reliability: str | None  # worst reliability letter of those figures (A best … D worst)
    bridged_years: list[int]  # years a chained goal reads from five-year changes
    robustness: Robustness  # the verdict under other baselines, half-lives, without the latest
    as_of: NotRequired[str | int | None]  # view: figures published by this ISO date (or year)
    data_to: NotRequired[int | None]  # view: figures for years up to this one, any vintage
    pseudo_real_time: NotRequired[bool]  # view: true when data_to is set
