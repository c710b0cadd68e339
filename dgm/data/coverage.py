"""Observations → indicator × year coverage matrix (what is exact, bounded, estimated, derived, missing)."""

import pandas as pd

from dgm.data.loaders import load_indicators, load_observations, panel_long, published_by

YEARS = range(2010, 2026)
# Cell code per chosen kind; a year with only a plan target is "plan"; nothing at all is "missing".
CODE = {
    "exact": "exact",
    "approx": "approx",
    "estimate": "estimate",
    "lower_bound": "bound",
    "upper_bound": "bound",
    "derived": "derived",
}
LETTER = {
    "exact": "E",
    "approx": "A",
    "estimate": "S",
    "bound": "B",
    "derived": "D",
    "plan": "P",
    "missing": "·",
}


def coverage_matrix(as_of: int | None = None, years=YEARS) -> pd.DataFrame:
    """Indicators (rows, catalogue order) × years (columns): the code of the figure the build chose."""
    long = panel_long(as_of)
    plans = published_by(load_observations(), as_of)
    plans = set(
        zip(*plans.loc[plans["kind"] == "plan_target", ["indicator", "year"]].T.values, strict=True)
    )
    matrix = pd.DataFrame("missing", index=load_indicators()["id"].tolist(), columns=list(years))
    for ind, year in plans:
        if year in matrix.columns and ind in matrix.index:
            matrix.at[ind, year] = "plan"
    for row in long.itertuples():
        if row.year in matrix.columns and row.indicator in matrix.index:
            matrix.at[row.indicator, row.year] = CODE[row.kind]
    matrix.index.name, matrix.columns.name = "indicator", "year"
    return matrix


def coverage_summary(matrix: pd.DataFrame) -> pd.DataFrame:
    """Per indicator: years with a point figure (exact/approx/estimate/derived), with a bound, missing."""
    points = matrix.isin(["exact", "approx", "estimate", "derived"]).sum(axis=1)
    return pd.DataFrame(
        {
            "points": points,
            "bounds": matrix.eq("bound").sum(axis=1),
            "plan_only": matrix.eq("plan").sum(axis=1),
            "missing": matrix.eq("missing").sum(axis=1),
        }
    )
