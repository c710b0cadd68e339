"""Values as plain Python for JSON and Excel: numpy scalars as int/float/bool, NaN/NA/NaT as None."""

from __future__ import annotations

import json
import math


def plain(value):
    """A JSON-ready copy of value: numpy and pandas scalars as Python, NaN, ±inf, NA and NaT as
    None; dicts (keys as str), lists and tuples recursively; a DataFrame as a list of row dicts (a
    named index becomes the leading column(s), an unnamed one is dropped) and a Series as
    {index: value}, both through pandas' own JSON writer."""
    import pandas as pd

    if isinstance(value, pd.DataFrame):
        if any(name is not None for name in value.index.names):  # a named index is data
            value = value.reset_index()
        return json.loads(value.to_json(orient="records", force_ascii=False))
    if isinstance(value, pd.Series):
        return json.loads(value.to_json(force_ascii=False))
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if hasattr(value, "item") and not isinstance(value, str):  # numpy scalar
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value
