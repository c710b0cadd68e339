"""dgm.jsonsafe.plain: the one JSON/Excel-safe converter (records, CLI JSON, workbook cells)."""

import json
import math

import numpy as np
import pandas as pd

from dgm.jsonsafe import plain


def test_scalars_become_python_and_missing_becomes_none():
    assert plain(np.int64(7)) == 7 and type(plain(np.int64(7))) is int
    assert plain(np.float32(0.5)) == 0.5 and type(plain(np.float32(0.5))) is float
    assert plain(np.bool_(True)) is True
    for missing in (float("nan"), np.nan, math.inf, -np.inf, pd.NA, pd.NaT, None):
        assert plain(missing) is None
    assert plain("市經信局") == "市經信局"


def test_containers_recurse_and_keys_become_strings():
    value = {2025: [np.int64(1), (np.float64(2.5), np.nan)], "k": {"x": pd.NA}}
    assert plain(value) == {"2025": [1, [2.5, None]], "k": {"x": None}}
    json.dumps(plain(value))  # JSON-ready


def test_a_named_index_is_kept_as_a_column_an_unnamed_one_is_dropped():
    counts = pd.Series(["經信局", "科技局", "經信局"], name="departments").value_counts()
    assert plain(counts.rename("measures").to_frame()) == [
        {"departments": "經信局", "measures": 2},
        {"departments": "科技局", "measures": 1},
    ]
    sorted_frame = pd.DataFrame({"v": [1.0, np.nan, 3.0]}).sort_values("v", ascending=False)
    assert plain(sorted_frame) == [{"v": 3.0}, {"v": 1.0}, {"v": None}]
    by_year = pd.DataFrame({"value": [100.0, 95.5]}, index=pd.Index([2015, 2016], name="year"))
    assert plain(by_year) == [{"year": 2015, "value": 100.0}, {"year": 2016, "value": 95.5}]


def test_a_series_is_a_mapping_from_its_index():
    assert plain(pd.Series([1.5, np.nan], index=["a", "b"])) == {"a": 1.5, "b": None}
