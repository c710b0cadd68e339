"""Small frames shaped like dgm.series for known-answer tests."""

import pandas as pd


def series_frame(values: dict, kinds: dict | None = None, direction="higher_is_better", unit=""):
    """{year: value} as a dgm.series frame (kind exact unless `kinds` says otherwise)."""
    kinds = kinds or {}
    f = pd.DataFrame(
        {"value": list(values.values()), "kind": [kinds.get(y, "exact") for y in values]},
        index=pd.Index(list(values), dtype="int64", name="year"),
    )
    f.attrs.update(indicator="x", unit=unit, direction=direction)
    return f
