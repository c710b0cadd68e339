"""One goal in a goal notebook (01–05, 08): its registry row, figures, assessment and chart."""

from __future__ import annotations

import functools

from dgm.constants import N_PATHS, SEED
from dgm.data.loaders import load_sources, load_targets, series, state

PUBLISHED_COLUMNS = ["indicator", "year", "value", "unit", "kind", "reliability", "source_id"]


def goal_row(target_id: str) -> dict:
    """The registry row of a goal as a dict (KeyError naming the id when unknown)."""
    targets = load_targets()
    row = targets[targets["id"] == target_id]
    if row.empty:
        raise KeyError(f"unknown goal {target_id!r}; see dgm targets")
    return row.iloc[0].to_dict()


def published(indicators, as_of: int | None = None):
    """The chosen figure per year of each indicator, long and sorted (kind and source kept)."""
    import pandas as pd

    frames = []
    for ind in indicators:
        s = series(ind, as_of=as_of)
        frames.append(s.reset_index().assign(indicator=ind, unit=s.attrs.get("unit", "")))
    if not frames:
        return pd.DataFrame(columns=PUBLISHED_COLUMNS)
    out = pd.concat(frames, ignore_index=True)
    return out[PUBLISHED_COLUMNS].sort_values(["indicator", "year"]).reset_index(drop=True)


def assessment(target_id: str, as_of=None, n_paths: int = N_PATHS, seed: int = SEED):
    """The one dgm.engine.assess.Assessment of a goal in a notebook: its table, reading and fan chart all
    read this object (one simulation; the same numbers as dgm.engine.assess.assess_all), computed once per
    state of data/raw (dgm.data.loaders.state)."""
    return _assessment(target_id, as_of, n_paths, seed, state())


@functools.lru_cache(maxsize=32)
def _assessment(target_id: str, as_of, n_paths: int, seed: int, key: tuple):
    """assessment() for one state of data/raw."""
    from dgm.engine import assess

    return assess.assessment(target_id, as_of, n_paths, seed)


def assess_one(target_id: str, as_of=None, n_paths: int = N_PATHS, seed: int = SEED) -> dict:
    """The record of a goal's assessment (a copy: the cached object stays as computed)."""
    return dict(assessment(target_id, as_of, n_paths, seed).record)


def forecast_or_reason(
    goal: dict, as_of=None, n_paths: int = N_PATHS, seed: int = SEED, lang: str = "both"
):
    """The forecast of a goal's assessment, or None after printing, for a reader in `lang`, why
    there is none."""
    a = assessment(goal["id"], as_of, n_paths, seed)
    if a.forecast is None:
        print(no_forecast_text(goal, len(a.judged.hist), lang))
    return a.forecast


def no_forecast_text(goal: dict, n: int, lang: str = "both") -> str:
    """Why a goal has no projection, in words: `n` figures on its judged series, fewer than a
    forecast needs (dgm.engine.ensemble.MIN_FORECAST_POINTS); the names are the registry's."""
    from dgm.engine.ensemble import MIN_FORECAST_POINTS
    from dgm.labels import row_label
    from dgm.lang import pick
    from dgm.zh import simplified

    k = MIN_FORECAST_POINTS
    has_zh = f"只有 {n} 个数字" if n else "没有数字"
    has_en = f"has {n} figure{'s' * (n != 1)}" if n else "has no figure"
    zh = (
        f"{simplified(row_label(goal, 'zh'))}：不作预测。评估所用的序列{has_zh}，"
        f"预测至少需要 {k} 个；结论只依据已公布的数字和上下限。"
    )
    en = (
        f"{row_label(goal, 'en')}: no projection. The series it is judged on {has_en}, and a "
        f"forecast needs at least {k}; the verdict rests on the published figures and bounds alone."
    )
    return pick(zh, en, lang, "\n")


def goal_chart(goal: dict, fc=None, as_of=None, lang: str = "both"):
    """dgm.present.charts.path_to_goal for a goal: its judged history (dgm.engine.goals), the forecast's fan."""
    from dgm.engine import goals
    from dgm.present import charts

    obs = goals.judged(goal, as_of).frame()
    fan = None if fc is None else fc.quantiles
    return charts.path_to_goal(obs, goal, fan, sources=load_sources(), lang=lang)


def goal_names(ids, missing=(), lang: str = "both") -> str:
    """Which goals have a usable history and which have none, by name (the registry's), for a
    reader in `lang`; the second sentence only when some goal has none."""
    from dgm.lang import label, pick
    from dgm.zh import simplified

    targets = load_targets()
    names = {
        code: dict(zip(targets["id"], label(targets, code), strict=True)) for code in ("zh", "en")
    }
    zh = "有数据的目标：" + ("、".join(simplified(names["zh"][t]) for t in ids) or "无") + "。"
    en = "Goals with data: " + ("; ".join(names["en"][t] for t in ids) or "none") + "."
    if missing:
        zh += (
            "没有可用历史数据的目标："
            + "、".join(simplified(names["zh"][t]) for t in missing)
            + "。"
        )
        en += " Goals without a usable history: " + "; ".join(names["en"][t] for t in missing) + "."
    return pick(zh, en, lang, "\n")
